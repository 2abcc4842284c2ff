using System.Runtime.InteropServices;
using LstPipe.Core.Compression;
using LstPipe.Core.Errors;
using static LstPipe.Dataset.Native.NativeMethods;

namespace LstPipe.Dataset.Mat;

// Reading MAT files through matio, every zlib variable checked by Adler-32 before it is used.
public static unsafe partial class MatFile
{
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

            var type = bigEndian
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(tag)
                    : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tag);
            var small = (type >> 16) != 0;
            long size = small ? 0 : bigEndian
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(tag[4..])
                    : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tag[4..]);
            const uint miCompressed = 15;
            var next = offset + 8 + (type == miCompressed || small ? size : (size + 7) / 8 * 8);
            if (next > length)
            {
                throw new DataException($"{path}: truncated: an element at byte {offset} needs {next - length} more bytes than " +
                    $"the file has");
            }

            if (verify && type == miCompressed && size > 0)
            {
                var packed = System.Buffers.ArrayPool<byte>.Shared.Rent((int)size);
                try
                {
                    stream.ReadExactly(packed, 0, (int)size);
                    if (ZlibCheck.Problem(packed.AsSpan(0, (int)size)) is { } problem)
                    {
                        throw new DataException($"{path}: the variable at byte {offset}: {problem}; the file is damaged, " +
                            $"rebuild it (lstpipe crop --force)");
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
}
