using System.Runtime.InteropServices;

namespace LstPipe.Parquet.Native;

/// <summary>The libzstd 1.5 C API (zstd.h). Every zstd entry point the project calls is declared here.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Zstd = "zstd";

    [LibraryImport(Zstd)]
    internal static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(Zstd)]
    internal static partial nuint ZSTD_compress(void* dst, nuint dstCapacity, void* src, nuint srcSize, int compressionLevel);

    [LibraryImport(Zstd)]
    internal static partial nuint ZSTD_decompress(void* dst, nuint dstCapacity, void* src, nuint compressedSize);

    [LibraryImport(Zstd)]
    internal static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Zstd)]
    internal static partial nint ZSTD_getErrorName(nuint code);
}
