using LstPipe.Pipelines.Slurm;

namespace LstPipe.Pipelines.Tests.Slurm;

/// <summary>Transient Slurm failures are retried through Polly, bounded and logged; refusals are not. The Slurm client
/// tools here are scripts on PATH that fail as a busy controller does.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SlurmRetryTests
{
    private static Dictionary<string, string> FakeSlurm(TempDir dir, string sbatchFailure, int failures)
    {
        var bin = Directory.CreateDirectory(dir.File("bin")).FullName;
        void Script(string name, string body)
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, "#!/bin/bash\n" + body);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Script("sbatch", $$"""
            n=$(cat "{{bin}}/calls" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "{{bin}}/calls"
            if [ $n -le {{failures}} ]; then echo "sbatch: error: {{sbatchFailure}}" >&2; exit 1; fi
            echo "$((1000 + n))"
            """);
        Script("squeue", "exit 0\n");
        Script("scontrol", "for i in 1 2 3 4 5 6 7 8; do echo \"JobId=$2 JobState=COMPLETED\"; done\n");
        return new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
    }

    private static string Recipe(TempDir dir) =>
        TestRecipes.WriteWith(dir.File("p"), "retry", dir.File("out"), "", TestRecipes.Synthetic("north", 3, 96));

    [Fact]
    public void An_sbatch_that_fails_twice_with_a_socket_time_out_succeeds_on_the_third_try_and_logs_two_retries()
    {
        using var dir = new TempDir();
        var env = FakeSlurm(dir, "Batch job submission failed: Socket timed out on send/recv operation", failures: 2);
        var r = Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "run", Recipe(dir), "--executor", "slurm", "--tasks", "1", "--retry-delay", "0.05"], environment: env);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        var output = string.Join(' ', (r.StdOut + r.StdErr).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, output.Split("sbatch: transient failure").Length - 1);
        Assert.Contains("Socket timed out on send/recv operation); retry 1 of 5 in 0.05 s", output, StringComparison.Ordinal);
        Assert.Contains("Socket timed out on send/recv operation); retry 2 of 5 in 0.1 s", output, StringComparison.Ordinal);
        Assert.Equal("4", File.ReadAllText(dir.File("bin/calls")).Trim());
    }

    [Fact]
    public void A_refused_job_is_not_retried_and_is_a_one_line_error()
    {
        using var dir = new TempDir();
        var env = FakeSlurm(dir, "Batch job submission failed: Invalid partition name specified", failures: 9);
        var r = Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "run", Recipe(dir), "--executor", "slurm", "--tasks", "1", "--retry-delay", "0.05"], environment: env);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("sbatch refused the job: sbatch: error: Batch job submission failed: Invalid partition name specified", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("transient failure", r.StdOut + r.StdErr, StringComparison.Ordinal);
        Assert.Equal("1", File.ReadAllText(dir.File("bin/calls")).Trim());
    }

    [Theory]
    [InlineData("sbatch: error: Batch job submission failed: Socket timed out on send/recv operation", true)]
    [InlineData("squeue: error: slurm_receive_msg: Socket timed out on send/recv operation", true)]
    [InlineData("sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying", true)]
    [InlineData("scontrol: error: Unable to contact slurm controller (connect failure)", true)]
    [InlineData("sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified", false)]
    [InlineData("sbatch: error: Batch job submission failed: Requested node configuration is not available", false)]
    public void Transient_and_final_failures_are_told_apart(string stderr, bool transient) =>
        Assert.Equal(transient, SlurmExecutor.TransientReason(stderr) is not null);
}
