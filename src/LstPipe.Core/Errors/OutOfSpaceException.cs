namespace LstPipe.Core.Errors;

/// <summary>A write failed because the file system is full (ENOSPC) or the user's quota is spent (EDQUOT). Exit
/// code 1, with a message that says so instead of the symptom the writing library saw.</summary>
public sealed class OutOfSpaceException : DataException
{
    /// <summary>Linux <c>errno</c> of a full file system.</summary>
    public const int NoSpace = 28;

    /// <summary>Linux <c>errno</c> of an exceeded disk quota.</summary>
    public const int QuotaExceeded = 122;

    /// <summary>Creates the error for the file whose write failed.</summary>
    /// <param name="path">The file being written (a temporary is named by its final name), or null when unknown.</param>
    /// <param name="inner">What the writer reported.</param>
    public OutOfSpaceException(string? path, Exception? inner = null)
        : base(path is null
            ? "no space left on device; free some space or write the output elsewhere, then run again"
            : $"{IO.AtomicFile.Displayed(path)}: no space left on device{FreeSpace(path)}; free some space or write the output " +
                $"elsewhere, then run again", inner)
    {
    }

    /// <summary>Whether an <c>errno</c> means the disk or the quota is full.</summary>
    public static bool IsErrno(int errno) => errno is NoSpace or QuotaExceeded;

    /// <summary>Whether an exception (or one inside it) is a write that ran out of space: .NET's <see cref="IOException"/>
    /// carries the errno as its HResult; native libraries (GDAL, Arrow) say "No space left on device".</summary>
    public static bool IsOutOfSpace(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OutOfSpaceException || (e is IOException && IsErrno(e.HResult))
                || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path .NET names in an out-of-space <see cref="IOException"/> (<c>No space left on device :
    /// 'PATH'</c>), if any.</summary>
    public static string? PathIn(Exception e)
    {
        var quote = e.Message.IndexOf(": '", StringComparison.Ordinal);
        return quote >= 0 && e.Message.EndsWith('\'') ? e.Message[(quote + 3)..^1] : null;
    }

    /// <summary>The free bytes (for this user) on the file system that holds <paramref name="path"/>, and its mount
    /// point; null when it cannot be told.</summary>
    public static (long Bytes, string Mount)? Available(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            while (directory is not null && !Directory.Exists(directory))
            {
                directory = Path.GetDirectoryName(directory);
            }

            var mount = DriveInfo.GetDrives().Where(d => directory is not null && IsUnder(directory, d.Name)).MaxBy(d => d.Name.Length);
            return mount is null ? null : (mount.AvailableFreeSpace, mount.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string FreeSpace(string path) =>
        Available(path) is { } a ? $" ({a.Bytes / 1048576.0:F1} MiB free on {a.Mount})" : "";

    private static bool IsUnder(string directory, string mount) =>
        mount == "/" || directory == mount || directory.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal);
}
