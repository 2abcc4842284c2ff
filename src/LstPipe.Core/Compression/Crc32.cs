using LstPipe.Core.Interop;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.Compression;

/// <summary>The CRC-32 of zip and gzip (ISO-HDLC polynomial), computed by libdeflate.</summary>
public static unsafe class Crc32
{
    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Of(ReadOnlySpan<byte> data) => Append(0, data);

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
