using System.Text.Json.Serialization;
using LstPipe.Core.Errors;
using LstPipe.Core.Options;
using LstPipe.Dataset.Parquet;

namespace LstPipe.Dataset.Export;

/// <summary>The options of <c>lstpipe export</c> and of a recipe's <c>export:</c> section; the only declaration of
/// them.</summary>
public sealed record ExportOptions
{
    /// <summary>Dataset folder.</summary>
    [Option("dataset", "Dataset folder (made by crop)", Alias = "-d", Required = true, Scope = OptionScope.CommandLine)]
    public string Dataset { get; init; } = "";

    /// <summary><c>parquet</c> (shards in the dataset) or <c>groklst</c> (a data root for GrokLST's own toolkit).</summary>
    [Option("format", "parquet (shards in the dataset) or groklst (a data root GrokLST's own toolkit loads, in --out)",
        Choices = ["parquet", "groklst"], Scope = OptionScope.CommandLine)]
    public string Format { get; init; } = "parquet";

    /// <summary>With <c>groklst</c>: the folder to write (the original configs' <c>data_root</c>).</summary>
    [Option("out", "groklst: the folder to write (the original configs' data_root)", Alias = "-o", Scope = OptionScope.CommandLine)]
    public string? Output { get; init; }

    /// <summary>With <c>groklst</c>: replace a non-empty <see cref="Output"/>.</summary>
    [Option("force", "groklst: replace a non-empty --out (built beside it, swapped in when complete)", Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool Force { get; init; }

    /// <summary>Page compression.</summary>
    [Option("codec", "Parquet compression: zstd, gzip or none", Parser = typeof(CodecParser))]
    public ParquetCodec Codec { get; init; } = ParquetCodec.Zstd;

    /// <summary>Codec level; null for the default.</summary>
    [Option("level", "Codec level (zstd 1-22, gzip <= 3 fastest; default: the codec's)", Min = 1, Max = 22)]
    public int? Level { get; init; }

    /// <summary>Float encoding: <c>byte-stream-split</c> (smaller after compression) or <c>plain</c>.</summary>
    [Option("encoding", "Float encoding: byte-stream-split or plain", Choices = ["byte-stream-split", "plain"])]
    public string Encoding { get; init; } = "byte-stream-split";

    /// <summary>A shard holds as many tiles as fit in this many MB of raw float32 arrays (whole row groups, at least
    /// one): boundaries fixed by the tile count, so shards written apart (<c>--shard i/N</c>) match a whole export.</summary>
    [Option("shard-size", "Tiles per shard: as many as hold this many MB of raw float32 arrays (compressed shards are smaller)", Min = 1)]
    public int ShardSizeMb { get; init; } = 256;

    /// <summary>Tiles per row group (each tile gives one row per scale).</summary>
    public int TilesPerRowGroup { get; init; } = 16;

    /// <summary>Parts written at once (each on one thread, holding one row group of tiles); the output does not
    /// depend on it.</summary>
    [Option("workers", "Parquet parts written at once (the output does not depend on it)", Min = 1, Scope = OptionScope.CommandLine)]
    public int Workers { get; init; } = Math.Min(4, Environment.ProcessorCount);

    /// <summary>BYTE_STREAM_SPLIT for float arrays.</summary>
    [JsonIgnore]
    public bool ByteStreamSplit => Encoding == "byte-stream-split";

    /// <summary>The shard size in bytes.</summary>
    [JsonIgnore]
    public long ShardBytes => (long)ShardSizeMb << 20;

    /// <summary>Checks the options and returns them.</summary>
    public ExportOptions Validate()
    {
        OptionSchema<ExportOptions>.Check(this);
        if (TilesPerRowGroup < 1)
        {
            throw new UsageException("--tiles-per-row-group must be at least 1");
        }

        if (Codec == ParquetCodec.Gzip && Level is > 9)
        {
            throw new UsageException($"--level {Level} is outside 1..9 for gzip");
        }

        return this;
    }

    /// <summary>Reads <c>zstd</c>, <c>gzip</c> or <c>none</c>.</summary>
    public sealed class CodecParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text) => ParquetWriterOptions.ParseCodec(text);

        /// <inheritdoc/>
        public string Format(object value)
            => (ParquetCodec)value == ParquetCodec.Uncompressed ? "none" : value.ToString()!.ToLowerInvariant();
    }

    /// <summary>Writer options for one shard.</summary>
    internal ParquetWriterOptions Writer(IReadOnlyDictionary<string, string> metadata) => new()
    {
        Codec = Codec,
        Level = Level,
        ByteStreamSplit = ByteStreamSplit,
        Metadata = metadata,
    };
}
