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
    public void Training_without_a_terminal_prints_progress_lines_from_the_first_iteration_and_the_dry_run_times_a_step()
    {
        using var dir = new TempDir();
        var scene = LstPipe.Synthetic.SyntheticSceneGenerator.Generate(new LstPipe.Synthetic.SyntheticSceneOptions { Width = 192, Height = 192 }, dir.File("scene")).Directory;
        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", ds, "--size", "32").ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", ds).ExitCode);
        string[] small = ["--num-feats", "8", "--n-resblocks", "1", "--reduction", "4"];

        var dry = CliRunner.Run(["train", "--dry-run", "--dataset", ds, "--iterations", "100", "--val-every", "50", .. small]);
        Assert.True(dry.ExitCode == 0, dry.StdErr);
        Assert.Matches(@"one training step \d+\.\d\d s, one validation tile \d+\.\d\d s \(8 -> 32 px tiles, x4, \d+ threads; medians\s+of\s+3\s+warm\s+runs\s+after\s+one\s+warm-up\)",
            dry.StdOut.ReplaceLineEndings(" "));
        Assert.Matches(@"expected: \w+ for 100 iterations and 2 validations of \d+ tiles", dry.StdOut);
        Assert.Matches(@"peak memory: about \d+ MiB", dry.StdOut);
        Assert.False(Directory.Exists(dir.File("run")));

        var r = CliRunner.Run(["train", "--dataset", ds, "--out", dir.File("run"), "--iterations", "4", "--val-every", "2", "--log-every", "1",
            "--batch-size", "4", "--accumulate", "2", .. small]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("2 batches of 4 tiles accumulated per step (8 tiles)", r.StdOut.ReplaceLineEndings(" "));
        var log = File.ReadAllLines(Path.Combine(dir.File("run"), "log.csv"));
        Assert.Equal(5, log.Length);
        Assert.All(log.Skip(1), row => Assert.Equal(8, row.Split(',')[4].Split(' ').Length));
        var lines = r.StdOut.Split('\n').Where(l => l.StartsWith("it ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^it 1/4 loss \d+\.\d{3} K lr 1\.0e-4 \d+\.\d+ (it/s|s/it) ETA \w+$", lines[0]);
        Assert.Contains(" val ", lines[1]);
        Assert.StartsWith("it 4/4", lines[3]);
    }

    [Fact]
    public void Bad_train_test_and_predict_invocations_exit_2_with_one_line()
    {
        using var dir = new TempDir();
        var ds = Directory.CreateDirectory(dir.File("ds")).FullName;
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds), 2, "train needs --dataset and --out");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", dir.File("none"), "--out", dir.File("run")), 2, "no such dataset folder");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--scale", "3"), 2, "--scale 3");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--periods", "4x10"), 2, "--periods sum to 40");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--restart-weights", "1,a"), 2, "--restart-weights 1,a: use a comma-separated list");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--out", dir.File("run"), "--resume"), 2, "not a run folder");
        CliRunner.AssertOneLineError(CliRunner.Run("test", "--checkpoint", dir.File("x.safetensors"), "--dataset", ds), 2, "no such checkpoint");
        File.WriteAllText(dir.File("junk.safetensors"), "not a checkpoint at all");
        CliRunner.AssertOneLineError(CliRunner.Run("test", "--checkpoint", dir.File("junk.safetensors"), "--dataset", ds), 1, "junk.safetensors");
        CliRunner.AssertOneLineError(CliRunner.Run("predict", "--checkpoint", dir.File("junk.safetensors"), "--lst", dir.File("lr.tif"), "--guidance", dir.File("g.tif"), "--out", dir.File("o.tif")), 2, "lr.tif: no such file");
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void A_run_folder_left_without_a_checkpoint_points_at_force_from_both_re_runs()
    {
        using var dir = new TempDir();
        var ds = Directory.CreateDirectory(dir.File("ds")).FullName;
        var run = Directory.CreateDirectory(dir.File("run")).FullName;
        File.WriteAllText(Path.Combine(run, "config.json"), "{}");
        var again = CliRunner.Run("train", "--dataset", ds, "--out", run);
        CliRunner.AssertOneLineError(again, 2, "with no checkpoint to resume; choose another --out or pass --force");
        Assert.DoesNotContain("--resume", again.StdErr);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--out", run, "--resume"), 2, "has no checkpoint to resume (config.json, state.json); start the run again with --force");
        Assert.True(File.Exists(Path.Combine(run, "config.json")));
    }
}
