namespace LstPipe.Cli.Tests.Commands;

public class IngestCommandTests
{
    [SharedDataFact]
    public void Ingest_then_crop_makes_a_dataset_from_a_real_landsat_8_product()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"),
            "--input", RepoPaths.Data("landsat8-l1-gulfcoast"), "--out", dir.File("scene"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("scene LC80200392015216LGN00: 627 x 603 px, 7 guidance channels", r.StdOut);
        Assert.Contains("warning:", r.StdOut);
        var crop = CliRunner.Run("crop", dir.File("scene"), "--out", dir.File("ds"), "--size", "64", "--max-nodata", "0", "--truth", "resampled");
        Assert.True(crop.ExitCode == 0, crop.StdErr);
        Assert.NotEmpty(Directory.GetFiles(dir.File("ds/30m/lst")));
        Assert.Contains("\"truthResampledFrom\": 100", File.ReadAllText(dir.File("ds/dataset.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_recipe_exits_2_with_one_line_naming_the_recipe_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), "product: geotiff\nbands:\n  lst: { file: lst.tif, calibrate: linear }\nlst:\n  band: lst\nguidance:\n  x: (lst +\n");
        Directory.CreateDirectory(dir.File("in"));
        var r = CliRunner.Run("ingest", "--recipe", dir.File("r.yaml"), "--input", dir.File("in"), "--out", dir.File("scene"));
        CliRunner.AssertOneLineError(r, 2, dir.File("r.yaml") + ":7: bad expression '(lst +'");
        Assert.False(Directory.Exists(dir.File("scene")));
    }

    [Fact]
    public void A_missing_input_file_exits_2_naming_the_band_and_leaves_no_scene()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        var r = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "groklst.yaml"), "--input", dir.File("in"), "--out", dir.File("scene"));
        CliRunner.AssertOneLineError(r, 2, "band 'lst': no file in");
        Assert.Equal([dir.File("in")], Directory.GetFileSystemEntries(dir.Path));
    }
}
