using LstPipe.Core.Interop;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.Compression;

/// <summary>The CRC-32 of zip and gzip (ISO-HDLC polynomial), computed by libdeflate.</summary>
public static unsafe class Crc32
{
    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Of(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>The CRC-32 of a stream's bytes from its position to its end, and how many there were.</summary>
    public static (uint Crc, long Length) Of(Stream stream)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var (crc, length) = (0u, 0L);
            for (int n; (n = stream.Read(buffer, 0, buffer.Length)) > 0; length += n)
            {
                crc = Append(crc, buffer.AsSpan(0, n));
            }

            return (crc, length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The CRC-32 of what <paramref name="crc"/> was computed over followed by <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        NativeLibraries.Register(typeof(Crc32).Assembly);
        fixed (byte* p = data)
        {
            return libdeflate_crc32(crc, p, (nuint)data.Length);
        }
    }
}
