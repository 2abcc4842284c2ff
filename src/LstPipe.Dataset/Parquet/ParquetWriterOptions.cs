
namespace LstPipe.Dataset.Parquet;

/// <summary>How a Parquet file is written.</summary>
public sealed record ParquetWriterOptions
{
    /// <summary>Page compression (default ZSTD).</summary>
    public ParquetCodec Codec { get; init; } = ParquetCodec.Zstd;

    /// <summary>Codec level; null for the codec's default (ZSTD 3; GZIP optimal).</summary>
    public int? Level { get; init; }

    /// <summary>Encode FLOAT and DOUBLE values with BYTE_STREAM_SPLIT instead of PLAIN.</summary>
    public bool ByteStreamSplit { get; init; } = true;

    /// <summary>Largest uncompressed page body, in bytes; a page always holds whole rows.</summary>
    public int MaxPageBytes { get; init; } = 8 << 20;

    /// <summary>The zstd level when none is given (zstd's own default).</summary>
    public const int DefaultZstdLevel = 3;

    /// <summary>File key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Parses <c>zstd</c>, <c>gzip</c> or <c>none</c>.</summary>
    public static ParquetCodec ParseCodec(string text) => text.Trim().ToLowerInvariant() switch
    {
        "zstd" => ParquetCodec.Zstd,
        "gzip" => ParquetCodec.Gzip,
        "none" or "uncompressed" => ParquetCodec.Uncompressed,
        _ => throw new FormatException("use zstd, gzip or none"),
    };
}
