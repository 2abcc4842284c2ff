using LstPipe.Core.Errors;

namespace LstPipe.Core.IO;

/// <summary>Refuses an output that would overwrite or delete what a command reads: an output folder that is, contains
/// or lies inside one of its inputs (with <c>--force</c> the output is deleted first, and an input with it). Paths are
/// compared as the file system resolves them: every symbolic link followed, in the inputs, in the output's existing
/// part and its parents, and in the links directly inside an input folder.</summary>
public static class OutputGuard
{
    private const int MaxLinks = 40;

    /// <summary>Throws when <paramref name="output"/> and an input overlap.</summary>
    /// <param name="output">The output folder or file.</param>
    /// <param name="inputs">What the command reads, with a word for each (<c>scene</c>, <c>dataset</c>).</param>
    /// <param name="mayContain">Whether the output may contain an input: true for an output folder that files are
    /// written into but that is never deleted or replaced.</param>
    /// <exception cref="UsageException">They overlap; the message names both.</exception>
    public static void RefuseOverlap(string output, IEnumerable<(string Path, string Role)> inputs, bool mayContain = false)
    {
        var o = Normalize(output);
        foreach (var (path, role) in inputs)
        {
            foreach (var (shown, resolved) in Reached(path))
            {
                var i = Normalize(resolved);
                var relation = o == i ? "is"
                    : i.StartsWith(o, StringComparison.Ordinal) && !mayContain ? "contains"
                    : o.StartsWith(i, StringComparison.Ordinal) ? "lies inside"
                    : null;
                if (relation is not null)
                {
                    throw new UsageException($"{output}: the output {relation} the {role} {shown}, which it would overwrite or " +
                        $"delete; write to another folder");
                }
            }
        }
    }

    /// <summary>The absolute path the file system reaches for <paramref name="path"/>: each component's symbolic link
    /// followed (its target resolved in turn), <c>..</c> taken from the resolved folder, and the part that does not exist
    /// yet appended as written.</summary>
    /// <exception cref="UsageException">The links loop (more than 40 followed).</exception>
    public static string Resolve(string path)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var pending = new Stack<string>(Parts(full).Reverse());
        var current = "/";
        var (exists, links) = (true, 0);
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Combine(current, part);
            if (exists && LinkTarget(next) is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new UsageException($"{path}: too many levels of symbolic links");
                }

                foreach (var p in Parts(target).Reverse())
                {
                    pending.Push(p);
                }

                current = Path.IsPathRooted(target) ? "/" : current;
                continue;
            }

            exists = exists && Path.Exists(next);
            current = next;
        }

        return current;
    }

    /// <summary>The input itself and, for a folder, each symbolic link directly inside it, with where each leads.</summary>
    private static IEnumerable<(string Shown, string Resolved)> Reached(string input)
    {
        var resolved = Resolve(input);
        yield return (input, resolved);
        if (!Directory.Exists(resolved))
        {
            yield break;
        }

        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(resolved).EnumerateFileSystemInfos().Where(e => e.LinkTarget is not null).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var entry in entries)
        {
            yield return (Path.Combine(input, entry.Name), Resolve(entry.FullName));
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[] Parts(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Normalize(string path) =>
        Path.TrimEndingDirectorySeparator(Resolve(path)) + Path.DirectorySeparatorChar;
}
