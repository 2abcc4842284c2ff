namespace LstPipe.Testing;

/// <summary>Locations of the repository and of the shared real data beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding GrokLstPipeline.sln).</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The shared folder beside the repository (<c>../shared</c>), or <c>LSTPIPE_SHARED</c> when set.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("LSTPIPE_SHARED") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The real rasters, kept in the repository (<c>tests/data</c>, copied from <c>../shared/data</c>).</summary>
    public static string SharedData => Path.Combine(Root, "tests", "data");

    /// <summary>A file under <c>tests/data</c>.</summary>
    public static string Data(params string[] parts) => Path.Combine([SharedData, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GrokLstPipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GrokLstPipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
