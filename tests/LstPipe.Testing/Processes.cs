using System.Diagnostics;

namespace LstPipe.Testing;

/// <summary>The result of a finished process.</summary>
/// <param name="ExitCode">Exit status.</param>
/// <param name="StdOut">Everything written to standard output.</param>
/// <param name="StdErr">Everything written to standard error.</param>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs external programs (gdalinfo, python, the lstpipe binary) for independent checks.</summary>
public static class Processes
{
    /// <summary>Runs a program to completion with a time limit.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, int timeoutSeconds = 300)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + fileName);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in {timeoutSeconds} s");
        }

        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
