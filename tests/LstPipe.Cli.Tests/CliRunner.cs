namespace LstPipe.Cli.Tests;

/// <summary>Runs the built <c>lstpipe</c> program as a separate process, as a user would. Every run's standard error is
/// searched for "unexpected" (any case): that word is the CLI's last resort for an exception no check turned into a
/// message, so a run that prints it fails its test unless the test opts in with <see cref="RunAllowingUnexpected"/>.</summary>
internal static class CliRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "lstpipe.dll");

    public static ProcessResult Run(params string[] args) => Checked(Processes.Run("dotnet", [Dll, .. args]), args);

    public static ProcessResult RunIn(string workingDirectory, params string[] args) =>
        Checked(Processes.Run("dotnet", [Dll, .. args], workingDirectory), args);

    /// <summary>Runs lstpipe without the search for "unexpected", for the test that shows the last resort itself.</summary>
    public static ProcessResult RunAllowingUnexpected(params string[] args) => Processes.Run("dotnet", [Dll, .. args]);

    /// <summary>Fails when a run of lstpipe (given by its arguments, for the message) printed "unexpected" on standard
    /// error; returns the result otherwise.</summary>
    public static ProcessResult Checked(ProcessResult r, IEnumerable<string> args)
    {
        if (r.StdErr.Contains("unexpected", StringComparison.OrdinalIgnoreCase))
        {
            throw new Xunit.Sdk.XunitException($"lstpipe {string.Join(' ', args)}: exit {r.ExitCode} with an \"unexpected\" " +
                $"error, an exception no check named; make the product say what is wrong and how to fix it:\n{r.StdErr}");
        }

        return r;
    }

    public static void AssertOneLineError(ProcessResult r, int exitCode, string mustContain)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}, expected {exitCode}; stderr: {r.StdErr}");
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one error line, got: " + r.StdErr);
        Assert.StartsWith("lstpipe: ", lines[0]);
        Assert.Contains(mustContain, lines[0]);
        Assert.DoesNotContain("   at ", r.StdErr);
        Assert.DoesNotContain("unexpected", r.StdErr, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The result without libtorch's own warning lines (<c>[W...]</c>, which libtorch prints on some CPUs),
    /// which are not lstpipe's error.</summary>
    public static ProcessResult WithoutTorchWarnings(ProcessResult r) => r with
    {
        StdErr = string.Join('\n', r.StdErr.Split('\n').Where(l => !l.StartsWith("[W", StringComparison.Ordinal))),
    };
}
