namespace LstPipe.Dataset.Parquet;

/// <summary>Parquet physical types (parquet.thrift <c>Type</c>).</summary>
public enum PhysicalType
{
    /// <summary>1 bit.</summary>
    Boolean = 0,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 1,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 2,

    /// <summary>IEEE float.</summary>
    Float = 4,

    /// <summary>IEEE double.</summary>
    Double = 5,

    /// <summary>Variable-length bytes (strings).</summary>
    ByteArray = 6,
}

/// <summary>Compression codecs (parquet.thrift <c>CompressionCodec</c>).</summary>
public enum ParquetCodec
{
    /// <summary>No compression.</summary>
    Uncompressed = 0,

    /// <summary>gzip (RFC 1952), through System.IO.Compression.</summary>
    Gzip = 2,

    /// <summary>Zstandard, through libzstd.</summary>
    Zstd = 6,
}

/// <summary>Value encodings (parquet.thrift <c>Encoding</c>).</summary>
public enum ParquetEncoding
{
    /// <summary>Values back to back, little-endian.</summary>
    Plain = 0,

    /// <summary>RLE / bit-packed hybrid (levels).</summary>
    Rle = 3,

    /// <summary>Bytes of each value scattered into K streams (FLOAT and DOUBLE): helps compression of floats.</summary>
    ByteStreamSplit = 9,
}

/// <summary>How a column repeats.</summary>
public enum ColumnShape
{
    /// <summary>One value per row.</summary>
    Required,

    /// <summary>Zero or one value per row (null allowed).</summary>
    Optional,

    /// <summary>A required LIST of required elements per row (3-level LIST structure).</summary>
    List,
}
