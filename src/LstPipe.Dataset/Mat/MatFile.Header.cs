using System.Buffers.Binary;
using System.Globalization;
using LstPipe.Core.Errors;
using static LstPipe.Dataset.Native.NativeMethods;

namespace LstPipe.Dataset.Mat;

public static unsafe partial class MatFile
{
    /// <summary>Why matio read no variable <paramref name="name"/>: there is none, or its header declares a size that
    /// no file can hold (a negative dimension, or more values than the file has bytes).</summary>
    private static DataException Unread(nint mat, string path, string name)
    {
        var info = Mat_VarReadInfo(mat, name);
        if (info == 0)
        {
            return new DataException($"{path}: has no variable '{name}'");
        }

        try
        {
            var p = (byte*)info;
            var rank = *(int*)(p + MatVarRankOffset);
            var dims = *(nuint**)(p + MatVarDimsOffset);
            var shown = rank is > 0 and <= 8 && dims != null
                ? string.Join(" x ", Enumerable.Range(0, rank).Select(i => Dimension(dims[i]).ToString(CultureInfo.InvariantCulture)))
                : $"rank {rank}";
            return new DataException($"{path}: variable '{name}' declares {shown} values, which its " +
                $"{new FileInfo(path).Length}-byte file cannot hold; the file is corrupt");
        }
        finally
        {
            Mat_VarFree(info);
        }
    }

    /// <summary>A dimension as the file declares it: MAT 5 stores int32, which matio widens without its sign.</summary>
    private static long Dimension(nuint read) => read <= uint.MaxValue ? (int)(uint)read : (long)read;

    /// <summary>Whether the file is a MAT version 7.3 file (HDF5 behind a MAT header: version 0x0200), which
    /// <c>scipy.io.loadmat</c> does not read.</summary>
    public static bool IsVersion73(string path)
    {
        Span<byte> header = stackalloc byte[128];
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(header, 128, throwOnEndOfStream: false) < 128)
        {
            return false;
        }

        var version = header[126] == (byte)'I' && header[127] == (byte)'M'
            ? BinaryPrimitives.ReadUInt16LittleEndian(header[124..])
            : BinaryPrimitives.ReadUInt16BigEndian(header[124..]);
        return version == MAT_FT_MAT73;
    }
}
