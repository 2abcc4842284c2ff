using LstPipe.Core.Errors;

namespace LstPipe.Core.IO;

/// <summary>Refuses an output that would overwrite or delete what a command reads: an output folder that is, contains
/// or lies inside one of its inputs (with <c>--force</c> the output is deleted first, and an input with it).</summary>
public static class OutputGuard
{
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
            var i = Normalize(path);
            var relation = o == i ? "is"
                : i.StartsWith(o, StringComparison.Ordinal) && !mayContain ? "contains"
                : o.StartsWith(i, StringComparison.Ordinal) ? "lies inside"
                : null;
            if (relation is not null)
            {
                throw new UsageException($"{output}: the output {relation} the {role} {path}, which it would overwrite or delete; write to another folder");
            }
        }
    }

    private static string Normalize(string path) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + Path.DirectorySeparatorChar;
}
