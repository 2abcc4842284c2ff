namespace LstPipe.Cli.Tests.Commands;

public class RunCommandTests
{
    [Fact]
    public void Bad_run_and_status_invocations_exit_2_with_one_line()
    {
        using var dir = new TempDir();
        var recipe = dir.File("p.yaml");
        File.WriteAllText(recipe, """
            name: one
            output: out
            regions:
              a:
                synthetic: { size: 128, seed: 1 }
            crop: { size: 32 }

            """);
        CliRunner.AssertOneLineError(CliRunner.Run("run", dir.File("none.yaml")), 2, "none.yaml");
        CliRunner.AssertOneLineError(CliRunner.Run("run", recipe, "--shard", "2/2"), 2, "--shard 2/2: use i/N with 0 <= i < N");
        CliRunner.AssertOneLineError(CliRunner.Run("run", recipe, "--stages", "crop,tile"), 2, "--stages crop,tile: 'tile' is not a stage");
        CliRunner.AssertOneLineError(CliRunner.Run("run", recipe, "--executor", "pbs"), 2, "--executor pbs: use local or slurm");
        CliRunner.AssertOneLineError(CliRunner.Run("run", recipe, "--executor", "slurm", "--shard", "0/2"), 2, "--shard goes with --executor local");
        CliRunner.AssertOneLineError(CliRunner.Run("run", recipe, "--executor", "slurm", "--tasks", "0"), 2, "--tasks 0: use 1 or more");
        CliRunner.AssertOneLineError(CliRunner.Run("status", dir.File("none.yaml")), 2, "none.yaml");
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void The_test_stage_of_the_default_protocol_scores_the_held_out_test_split_not_the_one_the_model_was_selected_on()
    {
        using var dir = new TempDir();
        var recipe = dir.File("p.yaml");
        File.WriteAllText(recipe, """
            name: held-out
            output: out
            regions:
              a:
                synthetic: { size: 192, seed: 4 }
            crop: { size: 32, scales: [1, 2] }
            split: { ratio: "6:1:3", strategy: spatial }
            train: { model: mocolsk, scale: 2, iterations: 4, num_feats: 4, n_resblocks: 1, reduction: 2, val_every: 2 }

            """);
        var r = CliRunner.Run("run", recipe);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var dataset = dir.File("out/dataset");
        var test = dir.File("out/runs/mocolsk-x2/test");
        Assert.False(File.Exists(Path.Combine(test, "metrics-val.csv")));
        int[] Split(string name) => [.. File.ReadAllLines(Path.Combine(dataset, "split", name + ".txt")).Select(int.Parse).Order()];
        int[] scored = [.. File.ReadAllLines(Path.Combine(test, "metrics-test.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).Order()];
        Assert.Equal(Split("test"), scored);
        Assert.Empty(scored.Intersect(Split("val")));
        Assert.Contains("bicubic", r.StdOut, StringComparison.Ordinal);
    }
}
