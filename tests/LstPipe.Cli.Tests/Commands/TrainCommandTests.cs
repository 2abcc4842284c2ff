namespace LstPipe.Cli.Tests.Commands;

public class TrainCommandTests
{
    [Fact]
    public void Dry_run_prints_the_reference_parameter_counts()
    {
        var r = CliRunner.Run("train", "--dry-run");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("20,011,833", r.StdOut);
        Assert.Contains("25,430,841", r.StdOut);
        Assert.Contains("40,913,721", r.StdOut);
    }

    [Fact]
    public void Bad_train_test_and_predict_invocations_exit_2_with_one_line()
    {
        using var dir = new TempDir();
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", dir.Path), 2, "train needs --dataset and --out");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", dir.File("none"), "--out", dir.File("run")), 2, "no such dataset folder");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", dir.Path, "--out", dir.File("run"), "--scale", "3"), 2, "--scale 3");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", dir.Path, "--out", dir.File("run"), "--periods", "4x10"), 2, "--periods sum to 40");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", dir.Path, "--out", dir.File("run"), "--restart-weights", "1,a"), 2, "--restart-weights '1,a'");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--out", dir.File("run"), "--resume"), 2, "not a run folder");
        CliRunner.AssertOneLineError(CliRunner.Run("test", "--checkpoint", dir.File("x.safetensors"), "--dataset", dir.Path), 2, "no such checkpoint");
        File.WriteAllText(dir.File("junk.safetensors"), "not a checkpoint at all");
        CliRunner.AssertOneLineError(CliRunner.Run("test", "--checkpoint", dir.File("junk.safetensors"), "--dataset", dir.Path), 1, "junk.safetensors");
        CliRunner.AssertOneLineError(CliRunner.Run("predict", "--checkpoint", dir.File("junk.safetensors"), "--lst", dir.File("lr.tif"), "--guidance", dir.File("g.tif"), "--out", dir.File("o.tif")), 2, "lr.tif: no such file");
        Assert.False(Directory.Exists(dir.File("run")));
    }
}
