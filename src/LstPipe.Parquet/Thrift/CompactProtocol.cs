using System.Buffers.Binary;

namespace LstPipe.Parquet.Thrift;

/// <summary>The Thrift compact protocol, as Parquet uses it for its footer and page headers: zigzag varints,
/// field-id deltas, short list headers, booleans in the type nibble.</summary>
internal static class CompactProtocol
{
    public const byte Stop = 0;
    public const byte BoolTrue = 1;
    public const byte BoolFalse = 2;
    public const byte I8 = 3;
    public const byte I16 = 4;
    public const byte I32 = 5;
    public const byte I64 = 6;
    public const byte Double = 7;
    public const byte Binary = 8;
    public const byte List = 9;
    public const byte Set = 10;
    public const byte Map = 11;
    public const byte Struct = 12;

    private const int MaxDepth = 64;

    public static byte[] Serialize(ThriftStruct s)
    {
        using var ms = new MemoryStream();
        Write(ms, s);
        return ms.ToArray();
    }

    public static void Write(Stream output, ThriftStruct s)
    {
        short last = 0;
        foreach (var (id, value) in s.Fields)
        {
            var type = value is bool b ? (b ? BoolTrue : BoolFalse) : TypeOf(value);
            var delta = id - last;
            if (delta is > 0 and <= 15)
            {
                output.WriteByte((byte)((delta << 4) | type));
            }
            else
            {
                output.WriteByte(type);
                WriteVarint(output, ZigZag(id));
            }

            if (value is not bool)
            {
                WriteValue(output, value);
            }

            last = id;
        }

        output.WriteByte(Stop);
    }

    private static byte TypeOf(object v) => v switch
    {
        bool => BoolTrue,
        sbyte => I8,
        short => I16,
        int => I32,
        long => I64,
        double => Double,
        byte[] => Binary,
        ThriftList => List,
        ThriftStruct => Struct,
        _ => throw new ArgumentException($"no thrift type for {v.GetType().Name}"),
    };

    private static void WriteValue(Stream o, object v)
    {
        switch (v)
        {
            case bool b:
                o.WriteByte(b ? (byte)1 : (byte)0);
                break;
            case sbyte x:
                o.WriteByte((byte)x);
                break;
            case short x:
                WriteVarint(o, ZigZag(x));
                break;
            case int x:
                WriteVarint(o, ZigZag(x));
                break;
            case long x:
                WriteVarint(o, ZigZag(x));
                break;
            case double d:
                Span<byte> buf = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(buf, d);
                o.Write(buf);
                break;
            case byte[] bytes:
                WriteVarint(o, (ulong)bytes.Length);
                o.Write(bytes);
                break;
            case ThriftList list:
                if (list.Items.Count < 15)
                {
                    o.WriteByte((byte)((list.Items.Count << 4) | list.ElementType));
                }
                else
                {
                    o.WriteByte((byte)(0xF0 | list.ElementType));
                    WriteVarint(o, (ulong)list.Items.Count);
                }

                foreach (var item in list.Items)
                {
                    WriteValue(o, item);
                }

                break;
            case ThriftStruct s:
                Write(o, s);
                break;
            default:
                throw new ArgumentException($"no thrift type for {v.GetType().Name}");
        }
    }

    public static void WriteVarint(Stream o, ulong v)
    {
        while (v >= 0x80)
        {
            o.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }

        o.WriteByte((byte)v);
    }

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    /// <summary>Reads a struct starting at <paramref name="pos"/>; malformed input raises <see cref="FormatException"/>.</summary>
    public static ThriftStruct Read(ReadOnlySpan<byte> data, ref int pos) => ReadStruct(data, ref pos, 0);

    private static ThriftStruct ReadStruct(ReadOnlySpan<byte> data, ref int pos, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("thrift structs nest too deeply");
        }

        var s = new ThriftStruct();
        short last = 0;
        while (true)
        {
            var header = Byte(data, ref pos);
            if (header == Stop)
            {
                return s;
            }

            var type = (byte)(header & 0x0F);
            var delta = header >> 4;
            var id = delta != 0 ? (short)(last + delta) : checked((short)UnZigZag(ReadVarint(data, ref pos)));
            object value = type switch
            {
                BoolTrue => true,
                BoolFalse => false,
                _ => ReadValue(data, ref pos, type, depth),
            };
            s.AddRead(id, value);
            last = id;
        }
    }

    private static object ReadValue(ReadOnlySpan<byte> data, ref int pos, byte type, int depth)
    {
        switch (type)
        {
            case BoolTrue:
            case BoolFalse:
                return Byte(data, ref pos) == 1;
            case I8:
                return (sbyte)Byte(data, ref pos);
            case I16:
                return checked((short)UnZigZag(ReadVarint(data, ref pos)));
            case I32:
                return checked((int)UnZigZag(ReadVarint(data, ref pos)));
            case I64:
                return UnZigZag(ReadVarint(data, ref pos));
            case Double:
                Need(data, pos, 8);
                var d = BinaryPrimitives.ReadDoubleLittleEndian(data[pos..]);
                pos += 8;
                return d;
            case Binary:
                var len = checked((int)ReadVarint(data, ref pos));
                Need(data, pos, len);
                var bytes = data.Slice(pos, len).ToArray();
                pos += len;
                return bytes;
            case List:
            case Set:
                var h = Byte(data, ref pos);
                var count = h >> 4 == 15 ? checked((int)ReadVarint(data, ref pos)) : h >> 4;
                var elementType = (byte)(h & 0x0F);
                if (count > data.Length - pos + 1)
                {
                    throw new FormatException($"thrift list of {count} elements is longer than the data");
                }

                var items = new List<object>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(ReadValue(data, ref pos, elementType, depth + 1));
                }

                return new ThriftList(elementType, items);
            case Struct:
                return ReadStruct(data, ref pos, depth + 1);
            case Map:
                var size = checked((int)ReadVarint(data, ref pos));
                if (size == 0)
                {
                    return new ThriftList(Struct, []);
                }

                var kv = Byte(data, ref pos);
                for (var i = 0; i < size; i++)
                {
                    ReadValue(data, ref pos, (byte)(kv >> 4), depth + 1);
                    ReadValue(data, ref pos, (byte)(kv & 0x0F), depth + 1);
                }

                return new ThriftList(Struct, []);
            default:
                throw new FormatException($"unknown thrift type {type} at byte {pos}");
        }
    }

    private static byte Byte(ReadOnlySpan<byte> data, ref int pos)
    {
        Need(data, pos, 1);
        return data[pos++];
    }

    private static void Need(ReadOnlySpan<byte> data, int pos, int n)
    {
        if (n < 0 || pos + n > data.Length)
        {
            throw new FormatException("thrift data ends early");
        }
    }

    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte(data, ref pos);
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException("thrift varint is too long");
    }

    private static long UnZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);
}
