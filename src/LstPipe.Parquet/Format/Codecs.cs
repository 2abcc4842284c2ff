using System.IO.Compression;
using System.Runtime.InteropServices;
using LstPipe.Core.Interop;
using static LstPipe.Parquet.Native.NativeMethods;

namespace LstPipe.Parquet.Format;

/// <summary>Page compression: GZIP through System.IO.Compression, ZSTD through libzstd.</summary>
internal static unsafe class Codecs
{
    private static readonly Lazy<bool> ZstdLoaded = new(() =>
    {
        NativeLibraries.Register(typeof(Codecs).Assembly);
        NativeLibraries.Require("zstd");
        return true;
    });

    public static byte[] Compress(ParquetCodec codec, ReadOnlySpan<byte> data, int? level)
    {
        switch (codec)
        {
            case ParquetCodec.Uncompressed:
                return data.ToArray();
            case ParquetCodec.Gzip:
                using (var ms = new MemoryStream())
                {
                    using (var gz = new GZipStream(ms, level is <= 3 ? CompressionLevel.Fastest : CompressionLevel.Optimal, leaveOpen: true))
                    {
                        gz.Write(data);
                    }

                    return ms.ToArray();
                }

            case ParquetCodec.Zstd:
                _ = ZstdLoaded.Value;
                var bound = (int)ZSTD_compressBound((nuint)data.Length);
                var output = new byte[bound];
                nuint written;
                fixed (byte* src = data)
                fixed (byte* dst = output)
                {
                    written = ZSTD_compress(dst, (nuint)bound, src, (nuint)data.Length, level ?? 3);
                }

                Check(written);
                return output[..(int)written];
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, "unsupported codec");
        }
    }

    public static byte[] Decompress(ParquetCodec codec, ReadOnlySpan<byte> data, int uncompressedSize)
    {
        switch (codec)
        {
            case ParquetCodec.Uncompressed:
                return data.ToArray();
            case ParquetCodec.Gzip:
                var result = new byte[uncompressedSize];
                using (var gz = new GZipStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress))
                {
                    gz.ReadExactly(result);
                }

                return result;
            case ParquetCodec.Zstd:
                _ = ZstdLoaded.Value;
                var output = new byte[uncompressedSize];
                nuint n;
                fixed (byte* src = data)
                fixed (byte* dst = output)
                {
                    n = ZSTD_decompress(dst, (nuint)output.Length, src, (nuint)data.Length);
                }

                Check(n);
                if ((int)n != uncompressedSize)
                {
                    throw new FormatException($"zstd page inflated to {n} bytes, header says {uncompressedSize}");
                }

                return output;
            default:
                throw new FormatException($"codec {(int)codec} is not supported by this reader (GZIP, ZSTD and uncompressed are)");
        }
    }

    private static void Check(nuint code)
    {
        if (ZSTD_isError(code) != 0)
        {
            throw new FormatException("zstd: " + Marshal.PtrToStringUTF8(ZSTD_getErrorName(code)));
        }
    }
}
