using System.Text.Json.Nodes;
using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>The last "unexpected ..." messages of issue 38, each now one line naming the file and the fix: a card whose
/// channel was renamed, a dataset without its tiles.geojson, a checkpoint path that is a device.</summary>
public class LastUnexpectedTests
{
    private static string Dataset(TempDir dir)
    {
        var scene = SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 128, Height = 128 }, dir.File("scene")).Directory;
        var r = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds")).ExitCode);
        return dir.File("ds");
    }

    [Fact]
    public void A_channel_renamed_in_the_card_alone_is_named_with_the_fix()
    {
        using var dir = new TempDir();
        var ds = Dataset(dir);
        var cardPath = Path.Combine(ds, "dataset.json");
        var card = JsonNode.Parse(File.ReadAllText(cardPath))!;
        var ndvi = card["guidance"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "ndvi")!;
        ndvi["name"] = "ndvi2";
        File.WriteAllText(cardPath, card.ToJsonString());
        foreach (var args in new[] { new[] { "info", ds }, ["report", ds, "--out", dir.File("r.html")],
            ["train", "--dataset", ds, "--out", dir.File("run"), "--iterations", "1", "--num-feats", "4", "--reduction", "2"] })
        {
            CliRunner.AssertOneLineError(CliRunner.Run(args), 1, $"{cardPath}: band 'ndvi2' has no statistics at scale 30m (they " +
                "name 'ndvi', which the guidance list lacks: was a channel renamed?); the card was edited or is corrupt: put " +
                "back the names it was written with, or rebuild it with 'lstpipe crop'");
        }

        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void A_dataset_without_its_tile_index_is_named_with_the_fix()
    {
        using var dir = new TempDir();
        var ds = Dataset(dir);
        File.Delete(Path.Combine(ds, "tiles.geojson"));
        foreach (var args in new[] { new[] { "info", ds }, ["split", "6:1:3", "--dataset", ds],
            ["report", ds, "--out", dir.File("r.html")] })
        {
            CliRunner.AssertOneLineError(CliRunner.Run(args), 1, $"{Path.Combine(ds, "tiles.geojson")}: missing; the dataset's " +
                "tile index is gone (deleted or not copied): copy it back from where the dataset came from, or rebuild the " +
                "dataset with 'lstpipe crop --force'");
        }
    }

    [Theory]
    [InlineData("inf", 3, "blue", "+Infinity")]
    [InlineData("-inf", 9, "ndvi", "-Infinity")]
    public void An_infinite_guidance_value_is_refused_by_crop_with_its_band_and_pixel(string value, int band, string name, string shown)
    {
        using var dir = new TempDir();
        var scene = SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 128, Height = 128 }, dir.File("scene")).Directory;
        var guidance = Path.Combine(scene, "guidance.tif");
        var edit = Processes.Run("/usr/bin/python3", ["-c", """
            import sys
            from osgeo import gdal
            gdal.UseExceptions()
            ds = gdal.Translate(sys.argv[2], sys.argv[1], format='GTiff')
            b = ds.GetRasterBand(int(sys.argv[3])); a = b.ReadAsArray(); a[70, 12] = float(sys.argv[4]); b.WriteArray(a)
            ds = None
            """, guidance, dir.File("edited.tif"), band.ToString(System.Globalization.CultureInfo.InvariantCulture), value]);
        Assert.True(edit.ExitCode == 0, edit.StdErr);
        File.Move(dir.File("edited.tif"), guidance, overwrite: true);
        var r = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64");
        CliRunner.AssertOneLineError(r, 1, $"{guidance}: band {band} ('{name}') at row 70, column 12 is {shown}, neither a value " +
            "nor nodata; mask it as nodata (NaN) or fix what wrote it");
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void A_checkpoint_that_is_a_device_is_refused_before_it_is_read()
    {
        using var dir = new TempDir();
        var ds = Dataset(dir);
        var scene = dir.File("scene");
        const string Refusal = "/dev/zero: not a regular file (a character device); give a checkpoint file (.safetensors, .pth or .onnx)";
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--iterations", "1",
            "--init", "/dev/zero"), 2, Refusal);
        CliRunner.AssertOneLineError(CliRunner.Run("test", "--checkpoint", "/dev/zero", "--dataset", ds), 2, Refusal);
        Assert.Equal(0, CliRunner.Run("degrade", scene, "--scale", "2", "--out", dir.File("lr.tif")).ExitCode);
        CliRunner.AssertOneLineError(CliRunner.Run("predict", "--checkpoint", "/dev/zero", "--lst", dir.File("lr.tif"),
            "--guidance", Path.Combine(scene, "guidance.tif"), "--out", dir.File("sr.tif")), 2, Refusal);
        CliRunner.AssertOneLineError(CliRunner.Run("convert", "/dev/zero", dir.File("m.onnx")), 2, Refusal);
        Assert.False(Directory.Exists(dir.File("run")));
    }
}
