using System.Globalization;
using LstPipe.Core.Threading;

namespace LstPipe.Core.IO;

/// <summary>
/// Writes a file under a temporary name beside its final path and renames it into place only when
/// <see cref="Commit"/> is called, so that a crash or an error never leaves a half-written output behind.
/// Disposing without committing deletes the temporary file, and so does a process ended by an interrupt before it
/// could unwind (<see cref="Interruption.Abandon"/>).
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly IDisposable _abandon;
    private bool _committed;

    private AtomicFile(string finalPath, string temporaryPath)
    {
        FinalPath = finalPath;
        TemporaryPath = temporaryPath;
        _abandon = Interruption.OnAbandon(() => File.Delete(temporaryPath));
    }

    /// <summary>Where the file lands on <see cref="Commit"/>.</summary>
    public string FinalPath { get; }

    /// <summary>Where the content is written until then.</summary>
    public string TemporaryPath { get; }

    /// <summary>Starts writing <paramref name="finalPath"/>; its folder is created when missing.</summary>
    public static AtomicFile Begin(string finalPath)
    {
        var full = Path.GetFullPath(finalPath);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        return new AtomicFile(full, Path.Combine(dir, TemporaryName(Path.GetFileName(full))));
    }

    /// <summary>The temporary name used for <paramref name="fileName"/>; every temporary starts with <c>.</c> and
    /// ends with <c>.partial</c>, so an interrupted run's leftovers are easy to find and clean. A temporary of a temporary
    /// (a file an <see cref="OutputTransaction"/> staged, written through another <see cref="AtomicFile"/>) is named after
    /// the final file too, so that <see cref="RemoveStale"/> finds it.</summary>
    public static string TemporaryName(string fileName) =>
        string.Create(CultureInfo.InvariantCulture, $".{Displayed(fileName)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");

    /// <summary>A path as the user knows it: every component named by <see cref="TemporaryName"/> (once or more) is given
    /// back its final name (<c>run/.best.safetensors.PID.GUID.partial</c> is <c>run/best.safetensors</c>).</summary>
    public static string Displayed(string path) =>
        string.Join('/', path.Split('/').Select(FinalName));

    private static string FinalName(string part)
    {
        var fields = part.Split('.');
        return part.StartsWith('.') && part.EndsWith(".partial", StringComparison.Ordinal) && fields.Length >= 5
            && fields[^3].All(char.IsAsciiDigit) && fields[^2].Length == 32
            ? FinalName(string.Join('.', fields[1..^3]))
            : part;
    }

    /// <summary>Deletes the temporaries of <paramref name="baseName"/> in <paramref name="folder"/> (files or folders named by
    /// <see cref="TemporaryName"/>) whose writing process is gone, such as those a killed export leaves, and the
    /// temporaries of temporaries earlier versions named <c>..NAME.PID.GUID.partial.PID.GUID.partial</c>.</summary>
    /// <returns>How many were removed.</returns>
    public static int RemoveStale(string folder, string baseName)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var removed = 0;
        var legacy = Directory.EnumerateFileSystemEntries(folder, ".." + baseName + ".*.partial.*.partial").Select(e => (e, 3, 6));
        foreach (var (entry, prefix, fields) in Directory.EnumerateFileSystemEntries(folder, "." + baseName + ".*.partial")
            .Select(e => (e, 2, 3)).Concat(legacy))
        {
            var parts = Path.GetFileName(entry)[(baseName.Length + prefix)..].Split('.');
            if (parts.Length != fields || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || IsAlive(pid))
            {
                continue;
            }

            try
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }

                removed++;
            }
            catch (IOException)
            {
            }
        }

        return removed;
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is a temporary left by an interrupted write.</summary>
    public static bool IsTemporaryName(string fileName) =>
        fileName.StartsWith('.') && fileName.EndsWith(".partial", StringComparison.Ordinal);

    /// <summary>Writes a file atomically: <paramref name="write"/> writes the temporary path it is given, which is renamed
    /// onto <paramref name="path"/> when it returns; a write that fails for a full or read-only file system is reported as
    /// such (<see cref="Errors.WriteFailure"/>) and the temporary removed.</summary>
    public static void Write(string path, Action<string> write)
    {
        using var file = Begin(path);
        Errors.WriteFailure.Guard(file.TemporaryPath, () =>
        {
            write(file.TemporaryPath);
            file.Commit();
        });
    }

    /// <summary>Writes all bytes of a file atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, temporary => File.WriteAllBytes(temporary, copy));
    }

    /// <summary>Writes a UTF-8 text file atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));

    /// <summary>Renames the temporary file onto the final path, replacing what was there.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        File.Move(TemporaryPath, FinalPath, overwrite: true);
        _committed = true;
        _abandon.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _abandon.Dispose();
        if (!_committed && File.Exists(TemporaryPath))
        {
            File.Delete(TemporaryPath);
        }
    }
}
