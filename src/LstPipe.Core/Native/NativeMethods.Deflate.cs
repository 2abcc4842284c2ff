using System.Runtime.InteropServices;

namespace LstPipe.Core.Native;

/// <summary>The libdeflate 1.14 C API (libdeflate.h): whole-buffer DEFLATE, zlib and gzip compression, and zlib
/// decompression (which checks the stream's Adler-32), and the CRC-32 of zip and gzip.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Deflate = "deflate";

    [LibraryImport(Deflate)]
    internal static partial nint libdeflate_alloc_compressor(int compressionLevel);

    [LibraryImport(Deflate)]
    internal static partial void libdeflate_free_compressor(nint compressor);

    [LibraryImport(Deflate)]
    internal static partial nuint libdeflate_zlib_compress(nint compressor, byte* input, nuint inputBytes, byte* output,
        nuint outputAvailable);

    [LibraryImport(Deflate)]
    internal static partial nuint libdeflate_zlib_compress_bound(nint compressor, nuint inputBytes);

    [LibraryImport(Deflate)]
    internal static partial nuint libdeflate_gzip_compress(nint compressor, byte* input, nuint inputBytes, byte* output,
        nuint outputAvailable);

    [LibraryImport(Deflate)]
    internal static partial nuint libdeflate_gzip_compress_bound(nint compressor, nuint inputBytes);

    [LibraryImport(Deflate)]
    internal static partial nint libdeflate_alloc_decompressor();

    [LibraryImport(Deflate)]
    internal static partial void libdeflate_free_decompressor(nint decompressor);

    [LibraryImport(Deflate)]
    internal static partial int libdeflate_zlib_decompress(nint decompressor, byte* input, nuint inputBytes, byte* output,
        nuint outputAvailable, nuint* actualOutput);

    [LibraryImport(Deflate)]
    internal static partial uint libdeflate_crc32(uint crc, byte* buffer, nuint length);
}
