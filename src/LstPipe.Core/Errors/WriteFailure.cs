using LstPipe.Core.IO;

namespace LstPipe.Core.Errors;

/// <summary>
/// The one place a failed write is named by its cause. Writers report a full disk in their own words (libtiff's
/// "Write error at scanline", libpng's "Write Error", matio's short file, Arrow's "errno 28"); a write that failed
/// where the file system is full or read-only is an <see cref="OutOfSpaceException"/> or a
/// <see cref="NotWritableException"/> naming the file, the device and its mount point. The errno or message is taken
/// where the writer kept it; otherwise the file system of the file is asked (<c>statvfs</c>), which must happen before
/// the partial file is removed: writers call <see cref="Guard"/> (or <see cref="Classify"/> in an exception filter)
/// around the write itself, inside the scope that deletes the temporary.
/// </summary>
public static class WriteFailure
{
    /// <summary>The out-of-space or not-writable error that explains <paramref name="e"/>, raised while writing
    /// <paramref name="path"/>; null when the file system does not explain it (or <paramref name="e"/> already says so).</summary>
    /// <param name="path">The file or folder being written (a temporary is named by its final name); null when unknown:
    /// then only the errno or message can tell.</param>
    /// <param name="e">What the writer reported.</param>
    public static LstPipeException? Classify(string? path, Exception e)
    {
        if (e is OperationCanceledException or OutOfSpaceException or NotWritableException)
        {
            return null;
        }

        for (var x = e.InnerException; x is not null; x = x.InnerException)
        {
            if (x is OutOfSpaceException or NotWritableException)
            {
                return (LstPipeException)x;
            }
        }

        if (OutOfSpaceException.IsOutOfSpace(e))
        {
            return new OutOfSpaceException(path ?? OutOfSpaceException.PathIn(e), e);
        }

        if (NotWritableException.From(e, path) is { } refused)
        {
            return refused;
        }

        if (path is null || e is UsageException || Volume.Of(path) is not { } volume)
        {
            return null;
        }

        return volume.ReadOnly ? NotWritableException.ReadOnly(path, e) : volume.IsFull ? new OutOfSpaceException(path, e) : null;
    }

    /// <summary>Runs <paramref name="write"/>, which writes <paramref name="path"/>; a failure the file system explains
    /// is raised as what explains it, any other as it came.</summary>
    public static void Guard(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (Classify(path, e) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Runs <paramref name="write"/>, which writes <paramref name="path"/>, and returns its value; a failure the file
    /// system explains is raised as what explains it, any other as it came.</summary>
    public static T Guard<T>(string path, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (Classify(path, e) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>A path as the user knows it: temporaries (<c>.NAME.PID.GUID.partial</c>, however deep) are named by
    /// their final names, and a lock file (<c>.NAME.lstpipe-lock</c>) by its output.</summary>
    public static string Displayed(string path)
    {
        path = AtomicFile.Displayed(path);
        var name = Path.GetFileName(path);
        const string lockSuffix = ".lstpipe-lock";
        return name.StartsWith('.') && name.EndsWith(lockSuffix, StringComparison.Ordinal) && name.Length > lockSuffix.Length + 1
            ? Path.Combine(Path.GetDirectoryName(path) ?? "", name[1..^lockSuffix.Length])
            : path;
    }
}
