namespace LstPipe.Core.Errors;

/// <summary>A write failed because the place is on a read-only file system (EROFS) or this user may not write there
/// (EACCES, .NET's <see cref="UnauthorizedAccessException"/>). Exit code 2: the output must go elsewhere, with a message
/// that names the path and says so instead of the symptom.</summary>
public sealed class NotWritableException : UsageException
{
    /// <summary>Linux <c>errno</c> of a permission refused.</summary>
    public const int PermissionDenied = 13;

    /// <summary>Linux <c>errno</c> of a read-only file system.</summary>
    public const int ReadOnlyFileSystem = 30;

    private NotWritableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The error for <paramref name="e"/> (or one inside it) when it is a write refused by a read-only file
    /// system or a permission; null otherwise.</summary>
    public static NotWritableException? From(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            var readOnly = x is IOException && x.HResult == ReadOnlyFileSystem
                || x.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);
            var denied = x is UnauthorizedAccessException || (x is IOException && x.HResult == PermissionDenied);
            if (readOnly || denied)
            {
                var path = Displayed(QuotedPath(x.Message));
                var what = readOnly
                    ? "read-only file system; write to a folder on a writable file system (or remount it read-write)"
                    : "permission denied; give this user access to it (chmod, chown) or use a folder it may write";
                return new NotWritableException(path is null ? what : $"{path}: {what}", e);
            }
        }

        return null;
    }

    /// <summary>The path .NET quotes in its message (<c>Read-only file system : 'PATH'</c>, <c>Access to the path 'PATH'
    /// is denied.</c>), if any.</summary>
    private static string? QuotedPath(string message)
    {
        var (first, last) = (message.IndexOf('\'', StringComparison.Ordinal), message.LastIndexOf('\''));
        return first >= 0 && last > first + 1 ? message[(first + 1)..last] : null;
    }

    /// <summary>The output a temporary or lock file stands for: <c>.NAME.PID.GUID.partial</c> and
    /// <c>.NAME.lstpipe-lock</c> are shown as <c>NAME</c>.</summary>
    private static string? Displayed(string? path)
    {
        if (path is null)
        {
            return null;
        }

        path = IO.AtomicFile.Displayed(path);
        var name = Path.GetFileName(path);
        const string lockSuffix = ".lstpipe-lock";
        return name.StartsWith('.') && name.EndsWith(lockSuffix, StringComparison.Ordinal) && name.Length > lockSuffix.Length + 1
            ? Path.Combine(Path.GetDirectoryName(path) ?? "", name[1..^lockSuffix.Length])
            : path;
    }
}
