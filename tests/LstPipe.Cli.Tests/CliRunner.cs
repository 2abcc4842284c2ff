namespace LstPipe.Cli.Tests;

/// <summary>Runs the built <c>lstpipe</c> program as a separate process, as a user would.</summary>
internal static class CliRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "lstpipe.dll");

    public static ProcessResult Run(params string[] args) => Processes.Run("dotnet", [Dll, .. args]);

    public static ProcessResult RunIn(string workingDirectory, params string[] args) =>
        Processes.Run("dotnet", [Dll, .. args], workingDirectory);

    public static void AssertOneLineError(ProcessResult r, int exitCode, string mustContain)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}, expected {exitCode}; stderr: {r.StdErr}");
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one error line, got: " + r.StdErr);
        Assert.StartsWith("lstpipe: ", lines[0]);
        Assert.Contains(mustContain, lines[0]);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    /// <summary>The result without libtorch's own warning lines (<c>[W...] Could not initialize NNPACK</c>, printed where
    /// the CPU lacks what NNPACK needs), which are not lstpipe's error.</summary>
    public static ProcessResult WithoutTorchWarnings(ProcessResult r) => r with
    {
        StdErr = string.Join('\n', r.StdErr.Split('\n').Where(l => !l.StartsWith("[W", StringComparison.Ordinal))),
    };
}
