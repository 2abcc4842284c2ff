using LstPipe.Core;
using LstPipe.Core.IO;
using ParquetSharp;
using ParquetSharp.Schema;

namespace LstPipe.Dataset.Parquet;

/// <summary>
/// Writes one Parquet file through ParquetSharp with the project's schema shapes: required and optional primitives,
/// strings, and required LIST columns of required elements (<c>name.list.element</c>); no dictionaries, floats of list
/// columns BYTE_STREAM_SPLIT where asked, statistics, and a CRC32 in every page header. The file is written under a
/// temporary name and renamed by <see cref="Commit"/>; disposing without committing removes it.
/// </summary>
public sealed class ParquetFileWriter : IDisposable
{
    private readonly AtomicFile _file;
    private readonly IReadOnlyList<ColumnSpec> _schema;
    private readonly ParquetSharp.ParquetFileWriter _writer;
    private bool _done;

    private ParquetFileWriter(string path, IReadOnlyList<ColumnSpec> schema, ParquetWriterOptions options)
    {
        _schema = schema;
        _file = AtomicFile.Begin(path);
        using var root = new GroupNode("schema", Repetition.Required, schema.Select(Node).ToArray());
        using var builder = new WriterPropertiesBuilder();
        builder.CreatedBy($"{ToolInfo.Name} {ToolInfo.Version} (ParquetSharp " +
            $"{typeof(ParquetSharp.ParquetFileWriter).Assembly.GetName().Version})")
            .Compression(options.Codec switch
            {
                ParquetCodec.Zstd => Compression.Zstd,
                ParquetCodec.Gzip => Compression.Gzip,
                _ => Compression.Uncompressed,
            })
            .DisableDictionary()
            .EnableStatistics()
            .EnablePageChecksum()
            .DataPagesize(options.MaxPageBytes);
        if (options.Level is { } level && options.Codec != ParquetCodec.Uncompressed)
        {
            builder.CompressionLevel(level);
        }
        else if (options.Codec == ParquetCodec.Zstd)
        {
            builder.CompressionLevel(ParquetWriterOptions.DefaultZstdLevel);
        }

        foreach (var c in schema.Where(c
            => options.ByteStreamSplit && c.Shape == ColumnShape.List && c.Type is PhysicalType.Float or PhysicalType.Double))
        {
            builder.Encoding(string.Join(".", c.Path), Encoding.ByteStreamSplit);
        }

        using var properties = builder.Build();
        _writer = new ParquetSharp.ParquetFileWriter(_file.TemporaryPath, root, properties, options.Metadata);
    }

    /// <summary>Final path.</summary>
    public string Path => _file.FinalPath;

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Starts a file with the given top-level columns.</summary>
    public static ParquetFileWriter Create(string path, IReadOnlyList<ColumnSpec> schema, ParquetWriterOptions? options = null)
    {
        if (schema.Count == 0 || schema.Select(c => c.Name).Distinct().Count() != schema.Count)
        {
            throw new ArgumentException("a schema needs distinct column names", nameof(schema));
        }

        return new ParquetFileWriter(path, schema, options ?? new ParquetWriterOptions());
    }

    /// <summary>Writes one row group; every column must hold the same number of rows, in schema order.</summary>
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

        WriteRowGroup(rows, i => columns[i].Values);
    }

    /// <summary>Writes one row group of <paramref name="rows"/> rows, asking for each column's values (in schema
    /// order) only when it is written, so a caller can hold one column in memory at a time.</summary>
    public void WriteRowGroup(int rows, Func<int, Array> column)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        using var group = _writer.AppendRowGroup();
        for (var i = 0; i < _schema.Count; i++)
        {
            var c = new ColumnValues(_schema[i], column(i));
            if (c.Values.Length != rows)
            {
                throw new ArgumentException($"column '{c.Spec.Name}' holds {c.Values.Length} rows, not {rows}", nameof(column));
            }

            using var writer = group.NextColumn();
            Write(writer, c);
        }

        Rows += rows;
    }

    private static void Write(ColumnWriter column, ColumnValues c)
    {
        {
            switch (c.Values)
            {
                case int[] v: Write(column, v); break;
                case int?[] v: Write(column, v); break;
                case long[] v: Write(column, v); break;
                case double[] v: Write(column, v); break;
                case string[] v: Write(column, v); break;
                case float[][] v: WriteList(column, v); break;
                case double[][] v: WriteList(column, v); break;
                default:
                    throw new ArgumentException($"column '{c.Spec.Name}' holds {c.Values.GetType().Name}, which the writer " +
                    $"does not take", nameof(c));
            }
        }
    }

    /// <summary>Writes the footer and moves the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _writer.Close();
        _writer.Dispose();
        _done = true;
        _file.Commit();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            _writer.Dispose();
            _file.Dispose();
        }
    }

    private static void Write<T>(ColumnWriter column, T[] values)
    {
        using var writer = column.LogicalWriter<T>();
        writer.WriteBatch(values);
    }

    /// <summary>A required list of required values straight through the physical writer: the values laid end to
    /// end, definition level 1 everywhere (0 for an empty list) and repetition level 0 at each row's first value.</summary>
    private static void WriteList<T>(ColumnWriter column, T[][] rows)
        where T : unmanaged
    {
        var writer = (ColumnWriter<T>)column;
        const int batchRows = 64;
        for (var first = 0; first < rows.Length; first += batchRows)
        {
            var batch = rows.AsSpan(first, Math.Min(batchRows, rows.Length - first));
            var entries = 0;
            foreach (var r in batch)
            {
                entries += Math.Max(1, r.Length);
            }

            var values = new T[entries];
            var definition = new short[entries];
            var repetition = new short[entries];
            var at = 0;
            var valueCount = 0;
            foreach (var r in batch)
            {
                if (r.Length == 0)
                {
                    at++;
                    continue;
                }

                r.CopyTo(values, valueCount);
                definition.AsSpan(at, r.Length).Fill(1);
                repetition.AsSpan(at + 1, r.Length - 1).Fill(1);
                at += r.Length;
                valueCount += r.Length;
            }

            writer.WriteBatch(entries, definition, repetition, values.AsSpan(0, valueCount));
        }
    }

    private static Node Node(ColumnSpec c)
    {
        var physical = c.Type switch
        {
            PhysicalType.Boolean => ParquetSharp.PhysicalType.Boolean,
            PhysicalType.Int32 => ParquetSharp.PhysicalType.Int32,
            PhysicalType.Int64 => ParquetSharp.PhysicalType.Int64,
            PhysicalType.Float => ParquetSharp.PhysicalType.Float,
            PhysicalType.Double => ParquetSharp.PhysicalType.Double,
            _ => ParquetSharp.PhysicalType.ByteArray,
        };
        return c.Shape switch
        {
            ColumnShape.List => new GroupNode(c.Name, Repetition.Required,
                [new GroupNode("list", Repetition.Repeated, [new PrimitiveNode("element", Repetition.Required,
                    LogicalType.None(), physical)])], LogicalType.List()),
            ColumnShape.Optional => new PrimitiveNode(c.Name, Repetition.Optional, LogicalType.None(), physical),
            _ => new PrimitiveNode(c.Name, Repetition.Required, c.IsString ? LogicalType.String() : LogicalType.None(), physical),
        };
    }
}
