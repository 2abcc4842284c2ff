using LstPipe.Core.IO;

namespace LstPipe.Core.Errors;

/// <summary>A write failed because the place is on a read-only file system (EROFS) or this user may not write there
/// (EACCES, .NET's <see cref="UnauthorizedAccessException"/>). Exit code 2: the output must go elsewhere, with a message
/// that names the path (and, for a read-only file system, its device and mount point) instead of the symptom.</summary>
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
    /// <param name="e">What the writer reported.</param>
    /// <param name="path">The file being written, where the message does not name it.</param>
    public static NotWritableException? From(Exception e, string? path = null)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            var readOnly = x is IOException && x.HResult == ReadOnlyFileSystem
                || x.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);
            var denied = x is UnauthorizedAccessException || (x is IOException && x.HResult == PermissionDenied);
            if (readOnly || denied)
            {
                var at = QuotedPath(x.Message) ?? path;
                return readOnly ? ReadOnly(at, e) : new NotWritableException(Prefixed(at, "permission denied; give this user access " +
                    "to it (chmod, chown) or use a folder it may write"), e);
            }
        }

        return null;
    }

    /// <summary>The error for a write to <paramref name="path"/> on a read-only file system, naming its device.</summary>
    public static NotWritableException ReadOnly(string? path, Exception inner)
    {
        var device = path is not null && Volume.Of(path) is { } v ? $": {v.Where}" : "";
        return new NotWritableException(Prefixed(path, $"read-only file system{device}; write to a folder on a writable file " +
            $"system (or remount it read-write)"), inner);
    }

    private static string Prefixed(string? path, string what) => path is null ? what : $"{WriteFailure.Displayed(path)}: {what}";

    /// <summary>The path .NET quotes in its message (<c>Read-only file system : 'PATH'</c>, <c>Access to the path 'PATH'
    /// is denied.</c>), if any.</summary>
    private static string? QuotedPath(string message)
    {
        var (first, last) = (message.IndexOf('\'', StringComparison.Ordinal), message.LastIndexOf('\''));
        return first >= 0 && last > first + 1 ? message[(first + 1)..last] : null;
    }
}
