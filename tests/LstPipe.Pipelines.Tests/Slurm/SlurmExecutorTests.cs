namespace LstPipe.Pipelines.Tests.Slurm;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(SeededTorch.Name)]
public class SlurmExecutorTests
{
    [Fact]
    public void A_pipeline_run_as_slurm_array_jobs_builds_the_dataset_of_a_local_run_byte_for_byte()
    {
        using var dir = new TempDir();
        var regions = new[] { TestRecipes.Synthetic("east", 5, 160), TestRecipes.Synthetic("west", 6, 128) };
        var local = TestRecipes.WriteWith(dir.File("local"), "slurm", dir.File("local-out"), TestRecipes.Train, regions);
        PipelineRunner.Run(new PipelineRunOptions { Recipe = local });

        using var cluster = new SlurmCluster();
        var recipe = TestRecipes.WriteWith(dir.File("slurm"), "slurm", dir.File("slurm-out"), TestRecipes.Train, regions);
        var dll = Path.Combine(AppContext.BaseDirectory, "lstpipe.dll");
        var r = Processes.Run("dotnet", [dll, "run", recipe, "--executor", "slurm", "--tasks", "2"], environment: cluster.Environment, timeoutSeconds: 600);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("8 Slurm job(s) completed", r.StdOut.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Trees.AssertSame(Path.Combine(dir.File("local-out"), "dataset"), Path.Combine(dir.File("slurm-out"), "dataset"));
        Trees.AssertSame(Path.Combine(dir.File("local-out"), "runs", "mocolsk-x2", "test"), Path.Combine(dir.File("slurm-out"), "runs", "mocolsk-x2", "test"));
        var logs = Directory.GetFiles(Path.Combine(dir.File("slurm-out"), ".lstpipe", "slurm"), "*.log").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [
                "crop-shards-0.log", "crop-shards-1.log", "crop.log", "regions-0-0.log", "regions-0-1.log", "split-export-shards-0.log",
                "split-export-shards-1.log", "split-export.log", "test-shards-0.log", "test-shards-1.log", "test.log", "train.log",
            ], logs);
        var slurmLogs = Path.Combine(dir.File("slurm-out"), ".lstpipe", "slurm");
        Assert.Contains("assemble: staging shard 1/2", File.ReadAllText(Path.Combine(slurmLogs, "crop-shards-1.log")), StringComparison.Ordinal);
        Assert.Contains("test: staging shard 0/2", File.ReadAllText(Path.Combine(slurmLogs, "test-shards-0.log")), StringComparison.Ordinal);
        Assert.All(PipelineRunner.Status(recipe), s => Assert.True(s.UpToDate, s.Stage.Id));

        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("ratio: \"6:1:3\"", "ratio: \"7:1:2\"", StringComparison.Ordinal));
        var again = Processes.Run("dotnet", [dll, "run", recipe, "--executor", "slurm", "--stages", "split"], environment: cluster.Environment, timeoutSeconds: 300);
        Assert.True(again.ExitCode == 0, again.StdOut + again.StdErr);
        Assert.Contains("split: running (split.ratio", File.ReadAllText(Path.Combine(slurmLogs, "split.log")), StringComparison.Ordinal);
    }
}
