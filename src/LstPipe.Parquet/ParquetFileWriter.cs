using System.Buffers.Binary;
using LstPipe.Core;
using LstPipe.Core.IO;
using LstPipe.Parquet.Format;
using LstPipe.Parquet.Thrift;

namespace LstPipe.Parquet;

/// <summary>
/// Writes one Parquet file: <c>PAR1</c>, row groups of column chunks made of v1 data pages, then the Thrift
/// compact footer, its length and <c>PAR1</c>. The file is written under a temporary name and renamed by
/// <see cref="Commit"/>; disposing without committing removes it.
/// </summary>
public sealed class ParquetFileWriter : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private readonly AtomicFile _file;
    private readonly FileStream _stream;
    private readonly IReadOnlyList<ColumnSpec> _schema;
    private readonly ParquetWriterOptions _options;
    private readonly List<ThriftStruct> _rowGroups = [];
    private long _rows;
    private bool _done;

    private ParquetFileWriter(string path, IReadOnlyList<ColumnSpec> schema, ParquetWriterOptions options)
    {
        _schema = schema;
        _options = options;
        _file = AtomicFile.Begin(path);
        _stream = new FileStream(_file.TemporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _stream.Write(Magic);
    }

    /// <summary>Final path.</summary>
    public string Path => _file.FinalPath;

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Length;

    /// <summary>Rows written so far.</summary>
    public long Rows => _rows;

    /// <summary>Starts a file with the given top-level columns.</summary>
    public static ParquetFileWriter Create(string path, IReadOnlyList<ColumnSpec> schema, ParquetWriterOptions? options = null)
    {
        if (schema.Count == 0 || schema.Select(c => c.Name).Distinct().Count() != schema.Count)
        {
            throw new ArgumentException("a schema needs distinct column names", nameof(schema));
        }

        return new ParquetFileWriter(path, schema, options ?? new ParquetWriterOptions());
    }

    /// <summary>Writes one row group; every column must hold the same number of rows, in schema order.
    /// Columns are encoded and compressed in parallel, then written in order.</summary>
    public void WriteRowGroup(IReadOnlyList<ColumnValues> columns)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        if (columns.Count != _schema.Count || columns.Where((c, i) => c.Spec != _schema[i]).Any())
        {
            throw new ArgumentException("the columns do not match the schema", nameof(columns));
        }

        var rows = columns[0].Values.Length;
        if (columns.Any(c => c.Values.Length != rows))
        {
            throw new ArgumentException("columns hold different numbers of rows", nameof(columns));
        }

        var encoded = new EncodedChunk[columns.Count];
        Core.Threading.Parallelism.For(0, columns.Count, Environment.ProcessorCount, CancellationToken.None,
            i => encoded[i] = Encode(columns[i], rows));

        var groupStart = _stream.Position;
        var chunks = new List<ThriftStruct>();
        long uncompressedTotal = 0;
        foreach (var chunk in encoded)
        {
            var offset = _stream.Position;
            foreach (var page in chunk.Pages)
            {
                _stream.Write(page);
            }

            uncompressedTotal += chunk.UncompressedSize;
            chunks.Add(new ThriftStruct()
                .Set(2, 0L)
                .Set(3, ParquetMetadata.ColumnMetaData(chunk.Encoder, _options.Codec, chunk.Values, chunk.UncompressedSize, _stream.Position - offset, offset)));
        }

        _rowGroups.Add(new ThriftStruct()
            .Set(1, ThriftList.OfStructs(chunks))
            .Set(2, uncompressedTotal)
            .Set(3, (long)rows)
            .Set(5, groupStart)
            .Set(6, _stream.Position - groupStart)
            .Set(7, (short)_rowGroups.Count));
        _rows += rows;
    }

    /// <summary>Writes the footer and renames the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var metadata = ParquetMetadata.FileMetaData(_schema, _rows, _rowGroups, _options.Metadata, $"{ToolInfo.Name} version {ToolInfo.Version}");
        var footer = CompactProtocol.Serialize(metadata);
        _stream.Write(footer);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        _stream.Write(length);
        _stream.Write(Magic);
        _stream.Flush(flushToDisk: false);
        _stream.Dispose();
        _file.Commit();
        _done = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_done)
        {
            _stream.Dispose();
            _file.Dispose();
            _done = true;
        }
    }

    private sealed record EncodedChunk(ColumnEncoder Encoder, List<byte[]> Pages, long Values, long UncompressedSize);

    private EncodedChunk Encode(ColumnValues column, int rows)
    {
        var encoder = new ColumnEncoder(column.Spec, _options.ByteStreamSplit);
        var pages = new List<byte[]>();
        long values = 0, uncompressed = 0;
        var start = 0;
        while (start < rows)
        {
            var count = RowsForPage(column, start, rows);
            var (body, entries) = encoder.EncodePage(column.Values, start, count);
            var compressed = Codecs.Compress(_options.Codec, body, _options.Level);
            var header = CompactProtocol.Serialize(ParquetMetadata.DataPageHeader(encoder, body.Length, compressed.Length, entries));
            var page = new byte[header.Length + compressed.Length];
            header.CopyTo(page, 0);
            compressed.CopyTo(page, header.Length);
            pages.Add(page);
            values += entries;
            uncompressed += header.Length + body.Length;
            start += count;
        }

        return new EncodedChunk(encoder, pages, values, uncompressed);
    }

    private int RowsForPage(ColumnValues column, int start, int rows)
    {
        if (column.Spec.Shape != ColumnShape.List)
        {
            return rows - start;
        }

        long bytes = 0;
        var count = 0;
        var width = column.Spec.Type is PhysicalType.Double or PhysicalType.Int64 ? 8 : 4;
        while (start + count < rows)
        {
            var next = ((Array)column.Values.GetValue(start + count)!).Length * (long)width;
            if (count > 0 && bytes + next > _options.MaxPageBytes)
            {
                break;
            }

            bytes += next;
            count++;
        }

        return count;
    }
}
