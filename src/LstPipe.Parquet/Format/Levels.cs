namespace LstPipe.Parquet.Format;

/// <summary>The RLE / bit-packed hybrid encoding of repetition and definition levels (Parquet Encodings.md).
/// The writer emits RLE runs only (our levels come in long runs); the reader decodes both run kinds.</summary>
internal static class Levels
{
    public static int BitWidth(int maxLevel) => maxLevel == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)maxLevel);

    /// <summary>Appends the runs of <paramref name="runs"/> (value, count) to <paramref name="output"/>.</summary>
    public static void WriteRuns(MemoryStream output, int bitWidth, IEnumerable<(int Value, int Count)> runs)
    {
        var byteWidth = (bitWidth + 7) / 8;
        foreach (var (value, count) in runs)
        {
            if (count == 0)
            {
                continue;
            }

            Thrift.CompactProtocol.WriteVarint(output, (ulong)count << 1);
            for (var b = 0; b < byteWidth; b++)
            {
                output.WriteByte((byte)(value >> (8 * b)));
            }
        }
    }

    /// <summary>Decodes <paramref name="count"/> levels.</summary>
    public static int[] Read(ReadOnlySpan<byte> data, int bitWidth, int count)
    {
        var levels = new int[count];
        if (bitWidth == 0)
        {
            return levels;
        }

        var byteWidth = (bitWidth + 7) / 8;
        var pos = 0;
        var n = 0;
        while (n < count)
        {
            var header = Thrift.CompactProtocol.ReadVarint(data, ref pos);
            if ((header & 1) == 0)
            {
                var run = (int)(header >> 1);
                if (pos + byteWidth > data.Length)
                {
                    throw new FormatException("level run ends early");
                }

                var value = 0;
                for (var b = 0; b < byteWidth; b++)
                {
                    value |= data[pos++] << (8 * b);
                }

                for (var i = 0; i < run && n < count; i++)
                {
                    levels[n++] = value;
                }
            }
            else
            {
                var groups = (int)(header >> 1);
                var bytes = groups * bitWidth;
                if (pos + bytes > data.Length)
                {
                    throw new FormatException("bit-packed levels end early");
                }

                var bits = data.Slice(pos, bytes);
                for (var i = 0; i < groups * 8 && n < count; i++)
                {
                    var v = 0;
                    for (var k = 0; k < bitWidth; k++)
                    {
                        var bit = i * bitWidth + k;
                        v |= ((bits[bit >> 3] >> (bit & 7)) & 1) << k;
                    }

                    levels[n++] = v;
                }

                pos += bytes;
            }
        }

        return levels;
    }
}
