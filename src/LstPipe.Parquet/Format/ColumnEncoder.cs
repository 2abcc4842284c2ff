using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace LstPipe.Parquet.Format;

/// <summary>Turns one column's rows into levels and encoded values, and keeps its statistics.</summary>
internal sealed class ColumnEncoder(ColumnSpec spec, bool byteStreamSplit)
{
    public ColumnSpec Spec { get; } = spec;

    public ParquetEncoding ValueEncoding { get; } =
        byteStreamSplit && spec.Type is PhysicalType.Float or PhysicalType.Double ? ParquetEncoding.ByteStreamSplit : ParquetEncoding.Plain;

    public long NullCount { get; private set; }

    public byte[]? Min { get; private set; }

    public byte[]? Max { get; private set; }

    private double _minNumber = double.PositiveInfinity;
    private double _maxNumber = double.NegativeInfinity;
    private byte[]? _minBytes;
    private byte[]? _maxBytes;

    /// <summary>Encodes rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a v1 page body
    /// (levels then values, uncompressed); returns the body and the number of level entries.</summary>
    public (byte[] Body, int Entries) EncodePage(Array rows, int start, int count)
    {
        using var body = new MemoryStream();
        var rep = new List<(int, int)>();
        var def = new List<(int, int)>();
        using var values = new MemoryStream();
        var entries = 0;
        var floats = new List<float>();
        var doubles = new List<double>();
        for (var r = start; r < start + count; r++)
        {
            var v = rows.GetValue(r);
            switch (Spec.Shape)
            {
                case ColumnShape.Required:
                    Append(values, v ?? throw new ArgumentException($"column {Spec.Name}: row {r} is null in a required column"), floats, doubles);
                    entries++;
                    break;
                case ColumnShape.Optional:
                    AddRun(def, v is null ? 0 : 1, 1);
                    if (v is null)
                    {
                        NullCount++;
                    }
                    else
                    {
                        Append(values, v, floats, doubles);
                    }

                    entries++;
                    break;
                case ColumnShape.List:
                    var list = (Array)(v ?? throw new ArgumentException($"column {Spec.Name}: row {r} is null in a list column"));
                    if (list.Length == 0)
                    {
                        AddRun(rep, 0, 1);
                        AddRun(def, 0, 1);
                        entries++;
                        break;
                    }

                    AddRun(rep, 0, 1);
                    AddRun(rep, 1, list.Length - 1);
                    AddRun(def, 1, list.Length);
                    AppendList(values, list, floats, doubles);
                    entries += list.Length;
                    break;
            }
        }

        FlushFloats(values, floats, doubles);
        if (Spec.MaxRepetitionLevel > 0)
        {
            WriteLevels(body, Spec.MaxRepetitionLevel, rep);
        }

        if (Spec.MaxDefinitionLevel > 0)
        {
            WriteLevels(body, Spec.MaxDefinitionLevel, def);
        }

        values.Position = 0;
        values.CopyTo(body);
        return (body.ToArray(), entries);
    }

    private static void AddRun(List<(int Value, int Count)> runs, int value, int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (runs.Count > 0 && runs[^1].Value == value)
        {
            runs[^1] = (value, runs[^1].Count + count);
        }
        else
        {
            runs.Add((value, count));
        }
    }

    private static void WriteLevels(MemoryStream body, int maxLevel, List<(int, int)> runs)
    {
        using var levels = new MemoryStream();
        Levels.WriteRuns(levels, Levels.BitWidth(maxLevel), runs);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, (int)levels.Length);
        body.Write(length);
        levels.Position = 0;
        levels.CopyTo(body);
    }

    private void AppendList(MemoryStream values, Array list, List<float> floats, List<double> doubles)
    {
        if (list is float[] f && Spec.Type == PhysicalType.Float)
        {
            floats.AddRange(f);
            foreach (var x in f)
            {
                Observe(x);
            }

            return;
        }

        foreach (var item in list)
        {
            Append(values, item!, floats, doubles);
        }
    }

    private void Append(MemoryStream values, object v, List<float> floats, List<double> doubles)
    {
        Span<byte> buf = stackalloc byte[8];
        switch (Spec.Type)
        {
            case PhysicalType.Int32:
                var i = Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture);
                BinaryPrimitives.WriteInt32LittleEndian(buf, i);
                values.Write(buf[..4]);
                Observe(i);
                break;
            case PhysicalType.Int64:
                var l = Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
                BinaryPrimitives.WriteInt64LittleEndian(buf, l);
                values.Write(buf);
                Observe(l);
                break;
            case PhysicalType.Float:
                floats.Add(Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture));
                Observe(floats[^1]);
                break;
            case PhysicalType.Double:
                doubles.Add(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture));
                Observe(doubles[^1]);
                break;
            case PhysicalType.ByteArray:
                var bytes = v as byte[] ?? Encoding.UTF8.GetBytes((string)v);
                BinaryPrimitives.WriteInt32LittleEndian(buf, bytes.Length);
                values.Write(buf[..4]);
                values.Write(bytes);
                ObserveBytes(bytes);
                break;
            default:
                throw new NotSupportedException($"column {Spec.Name}: type {Spec.Type} is not supported");
        }
    }

    private void FlushFloats(MemoryStream values, List<float> floats, List<double> doubles)
    {
        if (floats.Count > 0)
        {
            var raw = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(floats));
            WriteFixed(values, raw, 4);
        }

        if (doubles.Count > 0)
        {
            var raw = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(doubles));
            WriteFixed(values, raw, 8);
        }
    }

    private void WriteFixed(MemoryStream values, ReadOnlySpan<byte> raw, int width)
    {
        if (ValueEncoding != ParquetEncoding.ByteStreamSplit)
        {
            values.Write(raw);
            return;
        }

        var n = raw.Length / width;
        var split = new byte[raw.Length];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < width; k++)
            {
                split[k * n + i] = raw[i * width + k];
            }
        }

        values.Write(split);
    }

    private void Observe<T>(T x)
        where T : unmanaged, INumber<T>
    {
        if (T.IsNaN(x))
        {
            return;
        }

        var v = double.CreateTruncating(x);
        if (v < _minNumber)
        {
            _minNumber = v;
            Min = PlainBytes(x);
        }

        if (v > _maxNumber)
        {
            _maxNumber = v;
            Max = PlainBytes(x);
        }
    }

    private static byte[] PlainBytes<T>(T x)
        where T : unmanaged => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in x)).ToArray();

    private void ObserveBytes(byte[] b)
    {
        if (_minBytes is null || b.AsSpan().SequenceCompareTo(_minBytes) < 0)
        {
            _minBytes = b;
            Min = b;
        }

        if (_maxBytes is null || b.AsSpan().SequenceCompareTo(_maxBytes) > 0)
        {
            _maxBytes = b;
            Max = b;
        }
    }
}
