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

    /// <summary>The MoCoLSK golden tensors: <c>../shared/golden</c> when present, otherwise made once by
    /// <c>tests/golden/make_golden.py</c> (PyTorch under <c>/usr/bin/python3</c>) into <c>artifacts/golden</c>.</summary>
    public static string Golden => GoldenLazy.Value;

    private static readonly Lazy<string> GoldenLazy = new(FindOrMakeGolden);

    /// <summary>The golden tensors <c>tests/golden/make_golden.py</c> makes into <c>artifacts/golden</c> (made once), even
    /// where <c>../shared/golden</c> exists: its gradients and AdamW step come from a float64 copy of the network, so
    /// they are the exact values a float64 run must reproduce.</summary>
    public static string MadeGolden => MadeGoldenLazy.Value;

    private static readonly Lazy<string> MadeGoldenLazy = new(MakeGolden);

    private static readonly string[] GoldenFiles = ["mocolsk_x2_small.safetensors", "mocolsk_x4_small.safetensors", "mocolsk_x8_small.safetensors"];

    private static string FindOrMakeGolden()
    {
        var shared = Path.Combine(Shared, "golden");
        if (GoldenFiles.All(f => File.Exists(Path.Combine(shared, f))))
        {
            return shared;
        }

        return MadeGolden;
    }

    private static string MakeGolden()
    {
        var made = Path.Combine(Root, "artifacts", "golden");
        if (!GoldenFiles.All(f => File.Exists(Path.Combine(made, f))))
        {
            var r = Processes.Run("/usr/bin/python3", [Path.Combine(Root, "tests", "golden", "make_golden.py"), made]);
            if (r.ExitCode != 0)
            {
                throw new InvalidOperationException($"tests/golden/make_golden.py failed ({r.ExitCode}): {r.StdErr}");
            }
        }

        return made;
    }

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
