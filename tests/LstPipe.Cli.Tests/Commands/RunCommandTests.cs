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
}
