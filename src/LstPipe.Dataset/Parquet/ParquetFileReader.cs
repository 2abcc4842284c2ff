using LstPipe.Core.Errors;
using ParquetSharp;
using ParquetSharp.Schema;

namespace LstPipe.Dataset.Parquet;

/// <summary>A column chunk's metadata and statistics.</summary>
/// <param name="Column">The column.</param>
/// <param name="Codec">Compression.</param>
/// <param name="Encodings">Encodings used.</param>
/// <param name="Values">Level entries (leaf values including nulls).</param>
/// <param name="CompressedBytes">Bytes on disk, page headers included.</param>
/// <param name="UncompressedBytes">Bytes uncompressed, page headers included.</param>
/// <param name="NullCount">Nulls, when recorded.</param>
/// <param name="Min">Smallest value, when recorded.</param>
/// <param name="Max">Largest value, when recorded.</param>
public sealed record ColumnChunkInfo(ColumnSpec Column, ParquetCodec Codec, IReadOnlyList<ParquetEncoding> Encodings, long Values,
    long CompressedBytes, long UncompressedBytes, long? NullCount, object? Min, object? Max);

/// <summary>
/// Reads Parquet files of the shapes <see cref="ParquetFileWriter"/> writes, through ParquetSharp, verifying every
/// page's CRC32 where the writer stored one. Any malformed or corrupt input raises a <see cref="DataException"/>
/// whose one-line message names the file.
/// </summary>
public sealed class ParquetFileReader : IDisposable
{
    private readonly ParquetSharp.ParquetFileReader _reader;

    private ParquetFileReader(string path, ParquetSharp.ParquetFileReader reader)
    {
        Path = path;
        _reader = reader;
        var meta = reader.FileMetaData;
        NumRows = meta.NumRows;
        RowGroupCount = meta.NumRowGroups;
        Metadata = meta.KeyValueMetadata ?? new Dictionary<string, string>();
        CreatedBy = meta.CreatedBy;
        Schema = Guard(() => meta.Schema.GroupNode.Fields.Select(ToSpec).ToArray());
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Top-level columns.</summary>
    public IReadOnlyList<ColumnSpec> Schema { get; }

    /// <summary>Rows in the file.</summary>
    public long NumRows { get; }

    /// <summary>Row groups.</summary>
    public int RowGroupCount { get; }

    /// <summary>File key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The writer's name.</summary>
    public string? CreatedBy { get; }

    /// <summary>Opens a file and reads its footer.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">The file is not Parquet or its footer is corrupt.</exception>
    public static ParquetFileReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        ParquetSharp.ParquetFileReader? reader = null;
        try
        {
            using var properties = ReaderProperties.GetDefaultReaderProperties();
            properties.EnablePageChecksumVerification();
            reader = new ParquetSharp.ParquetFileReader(path, properties);
            return new ParquetFileReader(path, reader);
        }
        catch (Exception e) when (e is ParquetException or IOException or LstPipeException)
        {
            reader?.Dispose();
            throw e as DataException ?? new DataException($"{path}: not a readable Parquet file: {FirstLine(e)}");
        }
    }

    /// <summary>Rows of a row group.</summary>
    public long RowsIn(int rowGroup) => Guard(() =>
    {
        using var group = _reader.RowGroup(rowGroup);
        return group.MetaData.NumRows;
    });

    /// <summary>Metadata and statistics of every column chunk of a row group.</summary>
    public IReadOnlyList<ColumnChunkInfo> ColumnChunks(int rowGroup) => Guard(() =>
    {
        using var group = _reader.RowGroup(rowGroup);
        return Schema.Select((c, i) =>
        {
            using var chunk = group.MetaData.GetColumnChunkMetaData(i);
            using var stats = chunk.Statistics;
            var codec = chunk.Compression switch
            {
                Compression.Zstd => ParquetCodec.Zstd,
                Compression.Gzip => ParquetCodec.Gzip,
                _ => ParquetCodec.Uncompressed,
            };
            var encodings = chunk.Encodings.Select(e => e switch
            {
                Encoding.ByteStreamSplit => ParquetEncoding.ByteStreamSplit,
                Encoding.Rle => ParquetEncoding.Rle,
                _ => ParquetEncoding.Plain,
            }).Distinct().ToArray();
            var (min, max) = stats is { HasMinMax: true } ? MinMax(stats) : (null, null);
            return new ColumnChunkInfo(c, codec, encodings, chunk.NumValues, chunk.TotalCompressedSize, chunk.TotalUncompressedSize,
                stats?.NullCount, min, max);
        }).ToArray();
    });

    /// <summary>Reads one column of a row group: <c>int[]</c>, <c>int?[]</c>, <c>long[]</c>, <c>double[]</c>,
    /// <c>string[]</c>, <c>float[][]</c> or <c>double[][]</c> by its schema.</summary>
    /// <exception cref="DataException">The column is missing or its pages are corrupt (a CRC32 mismatch included).</exception>
    public ColumnValues ReadColumn(int rowGroup, string name)
    {
        var index = Schema.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Name == name);
        if (index.c is null)
        {
            throw new DataException($"{Path}: has no column '{name}'");
        }

        return ReadColumn(rowGroup, index.i);
    }

    /// <summary>Reads one column of a row group by position.</summary>
    public ColumnValues ReadColumn(int rowGroup, int column) => Guard(() =>
    {
        var spec = Schema[column];
        using var group = _reader.RowGroup(rowGroup);
        var rows = (int)group.MetaData.NumRows;
        using var reader = group.Column(column);
        Array values = (spec.Shape, spec.Type, spec.IsString) switch
        {
            (ColumnShape.List, PhysicalType.Float, _) => Read<float[]>(reader, rows),
            (ColumnShape.List, PhysicalType.Double, _) => Read<double[]>(reader, rows),
            (ColumnShape.Optional, PhysicalType.Int32, _) => Read<int?>(reader, rows),
            (_, _, true) => Read<string>(reader, rows),
            (_, PhysicalType.Int32, _) => Read<int>(reader, rows),
            (_, PhysicalType.Int64, _) => Read<long>(reader, rows),
            (_, PhysicalType.Double, _) => Read<double>(reader, rows),
            _ => throw new DataException($"{Path}: column '{spec.Name}' has a type lstpipe does not read"),
        };
        return new ColumnValues(spec, values);
    });

    /// <summary>Every column of a row group.</summary>
    public IReadOnlyList<ColumnValues> ReadRowGroup(int rowGroup) => Schema.Select((_, i) => ReadColumn(rowGroup, i)).ToList();

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();

    private static T[] Read<T>(ColumnReader column, int rows)
    {
        using var reader = column.LogicalReader<T>();
        return reader.ReadAll(rows);
    }

    private static (object? Min, object? Max) MinMax(Statistics stats) => stats switch
    {
        Statistics<int> s => (s.Min, s.Max),
        Statistics<long> s => (s.Min, s.Max),
        Statistics<float> s => (s.Min, s.Max),
        Statistics<double> s => (s.Min, s.Max),
        Statistics<ByteArray> s => (Utf8(s.Min), Utf8(s.Max)),
        _ => (null, null),
    };

    private static unsafe string Utf8(ByteArray b) =>
        b.Length == 0 ? "" : System.Text.Encoding.UTF8.GetString((byte*)b.Pointer, b.Length);

    private ColumnSpec ToSpec(Node node)
    {
        if (node is GroupNode list && list.LogicalType is ListLogicalType)
        {
            var element = (list.Fields.Single() as GroupNode)?.Fields.Single() as PrimitiveNode
                          ?? throw new DataException($"{Path}: list column '{node.Name}' is not a list of primitives");
            return new ColumnSpec(node.Name, Map(element.PhysicalType), ColumnShape.List);
        }

        if (node is not PrimitiveNode p)
        {
            throw new DataException($"{Path}: column '{node.Name}' is a nested group lstpipe does not read");
        }

        return new ColumnSpec(node.Name, Map(p.PhysicalType),
            node.Repetition == Repetition.Optional ? ColumnShape.Optional : ColumnShape.Required,
            p.LogicalType is StringLogicalType);
    }

    private PhysicalType Map(ParquetSharp.PhysicalType t) => t switch
    {
        ParquetSharp.PhysicalType.Boolean => PhysicalType.Boolean,
        ParquetSharp.PhysicalType.Int32 => PhysicalType.Int32,
        ParquetSharp.PhysicalType.Int64 => PhysicalType.Int64,
        ParquetSharp.PhysicalType.Float => PhysicalType.Float,
        ParquetSharp.PhysicalType.Double => PhysicalType.Double,
        ParquetSharp.PhysicalType.ByteArray => PhysicalType.ByteArray,
        _ => throw new DataException($"{Path}: physical type {t} is not one lstpipe reads"),
    };

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is ParquetException or IOException or InvalidCastException or ArgumentException)
        {
            throw new DataException($"{Path}: corrupt or unreadable Parquet data: {FirstLine(e)}");
        }
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n')[0].Trim();
}
