using System.Buffers.Binary;
using System.Text;
using LstPipe.Core.Errors;
using LstPipe.Parquet.Format;
using LstPipe.Parquet.Thrift;

namespace LstPipe.Parquet;

/// <summary>A column chunk's metadata and statistics.</summary>
/// <param name="Column">The column.</param>
/// <param name="Codec">Compression.</param>
/// <param name="Encodings">Encodings used.</param>
/// <param name="Values">Level entries (leaf values including nulls).</param>
/// <param name="CompressedBytes">Bytes on disk, page headers included.</param>
/// <param name="UncompressedBytes">Bytes uncompressed, page headers included.</param>
/// <param name="NullCount">Nulls, when recorded.</param>
/// <param name="Min">Smallest value (decoded), when recorded.</param>
/// <param name="Max">Largest value (decoded), when recorded.</param>
public sealed record ColumnChunkInfo(ColumnSpec Column, ParquetCodec Codec, IReadOnlyList<ParquetEncoding> Encodings, long Values,
    long CompressedBytes, long UncompressedBytes, long? NullCount, object? Min, object? Max);

/// <summary>
/// Reads Parquet files of the shapes <see cref="ParquetFileWriter"/> writes (required and optional primitives,
/// LIST of primitives; data page v1; PLAIN and BYTE_STREAM_SPLIT; uncompressed, GZIP, ZSTD). Any malformed input
/// raises a <see cref="DataException"/> whose one-line message names the file.
/// </summary>
public sealed class ParquetFileReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly List<ThriftStruct> _rowGroups;

    private ParquetFileReader(string path, FileStream stream, ThriftStruct metadata)
    {
        Path = path;
        _stream = stream;
        Schema = ParquetMetadata.ParseSchema(metadata.List(2, "file metadata"));
        NumRows = metadata.Long(3, "file metadata");
        _rowGroups = metadata.List(4, "file metadata").Cast<ThriftStruct>().ToList();
        Metadata = metadata.Get(5) is ThriftList kv
            ? kv.Items.Cast<ThriftStruct>().ToDictionary(k => k.String(1, "key-value"), k => k.OptionalString(2) ?? "")
            : new Dictionary<string, string>();
        CreatedBy = metadata.OptionalString(6);
        if (_rowGroups.Sum(g => g.Long(3, "row group")) != NumRows)
        {
            throw new FormatException("row groups do not add up to the file's row count");
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Top-level columns.</summary>
    public IReadOnlyList<ColumnSpec> Schema { get; }

    /// <summary>Rows in the file.</summary>
    public long NumRows { get; }

    /// <summary>Number of row groups.</summary>
    public int RowGroupCount => _rowGroups.Count;

    /// <summary>File key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The writer's name and version.</summary>
    public string? CreatedBy { get; }

    /// <summary>Opens a file and reads its footer.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">It is not a readable Parquet file.</exception>
    public static ParquetFileReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var length = stream.Length;
            Span<byte> head = stackalloc byte[4];
            Span<byte> tail = stackalloc byte[8];
            if (length < 12)
            {
                throw new DataException($"{path}: not a Parquet file ({length} bytes is too short; truncated?)");
            }

            stream.ReadExactly(head);
            stream.Position = length - 8;
            stream.ReadExactly(tail);
            if (!head.SequenceEqual("PAR1"u8))
            {
                throw new DataException($"{path}: not a Parquet file (it does not start with PAR1)");
            }

            if (!tail[4..].SequenceEqual("PAR1"u8))
            {
                throw new DataException($"{path}: not a complete Parquet file (no PAR1 at the end; truncated?)");
            }

            var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
            if (footerLength <= 0 || footerLength > length - 12)
            {
                throw new DataException($"{path}: corrupt Parquet footer length {footerLength}");
            }

            var footer = new byte[footerLength];
            stream.Position = length - 8 - footerLength;
            stream.ReadExactly(footer);
            var pos = 0;
            return new ParquetFileReader(path, stream, CompactProtocol.Read(footer, ref pos));
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or IndexOutOfRangeException or ArgumentException)
        {
            stream.Dispose();
            throw new DataException($"{path}: corrupt Parquet metadata: {e.Message}");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Rows in a row group.</summary>
    public long RowsIn(int rowGroup) => _rowGroups[rowGroup].Long(3, "row group");

    /// <summary>Metadata and statistics of every column chunk of a row group.</summary>
    public IReadOnlyList<ColumnChunkInfo> ColumnChunks(int rowGroup) => Guard(() =>
        Schema.Select((c, i) =>
        {
            var m = Meta(rowGroup, i);
            var stats = m.OptionalStruct(12);
            return new ColumnChunkInfo(c, (ParquetCodec)m.Int(4, c.Name),
                m.List(2, c.Name).Select(e => (ParquetEncoding)Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                m.Long(5, c.Name), m.Long(7, c.Name), m.Long(6, c.Name),
                stats?.Get(3) is long n ? n : null, Decode(c, stats?.Get(6) as byte[]), Decode(c, stats?.Get(5) as byte[]));
        }).ToList());

    /// <summary>Reads every column of a row group.</summary>
    public IReadOnlyList<ColumnValues> ReadRowGroup(int rowGroup) => Schema.Select((_, i) => ReadColumn(rowGroup, i)).ToList();

    /// <summary>Reads one column of a row group: <c>int[]</c>, <c>long[]</c>, <c>float[]</c>, <c>double[]</c> or <c>string[]</c>
    /// for required columns, <c>int?[]</c> or <c>object?[]</c> for optional ones, <c>float[][]</c> / <c>double[][]</c> for lists.</summary>
    public ColumnValues ReadColumn(int rowGroup, string name)
    {
        var index = Schema.Select((c, i) => (c, i)).FirstOrDefault(p => p.c.Name == name);
        return index.c is null ? throw new DataException($"{Path}: has no column '{name}'") : ReadColumn(rowGroup, index.i);
    }

    private ColumnValues ReadColumn(int rowGroup, int column) => Guard(() =>
    {
        var spec = Schema[column];
        var m = Meta(rowGroup, column);
        var rows = (int)RowsIn(rowGroup);
        var codec = (ParquetCodec)m.Int(4, spec.Name);
        var total = m.Long(5, spec.Name);
        var offset = m.Long(9, spec.Name);
        var size = m.Long(7, spec.Name);
        if (offset < 4 || size < 0 || offset + size > _stream.Length - 8)
        {
            throw new FormatException($"column {spec.Name}: chunk at {offset} (+{size}) lies outside the file");
        }

        var chunk = new byte[size];
        _stream.Position = offset;
        _stream.ReadExactly(chunk);
        var reps = new List<int>();
        var defs = new List<int>();
        var values = new ValueSink(spec.Type);
        var pos = 0;
        long seen = 0;
        while (seen < total)
        {
            var header = CompactProtocol.Read(chunk, ref pos);
            var type = header.Int(1, "page header");
            var compressed = header.Int(3, "page header");
            var uncompressed = header.Int(2, "page header");
            if (compressed < 0 || pos + compressed > chunk.Length)
            {
                throw new FormatException($"column {spec.Name}: page of {compressed} bytes runs past its chunk");
            }

            var body = Codecs.Decompress(codec, chunk.AsSpan(pos, compressed), uncompressed);
            pos += compressed;
            if (type != 0)
            {
                throw new FormatException($"column {spec.Name}: page type {type} is not supported (data page v1 only)");
            }

            var dph = header.Struct(5, "data page header");
            var entries = dph.Int(1, "data page header");
            var encoding = (ParquetEncoding)dph.Int(2, "data page header");
            var at = 0;
            var pageReps = spec.MaxRepetitionLevel > 0 ? ReadLevels(body, ref at, spec.MaxRepetitionLevel, entries) : null;
            var pageDefs = spec.MaxDefinitionLevel > 0 ? ReadLevels(body, ref at, spec.MaxDefinitionLevel, entries) : null;
            var present = pageDefs is null ? entries : pageDefs.Count(d => d == spec.MaxDefinitionLevel);
            values.Add(body.AsSpan(at), present, encoding);
            reps.AddRange(pageReps ?? Enumerable.Repeat(0, entries));
            defs.AddRange(pageDefs ?? Enumerable.Repeat(spec.MaxDefinitionLevel, entries));
            seen += entries;
        }

        return new ColumnValues(spec, Assemble(spec, rows, reps, defs, values));
    });

    private static int[] ReadLevels(byte[] body, ref int at, int maxLevel, int entries)
    {
        if (at + 4 > body.Length)
        {
            throw new FormatException("levels end early");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(at));
        if (length < 0 || at + 4 + length > body.Length)
        {
            throw new FormatException("levels run past the page");
        }

        var levels = Levels.Read(body.AsSpan(at + 4, length), Levels.BitWidth(maxLevel), entries);
        at += 4 + length;
        return levels;
    }

    private static Array Assemble(ColumnSpec spec, int rows, List<int> reps, List<int> defs, ValueSink values)
    {
        switch (spec.Shape)
        {
            case ColumnShape.Required:
                if (values.Count != rows)
                {
                    throw new FormatException($"column {spec.Name}: {values.Count} values for {rows} rows");
                }

                return values.ToArray();
            case ColumnShape.Optional:
                var result = spec.Type == PhysicalType.Int32 ? (Array)new int?[rows] : new object?[rows];
                var v = 0;
                var all = values.ToArray();
                if (defs.Count != rows)
                {
                    throw new FormatException($"column {spec.Name}: {defs.Count} entries for {rows} rows");
                }

                for (var r = 0; r < rows; r++)
                {
                    result.SetValue(defs[r] == 1 ? all.GetValue(v++) : null, r);
                }

                return result;
            default:
                var starts = new List<int>();
                for (var i = 0; i < reps.Count; i++)
                {
                    if (reps[i] == 0)
                    {
                        starts.Add(i);
                    }
                }

                if (starts.Count != rows)
                {
                    throw new FormatException($"column {spec.Name}: {starts.Count} lists for {rows} rows");
                }

                var flat = values.ToArray();
                var lists = spec.Type == PhysicalType.Double ? (Array)new double[rows][] : new float[rows][];
                var taken = 0;
                for (var r = 0; r < rows; r++)
                {
                    var end = r + 1 < rows ? starts[r + 1] : reps.Count;
                    var n = 0;
                    for (var i = starts[r]; i < end; i++)
                    {
                        n += defs[i] == 1 ? 1 : 0;
                    }

                    var row = Array.CreateInstance(flat.GetType().GetElementType()!, n);
                    Array.Copy(flat, taken, row, 0, n);
                    taken += n;
                    lists.SetValue(row, r);
                }

                return lists;
        }
    }

    private ThriftStruct Meta(int rowGroup, int column)
    {
        if (rowGroup < 0 || rowGroup >= _rowGroups.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(rowGroup), $"{Path}: has {_rowGroups.Count} row groups");
        }

        var columns = _rowGroups[rowGroup].List(1, "row group");
        if (columns.Count != Schema.Count)
        {
            throw new FormatException($"row group {rowGroup} has {columns.Count} column chunks for {Schema.Count} columns");
        }

        return ((ThriftStruct)columns[column]).Struct(3, "column chunk");
    }

    private static object? Decode(ColumnSpec c, byte[]? b) => b is null ? null : c.Type switch
    {
        PhysicalType.Int32 when b.Length == 4 => BinaryPrimitives.ReadInt32LittleEndian(b),
        PhysicalType.Int64 when b.Length == 8 => BinaryPrimitives.ReadInt64LittleEndian(b),
        PhysicalType.Float when b.Length == 4 => BinaryPrimitives.ReadSingleLittleEndian(b),
        PhysicalType.Double when b.Length == 8 => BinaryPrimitives.ReadDoubleLittleEndian(b),
        PhysicalType.ByteArray => Encoding.UTF8.GetString(b),
        _ => null,
    };

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or IndexOutOfRangeException
                                      or InvalidDataException or EndOfStreamException or ArgumentException)
        {
            throw new DataException($"{Path}: corrupt Parquet data: {e.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    /// <summary>Decoded values of one physical type, accumulated over pages.</summary>
    private sealed class ValueSink(PhysicalType type)
    {
        private readonly List<float> _floats = [];
        private readonly List<double> _doubles = [];
        private readonly List<int> _ints = [];
        private readonly List<long> _longs = [];
        private readonly List<string> _strings = [];

        public int Count => type switch
        {
            PhysicalType.Float => _floats.Count,
            PhysicalType.Double => _doubles.Count,
            PhysicalType.Int32 => _ints.Count,
            PhysicalType.Int64 => _longs.Count,
            _ => _strings.Count,
        };

        public void Add(ReadOnlySpan<byte> data, int count, ParquetEncoding encoding)
        {
            var width = type switch { PhysicalType.Float or PhysicalType.Int32 => 4, PhysicalType.Double or PhysicalType.Int64 => 8, _ => 0 };
            if (width > 0 && data.Length < (long)count * width)
            {
                throw new FormatException($"{count} values need {count * width} bytes, the page has {data.Length}");
            }

            byte[]? joined = null;
            if (encoding == ParquetEncoding.ByteStreamSplit)
            {
                if (type is not (PhysicalType.Float or PhysicalType.Double))
                {
                    throw new FormatException($"BYTE_STREAM_SPLIT on {type} is not supported");
                }

                joined = new byte[count * width];
                for (var i = 0; i < count; i++)
                {
                    for (var k = 0; k < width; k++)
                    {
                        joined[i * width + k] = data[k * count + i];
                    }
                }

                data = joined;
            }
            else if (encoding != ParquetEncoding.Plain)
            {
                throw new FormatException($"encoding {(int)encoding} is not supported (PLAIN and BYTE_STREAM_SPLIT are)");
            }

            switch (type)
            {
                case PhysicalType.Float:
                    _floats.AddRange(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data[..(count * 4)]));
                    break;
                case PhysicalType.Double:
                    _doubles.AddRange(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(data[..(count * 8)]));
                    break;
                case PhysicalType.Int32:
                    _ints.AddRange(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(data[..(count * 4)]));
                    break;
                case PhysicalType.Int64:
                    _longs.AddRange(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(data[..(count * 8)]));
                    break;
                case PhysicalType.ByteArray:
                    var pos = 0;
                    for (var i = 0; i < count; i++)
                    {
                        if (pos + 4 > data.Length)
                        {
                            throw new FormatException("byte array values end early");
                        }

                        var n = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
                        if (n < 0 || pos + 4 + n > data.Length)
                        {
                            throw new FormatException("byte array value runs past the page");
                        }

                        _strings.Add(Encoding.UTF8.GetString(data.Slice(pos + 4, n)));
                        pos += 4 + n;
                    }

                    break;
                default:
                    throw new FormatException($"type {type} is not supported");
            }
        }

        public Array ToArray() => type switch
        {
            PhysicalType.Float => _floats.ToArray(),
            PhysicalType.Double => _doubles.ToArray(),
            PhysicalType.Int32 => _ints.ToArray(),
            PhysicalType.Int64 => _longs.ToArray(),
            _ => _strings.ToArray(),
        };
    }
}
