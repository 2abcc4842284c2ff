using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LstPipe.Cli.Tests;

/// <summary>The built <c>lstpipe</c> program run as a child process and sent a signal mid-run, as a user's Ctrl-C or a
/// scheduler's SIGTERM would.</summary>
internal static class SignalledRun
{
    /// <summary>SIGINT (Ctrl-C).</summary>
    public const int SigInt = 2;

    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>Starts <c>lstpipe ARGS</c>, waits until its standard output so far satisfies <paramref name="ready"/> (and
    /// <paramref name="settle"/> more), sends <paramref name="signal"/>, and waits for the end.</summary>
    /// <returns>The result, and the seconds from the signal to the process's end.</returns>
    public static (ProcessResult Result, double Seconds) Run(int signal, Func<string, bool> ready, TimeSpan settle,
        params string[] args)
    {
        // A test host started in the background by a shell inherits SIGINT ignored, and so would lstpipe: env puts the
        // signals back to their defaults, as a terminal gives them.
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--default-signal=INT,TERM", "dotnet", Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), .. args])
        {
            psi.ArgumentList.Add(a);
        }

        var (stdout, stderr) = (new StringBuilder(), new StringBuilder());
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start lstpipe");
        p.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        p.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            var waited = Stopwatch.StartNew();
            while (!ready(Text(stdout)))
            {
                Assert.False(p.HasExited, $"lstpipe {string.Join(' ', args)} ended (exit {(p.HasExited ? p.ExitCode : 0)}) before " +
                    $"it was signalled: {Text(stdout)}{Text(stderr)}");
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(5), "lstpipe was never ready to be signalled: " + Text(stdout));
                Thread.Sleep(50);
            }

            Thread.Sleep(settle);
            var clock = Stopwatch.StartNew();
            Assert.Equal(0, Processes.Run("kill", [$"-{signal}", p.Id.ToString(CultureInfo.InvariantCulture)]).ExitCode);
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), "lstpipe did not end within 60 s of the signal");
            var seconds = clock.Elapsed.TotalSeconds;
            p.WaitForExit();
            return (new ProcessResult(p.ExitCode, Text(stdout), Text(stderr)), seconds);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (to)
            {
                to.Append(line).Append('\n');
            }
        }
    }

    private static string Text(StringBuilder from)
    {
        lock (from)
        {
            return from.ToString();
        }
    }
}
