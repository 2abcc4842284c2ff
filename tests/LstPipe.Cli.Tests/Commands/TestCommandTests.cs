using System.Text.Json;

namespace LstPipe.Cli.Tests.Commands;

/// <summary>The real-LR path on the command line: a MODIS subset ingested with the shipped recipe, a 120 m scene inside
/// it cropped with <c>--real-lr</c>, an x8 model scored on the real LR, and the MODIS scene as <c>predict --lst</c>.</summary>
public class TestCommandTests
{
    [SharedDataFact]
    public void An_x8_model_is_scored_on_the_real_modis_lr_beside_the_simulated_one()
    {
        using var dir = new TempDir();
        var ingest = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "modis-mod11a1.yaml"),
            "--input", RepoPaths.Data("modis-mod11a1"), "--out", dir.File("modis"));
        Assert.True(ingest.ExitCode == 0, ingest.StdErr);
        Assert.Contains("64 x 64 px, 0 guidance channels", ingest.StdOut, StringComparison.Ordinal);
        var info = CliRunner.Run("info", dir.File("modis"));
        Assert.True(info.ExitCode == 0, info.StdErr);
        Assert.Contains("coarse scene: LST only", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("926.625 m", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("2021-08-15", info.StdOut, StringComparison.Ordinal);

        var synth = CliRunner.Run("synth", "--out", dir.File("l8"), "--size", "128", "--pixel-size", "120", "--epsg", "32616",
            "--origin", "289200,4336320", "--seed", "2");
        Assert.True(synth.ExitCode == 0, synth.StdErr);
        var crop = CliRunner.Run("crop", dir.File("l8"), "--out", dir.File("ds"), "--size", "64", "--overlap", "0.75",
            "--real-lr", dir.File("modis"));
        Assert.True(crop.ExitCode == 0, crop.StdErr);
        Assert.Contains("real LR: 960m-real/lst from MODIS Terra (MOD11A1) (2021-08-15T17:03Z)", crop.StdOut.ReplaceLineEndings(" "),
            StringComparison.Ordinal);
        using (var card = JsonDocument.Parse(File.ReadAllText(dir.File("ds/dataset.json"))))
        {
            Assert.Contains("MOD11A1", card.RootElement.GetProperty("realLr").GetProperty("sensor").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds")).ExitCode);
        var train = CliRunner.Run("train", "--dataset", dir.File("ds"), "--out", dir.File("run"), "--scale", "8", "--iterations", "2",
            "--val-every", "2", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.StdErr);
        var checkpoint = dir.File("run/best.safetensors");
        var test = CliRunner.Run("test", "--checkpoint", checkpoint, "--dataset", dir.File("ds"), "--lr", "real", "--match-bias",
            "--panels", "0", "--threads", "1");
        Assert.True(test.ExitCode == 0, test.StdErr);
        var text = test.StdOut.ReplaceLineEndings(" ");
        Assert.Contains("scored the real LR: 960m-real (MODIS Terra (MOD11A1)", text, StringComparison.Ordinal);
        foreach (var row in new[] { "simulated", "real (960m-real)", "real, bias matched" })
        {
            Assert.Contains(row, text, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(dir.File("run/metrics-test-real.csv")));
        CliRunner.AssertOneLineError(CliRunner.Run("test", "--checkpoint", checkpoint, "--dataset", dir.File("ds"), "--lr", "modis"),
            2, "modis");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", dir.File("modis"), "--out", dir.File("ds2")), 2,
            "cannot be cropped as truth; give it as --real-lr");

        var predict = CliRunner.Run("predict", "--checkpoint", checkpoint, "--lst", dir.File("modis"), "--guidance", dir.File("l8"),
            "--out", dir.File("sr.tif"), "--threads", "1");
        Assert.True(predict.ExitCode == 0, predict.StdErr);
        Assert.Contains("926.625433 m", predict.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("sr.tif")));
    }
}
