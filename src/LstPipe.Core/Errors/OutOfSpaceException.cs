using LstPipe.Core.IO;

namespace LstPipe.Core.Errors;

/// <summary>A write failed because the file system is full (ENOSPC) or the user's quota is spent (EDQUOT). Exit
/// code 1, with a message that says so, with the device and its mount point, instead of the symptom the writing
/// library saw (<see cref="WriteFailure"/> tells the two apart).</summary>
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
        : base(Describe(path), inner)
    {
    }

    /// <summary>Whether an <c>errno</c> means the disk or the quota is full.</summary>
    public static bool IsErrno(int errno) => errno is NoSpace or QuotaExceeded;

    /// <summary>Whether an exception (or one inside it) is a write that ran out of space: .NET's <see cref="IOException"/>
    /// carries the errno as its HResult, or says "because the disk was full" where a preallocation failed; native
    /// libraries (GDAL, Arrow) say "No space left on device".</summary>
    public static bool IsOutOfSpace(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OutOfSpaceException || (e is IOException && IsErrno(e.HResult))
                || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase)
                || (e is IOException && e.Message.Contains("because the disk was full", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path .NET names in an out-of-space <see cref="IOException"/> (<c>No space left on device :
    /// 'PATH'</c>, <c>Failed to create 'PATH' with allocation size 'N' because the disk was full.</c>), if any.</summary>
    public static string? PathIn(Exception e)
    {
        var first = e.Message.IndexOf('\'', StringComparison.Ordinal);
        var end = first >= 0 ? e.Message.IndexOf('\'', first + 1) : -1;
        return end > first + 1 ? e.Message[(first + 1)..end] : null;
    }

    private static string Describe(string? path)
    {
        const string fix = "free some space or write the output elsewhere, then run again";
        if (path is null)
        {
            return $"no space left on device; {fix}";
        }

        var where = Volume.Of(path) is { } v ? " " + v.WhereWithSpace : "";
        return $"{WriteFailure.Displayed(path)}: no space left on device{where}; {fix}";
    }
}
