using System.Globalization;

namespace LstPipe.Cli.Tests.Session;

/// <summary>The researcher's path as one scripted session of the built CLI: a small scene through crop, a spatial
/// split that used to leave val empty, training that reports progress from its first iteration, a whole-scene
/// prediction from a coarse LST in another CRS and resolution (made by GDAL in Python, as a product would come), and
/// the test table with the consistency errors. The output's block means are checked against the coarse LST by an
/// independent GDAL reader.</summary>
public class ResearcherPathTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Session", "researcher_path.py");

    private static ProcessResult Ok(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.StdErr}");
        return r;
    }

    private static (double Rmse, double Max) BlockMeanError(string output, string lr)
    {
        var r = Ok(Processes.Run("/usr/bin/python3", [Script, "check", output, lr, "4"]));
        var v = r.StdOut.Trim().Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(v[2] > 1000, r.StdOut);
        return (v[0], v[1]);
    }

    [Fact]
    public void A_small_scene_goes_from_crop_to_a_consistent_whole_scene_prediction_from_a_foreign_coarse_lst()
    {
        using var dir = new TempDir();
        var scene = dir.File("scene");
        var ds = dir.File("ds");
        Ok(CliRunner.Run("synth", "--out", scene, "--size", "256"));
        Ok(CliRunner.Run("crop", scene, "--out", ds, "--size", "64"));

        var split = Ok(CliRunner.Run("split", "6:1:3", "--dataset", ds, "--strategy", "spatial"));
        Assert.Contains("blocks of 4 x 4 tiles left val empty; used 3 x 3", split.StdOut);
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(ds, "split", "val.txt")));

        var train = Ok(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--iterations", "4", "--val-every", "2", "--log-every", "1",
            "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4", "--lr", "1e-3"));
        var lines = train.StdOut.Split('\n');
        var first = Array.FindIndex(lines, l => l.StartsWith("it 1/4 loss", StringComparison.Ordinal));
        var validated = Array.FindIndex(lines, l => l.Contains(" val ", StringComparison.Ordinal));
        Assert.True(first >= 0 && first < validated, train.StdOut);
        Assert.Contains(" ETA ", lines[first]);

        Ok(CliRunner.Run("degrade", scene, "--scale", "4", "--out", dir.File("lr.tif")));
        Ok(Processes.Run("/usr/bin/python3", [Script, "warp", dir.File("lr.tif"), dir.File("lr-wgs84.tif")]));
        var checkpoint = Path.Combine(dir.File("run"), "best.safetensors");
        var guidance = Path.Combine(scene, "guidance.tif");
        var predict = Ok(CliRunner.Run("predict", "--checkpoint", checkpoint, "--lst", dir.File("lr-wgs84.tif"), "--guidance", guidance,
            "--out", dir.File("sr.tif"), "--truth", Path.Combine(scene, "lst.tif"), "--window", "128", "--overlap", "32", "--consistency", "radiance"));
        Assert.Contains("coarse LST: averaged", predict.StdOut);
        Assert.Contains("in WGS 84 onto the guidance grid coarsened: 64 x 64 px of 120 m", predict.StdOut);
        Assert.Matches(@"RMSE against .*lst\.tif: \d+\.\d{4} K", predict.StdOut);
        var byDefault = Ok(CliRunner.Run("predict", "--checkpoint", checkpoint, "--lst", dir.File("lr-wgs84.tif"), "--guidance", guidance,
            "--out", dir.File("raw.tif"), "--window", "128", "--overlap", "32"));
        Assert.Contains("consistency: none (the coarse LST was reprojected", byDefault.StdOut.ReplaceLineEndings(" "), StringComparison.Ordinal);

        var corrected = BlockMeanError(dir.File("sr.tif"), dir.File("lr-wgs84.tif"));
        var raw = BlockMeanError(dir.File("raw.tif"), dir.File("lr-wgs84.tif"));
        Assert.True(corrected.Rmse < 0.01, $"block means are {corrected.Rmse:0.0000} K (RMSE) from the coarse LST with --consistency radiance");
        Assert.True(raw.Rmse > 2 * corrected.Rmse, $"by default (none on a reprojected input) {raw.Rmse:0.0000} K, with the correction {corrected.Rmse:0.0000} K");
        using (var png = LstPipe.Raster.Gdal.RasterDataset.Open(dir.File("sr.png")))
        {
            Assert.Equal(("PNG", 3), (png.Driver, png.BandCount));
            Assert.True(png.Width > 4 * 256, "four panels: coarse input, output, truth, error");
        }

        var test = Ok(CliRunner.Run("test", "--checkpoint", checkpoint, "--dataset", ds, "--out", dir.File("eval"), "--panels", "2", "--panels-from", "worst"));
        Assert.Contains("mocolsk + radiance", test.StdOut);
        Assert.Contains("consistency", test.StdOut);
        Assert.Equal(2, Directory.GetFiles(dir.File("eval"), "panel-test-worst*.png").Length);
    }
}
