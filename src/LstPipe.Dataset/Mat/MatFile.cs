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
    public static void Write(string path, IReadOnlyList<MatArray> arrays, bool compress = true, bool version73 = false, float[]? scratch = null)
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

    private static void WriteCore(string path, IReadOnlyList<MatArray> arrays, DeflateCompressor? compressor, bool version73, float[]? scratch)
    {
        MatRuntime.EnsureInitialized();
        using var file = AtomicFile.Begin(path);
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
            throw OutOfSpaceException.IsErrno(errno) ? new OutOfSpaceException(path) : new DataException($"{path}: matio could not finish the file (errno {errno})");
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
        var free = OutOfSpaceException.Available(path);
        return free is not { Bytes: >= 64L << 20 }
            ? new OutOfSpaceException(path)
            : new DataException($"{path}: matio's write came out incomplete ({length} bytes) with {free.Value.Bytes >> 20} MiB free; an I/O error or a quota? Check the file system and run again");
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

    /// <summary>Reads every 2-D variable of a MAT file (version 5 or 7.3), row-major: MATLAB <c>single</c>, or
    /// <c>double</c> (MATLAB's default, as files saved by MATLAB itself or scipy hold) rounded to float32.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">The file is not a MAT file, is corrupt, or holds another kind of variable.</exception>
    public static IReadOnlyList<MatArray> Read(string path) => WithFile(path, mat =>
    {
        var result = new List<MatArray>();
        while (true)
        {
            var v = Mat_VarReadNext(mat);
            if (v == 0)
            {
                break;
            }

            try
            {
                result.Add(ToArray(path, v));
            }
            finally
            {
                Mat_VarFree(v);
            }
        }

        if (result.Count == 0)
        {
            throw new DataException($"{path}: MAT file holds no readable variables (truncated or corrupt)");
        }

        return (IReadOnlyList<MatArray>)result;
    });

    /// <summary>Reads one named variable (matio skips the others without decoding them).</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">The file is not a MAT file, is corrupt, or has no such variable.</exception>
    public static MatArray Read(string path, string name) => WithFile(path, mat =>
    {
        var v = Mat_VarRead(mat, name);
        if (v == 0)
        {
            throw Unread(mat, path, name);
        }

        try
        {
            return ToArray(path, v);
        }
        finally
        {
            Mat_VarFree(v);
        }
    });

    /// <summary>Opens a MAT file with matio, checks its version (and a version 5 file's element sizes), runs
    /// <paramref name="read"/> and closes it.</summary>
    private static T WithFile<T>(string path, Func<nint, T> read)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        MatRuntime.EnsureInitialized();
        MatRuntime.TakeMessage();
        var mat = Mat_Open(path, MAT_ACC_RDONLY);
        if (mat == 0)
        {
            throw new DataException($"{path}: not a readable MAT file: {MatRuntime.TakeMessage()}");
        }

        try
        {
            var version = Mat_GetVersion(mat);
            if (version is not (MAT_FT_MAT5 or MAT_FT_MAT73))
            {
                throw new DataException($"{path}: not a MAT version 5 or 7.3 file (matio reads it as version 0x{version:x4})");
            }

            if (version == MAT_FT_MAT5)
            {
                CheckElements(path);
            }

            return read(mat);
        }
        finally
        {
            Mat_Close(mat);
        }
    }

    /// <summary>Files whose compressed elements were checked, by path, size and time (a reader that takes one variable
    /// at a time checks a file once).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, long, DateTime), bool> Verified = new();

    /// <summary>Walks the top-level data elements of a MAT 5 file: each tag's byte count must fit in the file, and each
    /// compressed element must inflate with a matching Adler-32. matio inflates a truncated compressed variable without
    /// reporting it and never checks the checksum, so this catches cut and bit-flipped files.</summary>
    private static void CheckElements(string path)
    {
        using var stream = File.OpenRead(path);
        var length = stream.Length;
        var key = (Path.GetFullPath(path), length, File.GetLastWriteTimeUtc(path));
        var verify = !Verified.ContainsKey(key);
        Span<byte> header = stackalloc byte[128];
        if (stream.Read(header) != 128)
        {
            throw new DataException($"{path}: truncated MAT header");
        }

        var bigEndian = header[126] == (byte)'M' && header[127] == (byte)'I';
        Span<byte> tag = stackalloc byte[8];
        long offset = 128;
        while (offset < length)
        {
            stream.Position = offset;
            if (stream.Read(tag) != 8)
            {
                throw new DataException($"{path}: truncated at byte {offset} (incomplete element tag); the file is cut short");
            }

            var type = bigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(tag) : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tag);
            var small = (type >> 16) != 0;
            long size = small ? 0 : bigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(tag[4..]) : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tag[4..]);
            const uint miCompressed = 15;
            var next = offset + 8 + (type == miCompressed || small ? size : (size + 7) / 8 * 8);
            if (next > length)
            {
                throw new DataException($"{path}: truncated: an element at byte {offset} needs {next - length} more bytes than the file has");
            }

            if (verify && type == miCompressed && size > 0)
            {
                var packed = System.Buffers.ArrayPool<byte>.Shared.Rent((int)size);
                try
                {
                    stream.ReadExactly(packed, 0, (int)size);
                    if (ZlibCheck.Problem(packed.AsSpan(0, (int)size)) is { } problem)
                    {
                        throw new DataException($"{path}: the variable at byte {offset}: {problem}; the file is damaged, rebuild it (lstpipe crop --force)");
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(packed);
                }
            }

            offset = next;
        }

        if (verify)
        {
            if (Verified.Count > 4096)
            {
                Verified.Clear();
            }

            Verified[key] = true;
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

    private static MatArray ToArray(string path, nint v)
    {
        var p = (byte*)v;
        var name = Marshal.PtrToStringUTF8(*(nint*)(p + MatVarNameOffset)) ?? "";
        var rank = *(int*)(p + MatVarRankOffset);
        var classType = *(int*)(p + MatVarClassTypeOffset);
        var isComplex = *(int*)(p + MatVarIsComplexOffset);
        var data = *(nint*)(p + MatVarDataOffset);
        if (rank != 2 || classType is not (MAT_C_SINGLE or MAT_C_DOUBLE) || isComplex != 0)
        {
            throw new DataException($"{path}: variable '{name}' is not a real 2-D single or double array (rank {rank}, class {classType})");
        }

        if (data == 0)
        {
            throw new DataException($"{path}: variable '{name}' has no data (truncated or corrupt file)");
        }

        var dims = *(nuint**)(p + MatVarDimsOffset);
        var h = checked((int)dims[0]);
        var w = checked((int)dims[1]);
        var values = new float[h * w];
        if (classType == MAT_C_DOUBLE)
        {
            var doubles = new ReadOnlySpan<double>((void*)data, h * w);
            for (var c = 0; c < w; c++)
            {
                for (var r = 0; r < h; r++)
                {
                    values[(r * w) + c] = (float)doubles[(c * h) + r];
                }
            }
        }
        else
        {
            var source = new ReadOnlySpan<float>((void*)data, h * w);
            for (var c = 0; c < w; c++)
            {
                for (var r = 0; r < h; r++)
                {
                    values[(r * w) + c] = source[(c * h) + r];
                }
            }
        }

        return new MatArray(name, h, w, values) { Stored = classType == MAT_C_DOUBLE ? "double" : "single" };
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
