using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LstPipe.Core;
using LstPipe.Core.Compression;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using static LstPipe.Dataset.Native.NativeMethods;

namespace LstPipe.Dataset.Mat;

/// <summary>
/// Writes and reads MAT files through matio: MAT version 5 (what <c>scipy.io.loadmat</c> and the GrokLST loader read)
/// with optional zlib compression, or version 7.3. Arrays are 2-D MATLAB <c>single</c>; row-major buffers are
/// transposed to MATLAB's column-major order on write and back on read.
/// </summary>
public static unsafe partial class MatFile
{
    private const int HeaderBytes = 128;
    private const uint MiMatrix = 14;

    /// <summary>The fixed 116-byte header text: matio's default carries a timestamp, which would make
    /// identical datasets differ byte-wise.</summary>
    public static string HeaderText { get; } = $"MATLAB 5.0 MAT-file, Platform: GLNXA64, Created by: {ToolInfo.Name} {ToolInfo.Version}";

    /// <summary>Writes the arrays as one MAT file, atomically (temporary name, then rename).</summary>
    /// <param name="path">Final path.</param>
    /// <param name="arrays">Variables in the order they are written.</param>
    /// <param name="compress">zlib-compress each variable at level <see cref="DeflateCompressor.DefaultLevel"/> (MAT 5 only).</param>
    /// <param name="version73">Write MAT 7.3 (HDF5) instead of MAT 5.</param>
    /// <param name="scratch">A reusable buffer of at least the largest array's length, or null.</param>
    public static void Write(string path, IReadOnlyList<MatArray> arrays, bool compress = true, bool version73 = false,
        float[]? scratch = null)
    {
        if (compress && !version73)
        {
            using var compressor = new DeflateCompressor();
            Write(path, arrays, compressor, scratch);
        }
        else
        {
            WriteCore(path, arrays, null, version73, scratch);
        }
    }

    /// <summary>Writes the arrays as one MAT 5 file, atomically, each variable zlib-compressed by
    /// <paramref name="compressor"/> (or stored raw when it is null).</summary>
    /// <param name="path">Final path.</param>
    /// <param name="arrays">Variables in the order they are written.</param>
    /// <param name="compressor">The calling worker's compressor, or null for uncompressed variables.</param>
    /// <param name="scratch">A reusable buffer of at least the largest array's length, or null.</param>
    /// <remarks>matio serializes every variable; each of its elements is then wrapped as a <c>miCOMPRESSED</c>
    /// element, exactly as matio's own zlib mode does, but with libdeflate, which is several times faster.</remarks>
    public static void Write(string path, IReadOnlyList<MatArray> arrays, DeflateCompressor? compressor, float[]? scratch = null) =>
        WriteCore(path, arrays, compressor, false, scratch);

    private static void WriteCore(string path, IReadOnlyList<MatArray> arrays, DeflateCompressor? compressor, bool version73,
        float[]? scratch)
    {
        MatRuntime.EnsureInitialized();
        using var file = AtomicFile.Begin(path);
        WriteFailure.Guard(file.TemporaryPath, () => WriteInto(path, file, arrays, compressor, version73, scratch));
    }

    private static void WriteInto(string path, AtomicFile file, IReadOnlyList<MatArray> arrays, DeflateCompressor? compressor,
        bool version73, float[]? scratch)
    {
        var mat = Mat_CreateVer(file.TemporaryPath, version73 ? null : HeaderText, version73 ? MAT_FT_MAT73 : MAT_FT_MAT5);
        if (mat == 0)
        {
            throw new DataException($"{path}: cannot create MAT file: {MatRuntime.TakeMessage()}");
        }

        try
        {
            foreach (var a in arrays)
            {
                WriteVariable(mat, path, a, scratch);
            }
        }
        catch
        {
            Mat_Close(mat);
            throw;
        }

        if (Mat_Close(mat) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw OutOfSpaceException.IsErrno(errno) ? new OutOfSpaceException(path) : new DataException($"{path}: matio could " +
                $"not finish the file (errno {errno})");
        }

        if (compressor is not null)
        {
            CompressElements(path, file.TemporaryPath, compressor);
        }
        else if (!version73)
        {
            CheckWritten(path, file.TemporaryPath, arrays.Count);
        }

        file.Commit();
    }

    /// <summary>Checks that an uncompressed MAT 5 file holds its variables' elements whole: matio does not check its
    /// writes, so a full disk leaves a short or scrambled file behind an fclose that succeeded.</summary>
    private static void CheckWritten(string path, string temporaryPath, int variables)
    {
        using var input = File.OpenRead(temporaryPath);
        var length = input.Length;
        Span<byte> tag = stackalloc byte[8];
        long offset = HeaderBytes;
        for (var i = 0; i < variables; i++)
        {
            input.Position = offset;
            if (offset + 8 > length || input.Read(tag) != 8 || BinaryPrimitives.ReadUInt32LittleEndian(tag) != MiMatrix)
            {
                throw WriteFailed(path, length);
            }

            offset += 8L + BinaryPrimitives.ReadUInt32LittleEndian(tag[4..]);
        }

        if (offset != length)
        {
            throw WriteFailed(path, length);
        }
    }

    /// <summary>The error for a file matio left short or scrambled: a full disk (or quota) nearly always; otherwise
    /// a write error the C library swallowed.</summary>
    private static DataException WriteFailed(string path, long length)
    {
        var free = Volume.Of(path);
        return free is not { AvailableBytes: >= 64L << 20 }
            ? new OutOfSpaceException(path)
            : new DataException($"{path}: matio's write came out incomplete ({length} bytes) with {free.AvailableBytes >> 20} MiB " +
                $"free; an I/O error or a quota? Check the file system and run again");
    }

    /// <summary>Rewrites an uncompressed MAT 5 file in place with every top-level element zlib-compressed.</summary>
    private static void CompressElements(string path, string temporaryPath, DeflateCompressor compressor)
    {
        const uint miCompressed = 15;
        var length = checked((int)new FileInfo(temporaryPath).Length);
        if (length < HeaderBytes)
        {
            throw WriteFailed(path, length);
        }

        var raw = ArrayPool<byte>.Shared.Rent(length);
        var packed = ArrayPool<byte>.Shared.Rent(HeaderBytes + compressor.ZlibBound(length) + 4096);
        try
        {
            using (var input = File.OpenRead(temporaryPath))
            {
                input.ReadExactly(raw, 0, length);
            }

            raw.AsSpan(0, HeaderBytes).CopyTo(packed);
            var written = HeaderBytes;
            var offset = HeaderBytes;
            while (offset < length)
            {
                var type = offset + 8 <= length ? BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(offset)) : 0;
                var declared = offset + 8 <= length ? BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(offset + 4)) : 0;
                if (type != MiMatrix || offset + 8L + declared > length)
                {
                    throw WriteFailed(path, length);
                }

                var size = (int)declared;

                var element = raw.AsSpan(offset, 8 + size);
                var target = packed.AsSpan(written + 8);
                if (target.Length < compressor.ZlibBound(element.Length))
                {
                    throw new DataException($"{path}: compressed variables outgrew the buffer");
                }

                var n = compressor.CompressZlib(element, target);
                BinaryPrimitives.WriteUInt32LittleEndian(packed.AsSpan(written), miCompressed);
                BinaryPrimitives.WriteUInt32LittleEndian(packed.AsSpan(written + 4), (uint)n);
                written += 8 + n;
                offset += 8 + size;
            }

            using var output = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            output.Write(packed, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<byte>.Shared.Return(packed);
        }
    }

    private static void WriteVariable(nint mat, string path, MatArray a, float[]? scratch)
    {
        var n = a.Height * a.Width;
        if (a.Values.Length < n)
        {
            throw new ArgumentException($"variable {a.Name}: {a.Values.Length} values for {a.Height} x {a.Width}");
        }

        var columnMajor = scratch is not null && scratch.Length >= n ? scratch : new float[n];
        Transpose(a.Values, columnMajor, a.Height, a.Width);
        var dims = stackalloc nuint[2];
        dims[0] = (nuint)a.Height;
        dims[1] = (nuint)a.Width;
        fixed (float* data = columnMajor)
        {
            var v = Mat_VarCreate(a.Name, MAT_C_SINGLE, MAT_T_SINGLE, 2, dims, data, MAT_F_DONT_COPY_DATA);
            if (v == 0)
            {
                throw new DataException($"{path}: cannot create variable '{a.Name}': {MatRuntime.TakeMessage()}");
            }

            try
            {
                if (Mat_VarWrite(mat, v, MAT_COMPRESSION_NONE) != 0)
                {
                    if (OutOfSpaceException.IsErrno(Marshal.GetLastPInvokeError()))
                    {
                        throw new OutOfSpaceException(path);
                    }

                    throw new DataException($"{path}: cannot write variable '{a.Name}': {MatRuntime.TakeMessage()}");
                }
            }
            finally
            {
                Mat_VarFree(v);
            }
        }
    }

    /// <summary>Row-major (H x W) to column-major, in 32 x 32 blocks for cache locality.</summary>
    internal static void Transpose(ReadOnlySpan<float> rowMajor, Span<float> columnMajor, int height, int width)
    {
        if (rowMajor.Length < height * width || columnMajor.Length < height * width)
        {
            throw new ArgumentException("buffers are smaller than the array");
        }

        const int b = 32;
        fixed (float* src = rowMajor)
        fixed (float* dst = columnMajor)
        {
            for (var r0 = 0; r0 < height; r0 += b)
            {
                var r1 = Math.Min(height, r0 + b);
                for (var c0 = 0; c0 < width; c0 += b)
                {
                    var c1 = Math.Min(width, c0 + b);
                    for (var c = c0; c < c1; c++)
                    {
                        var d = dst + (long)c * height;
                        var s = src + c;
                        for (var r = r0; r < r1; r++)
                        {
                            d[r] = s[(long)r * width];
                        }
                    }
                }
            }
        }
    }
}
