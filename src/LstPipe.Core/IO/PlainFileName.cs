namespace LstPipe.Core.IO;

/// <summary>A file name read from a file (a dataset card, a scene manifest) must name a file inside the folder it is
/// read against: no separator, not <c>.</c> or <c>..</c>, not absolute, no NUL, not empty.</summary>
public static class PlainFileName
{
    /// <summary>What makes <paramref name="name"/> other than a plain file name, or null when it is one.</summary>
    public static string? Problem(string? name) => name switch
    {
        null or "" => "it is empty",
        "." or ".." => "it names a folder",
        _ when name.Contains('\0', StringComparison.Ordinal) => "it holds a NUL character",
        _ when name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) => "it holds a path separator",
        _ => null,
    };

    /// <summary>The name as a message shows it: quoted, control characters escaped, at most 80 characters.</summary>
    public static string Quoted(string? name)
    {
        var shown = string.Concat((name ?? "").Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
        return "'" + (shown.Length <= 80 ? shown : shown[..77] + "...") + "'";
    }
}
