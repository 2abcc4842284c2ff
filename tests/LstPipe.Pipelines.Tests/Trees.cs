namespace LstPipe.Pipelines.Tests;

/// <summary>Folder comparisons by relative path and SHA-256.</summary>
internal static class Trees
{
    public static SortedDictionary<string, string> Checksums(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), Core.IO.Checksums.Sha256), StringComparer.Ordinal);

    public static void AssertSame(string expected, string actual)
    {
        var a = Checksums(expected);
        var b = Checksums(actual);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (file, sha) in a)
        {
            Assert.True(sha == b[file], $"{file} differs between {expected} and {actual}");
        }
    }
}
