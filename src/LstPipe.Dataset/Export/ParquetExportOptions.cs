using LstPipe.Core.Errors;
using LstPipe.Dataset.Parquet;

namespace LstPipe.Dataset.Export;

/// <summary>The validated options of <c>lstpipe export --format parquet</c>.</summary>
public sealed record ParquetExportOptions
{
    /// <summary>Dataset folder.</summary>
    public required string Dataset { get; init; }

    /// <summary>Page compression.</summary>
    public ParquetCodec Codec { get; init; } = ParquetCodec.Zstd;

    /// <summary>Codec level; null for the default.</summary>
    public int? Level { get; init; }

    /// <summary>BYTE_STREAM_SPLIT for float arrays (smaller after compression) instead of PLAIN.</summary>
    public bool ByteStreamSplit { get; init; } = true;

    /// <summary>A shard holds as many tiles as fit in this many bytes of raw float32 arrays (whole row groups, at least
    /// one): boundaries fixed by the tile count, so shards written apart (<c>--shard i/N</c>) match a whole export.</summary>
    public long ShardBytes { get; init; } = 256L << 20;

    /// <summary>Tiles per row group (each tile gives one row per scale).</summary>
    public int TilesPerRowGroup { get; init; } = 16;

    /// <summary>Parts written at once (each on one thread, holding one row group of tiles); the output does not
    /// depend on it.</summary>
    public int Workers { get; init; } = Math.Min(4, Environment.ProcessorCount);

    /// <summary>Checks the options and returns them.</summary>
    public ParquetExportOptions Validate()
    {
        if (ShardBytes < 1 << 20)
        {
            throw new UsageException($"--shard-size must be at least 1 MB");
        }

        if (Workers < 1)
        {
            throw new UsageException($"--workers {Workers} must be at least 1");
        }

        if (TilesPerRowGroup < 1)
        {
            throw new UsageException("--tiles-per-row-group must be at least 1");
        }

        if (Codec == ParquetCodec.Zstd && Level is < 1 or > 22)
        {
            throw new UsageException($"--level {Level} is outside 1..22 for zstd");
        }

        return this;
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
