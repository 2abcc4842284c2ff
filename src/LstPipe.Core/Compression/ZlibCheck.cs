using LstPipe.Core.Interop;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.Compression;

/// <summary>Whether a zlib stream is intact: libdeflate inflates it and checks its Adler-32 (matio does neither).</summary>
public static unsafe class ZlibCheck
{
    /// <summary>Null when the stream inflates and its Adler-32 matches, else what is wrong.</summary>
    public static string? Problem(ReadOnlySpan<byte> stream)
    {
        NativeLibraries.Register(typeof(ZlibCheck).Assembly);
        var d = libdeflate_alloc_decompressor();
        if (d == 0)
        {
            throw new OutOfMemoryException("libdeflate could not allocate a decompressor");
        }

        try
        {
            var capacity = Math.Max(1 << 16, stream.Length * 4);
            while (true)
            {
                var output = System.Buffers.ArrayPool<byte>.Shared.Rent(capacity);
                try
                {
                    int result;
                    nuint actual;
                    fixed (byte* i = stream)
                    fixed (byte* o = output)
                    {
                        result = libdeflate_zlib_decompress(d, i, (nuint)stream.Length, o, (nuint)output.Length, &actual);
                    }

                    switch (result)
                    {
                        case 0:
                            return null;
                        case 3 when capacity < 1 << 30:
                            capacity *= 4;
                            continue;
                        case 1:
                            return "its zlib data is corrupt (the stream does not inflate or its Adler-32 checksum does not match)";
                        default:
                            return $"its zlib data does not inflate (libdeflate result {result})";
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(output);
                }
            }
        }
        finally
        {
            libdeflate_free_decompressor(d);
        }
    }
}
