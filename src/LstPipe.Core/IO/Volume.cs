using System.Globalization;
using System.Text;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.IO;

/// <summary>
/// The file system a path lies on, as <c>statvfs</c> and <c>/proc/self/mountinfo</c> describe it: its device (the
/// mount's source, such as <c>/dev/sda1</c> or <c>tmpfs</c>), where it is mounted, its type, what this user may still
/// write there, and whether it is mounted read-only. <see cref="Errors.WriteFailure"/> names a failed write by it.
/// </summary>
/// <param name="Device">The mount's source (<c>/dev/nvme0n1p2</c>, <c>tmpfs</c>, <c>server:/export</c>).</param>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="Type">The file system type (<c>ext4</c>, <c>tmpfs</c>, <c>nfs4</c>).</param>
/// <param name="AvailableBytes">Bytes this user may still write (<c>f_bavail</c>: without the blocks kept for root).</param>
/// <param name="SizeBytes">The file system's size.</param>
/// <param name="AvailableInodes">Files this user may still create; null where the file system does not count them.</param>
/// <param name="ReadOnly">Whether it is mounted read-only.</param>
public sealed record Volume(string Device, string MountPoint, string Type, long AvailableBytes, long SizeBytes, long? AvailableInodes,
    bool ReadOnly)
{
    /// <summary>With less than this free a file system counts as full once a write has failed there: a write that runs
    /// out of space fills the file system to its last blocks before it fails.</summary>
    public const long FullBelowBytes = 1L << 20;

    /// <summary>Tests only, where no small file system can be mounted: a folder whose file system is reported with 0 bytes
    /// free (the test makes the writes fail itself, with a file size limit).</summary>
    public const string SimulatedFullVariable = "LSTPIPE_TEST_FULL_FS";

    private const string MountInfo = "/proc/self/mountinfo";

    /// <summary>Whether a failed write here is explained by a full file system (or no inode left).</summary>
    public bool IsFull => AvailableBytes < FullBelowBytes || AvailableInodes == 0;

    /// <summary>The device and its mount point, for a message: <c>/dev/sda1 (ext4) mounted at /data</c>.</summary>
    public string Where => $"{Device} ({Type}) mounted at {MountPoint}";

    /// <summary>The device with its free space: <c>/dev/sda1 (ext4) mounted at /data, 12 KiB free of 1.8 TiB</c>.</summary>
    public string WhereWithSpace => $"{Where}, {Bytes(AvailableBytes)} free of {Bytes(SizeBytes)}";

    /// <summary>The file system holding <paramref name="path"/> (or, where it does not exist yet, its nearest existing
    /// folder); null where it cannot be told.</summary>
    public static unsafe Volume? Of(string path)
    {
        var existing = NearestExisting(path);
        if (existing is null)
        {
            return null;
        }

        Interop.NativeLibraries.Register(typeof(Volume).Assembly);
        var vfs = stackalloc long[16];
        var st = stackalloc long[32];
        if (StatVfs(existing, vfs) != 0 || Stat(existing, st) != 0)
        {
            return null;
        }

        var block = vfs[1] > 0 ? vfs[1] : vfs[0];
        var (device, mount, type) = Mount(existing, (ulong)st[0]) ?? ("an unknown device", "/", "unknown type");
        var full = Environment.GetEnvironmentVariable(SimulatedFullVariable) is { Length: > 0 } f
            && Contains(OutputGuard.Resolve(f), existing);
        return new Volume(device, mount, type, full ? 0 : vfs[4] * block, vfs[2] * block, vfs[5] > 0 ? vfs[7] : null,
            (vfs[9] & ST_RDONLY) != 0);
    }

    /// <summary>A byte count as a person reads it: <c>0 B</c>, <c>12 KiB</c>, <c>1.0 MiB</c>, <c>3.2 GiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        if (bytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        var (value, unit) = ((double)bytes / 1024, 0);
        while (value >= 1024 && unit < units.Length - 1)
        {
            (value, unit) = (value / 1024, unit + 1);
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value:0} {units[unit]}")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    private static string? NearestExisting(string path)
    {
        try
        {
            var current = OutputGuard.Resolve(path);
            while (!Path.Exists(current))
            {
                current = Path.GetDirectoryName(current);
                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Errors.UsageException)
        {
            return null;
        }
    }

    /// <summary>The mount of <paramref name="path"/> in <c>/proc/self/mountinfo</c>: of the mounts of its device
    /// (<paramref name="dev"/>, <c>st_dev</c>), the deepest whose mount point contains it; failing that the deepest of
    /// any device.</summary>
    private static (string Device, string MountPoint, string Type)? Mount(string path, ulong dev)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(MountInfo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL)}:" +
            $"{(dev & 0xff) | ((dev >> 12) & ~0xffUL)}");
        var mounts = lines.Select(Parse).OfType<(string Id, string Point, string Type, string Source)>()
            .Where(m => Contains(m.Point, path)).ToList();
        var best = mounts.Where(m => m.Id == id).DefaultIfEmpty().MaxBy(m => m.Point?.Length ?? -1);
        best = best.Point is null ? mounts.DefaultIfEmpty().MaxBy(m => m.Point?.Length ?? -1) : best;
        return best.Point is null ? null : (best.Source, best.Point, best.Type);
    }

    /// <summary>One line of mountinfo: <c>36 35 98:0 /root /mnt/point rw,noatime master:1 - ext4 /dev/sda1 rw</c>.</summary>
    private static (string Id, string Point, string Type, string Source)? Parse(string line)
    {
        var f = line.Split(' ');
        var dash = Array.IndexOf(f, "-", 6);
        return f.Length < 7 || dash < 0 || dash + 2 >= f.Length
            ? null
            : (f[2], Unescape(f[4]), Unescape(f[dash + 1]), Unescape(f[dash + 2]));
    }

    private static bool Contains(string mount, string path) =>
        mount == "/" || path == mount || path.StartsWith(mount + "/", StringComparison.Ordinal);

    /// <summary>mountinfo writes a space, tab, newline and backslash as <c>\040</c>, <c>\011</c>, <c>\012</c>, <c>\134</c>.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).ToString().All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }

        return sb.ToString();
    }
}
