namespace LstPipe.Cli.Tests.Safety;

/// <summary>Values no land surface has, on the MODIS path: the real MOD11A1 subset of <c>tests/data/modis-mod11a1</c> with
/// its LST DNs rewritten by GDAL so that they calibrate to 584-611 K or to 18-32 K, refused by <c>ingest</c> before
/// anything is written; a coarse scene holding such values refused by <c>crop --real-lr</c> before any tile is cut; a
/// real-LR tile holding them refused by <c>test --lr real</c>, which leaves no output folder.</summary>
public class LstGateTests
{
    /// <summary>Runs <c>lst_inputs.py</c> (GDAL's and scipy's Python bindings).</summary>
    internal static void LstInputs(params string[] args)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Safety", "lst_inputs.py");
        var r = Processes.Run("/usr/bin/python3", [script, .. args]);
        Assert.True(r.ExitCode == 0, r.StdErr);
    }

    private static string ModisWithDns(TempDir dir, string name, string gain, string offset)
    {
        var folder = Directory.CreateDirectory(dir.File(name)).FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.Data("modis-mod11a1")))
        {
            var to = Path.Combine(folder, Path.GetFileName(file));
            if (file.EndsWith("_LST_Day_1km.tif", StringComparison.Ordinal))
            {
                LstInputs("tif-affine", file, to, gain, offset);
            }
            else
            {
                File.Copy(file, to);
            }
        }

        return folder;
    }

    private static ProcessResult Ingest(string input, string output) => CliRunner.Run("ingest", "--recipe",
        Path.Combine(RepoPaths.Root, "pipelines", "modis-mod11a1.yaml"), "--input", input, "--out", output);

    [SharedDataTheory]
    [InlineData("2", "0", "holds an LST of 5")]
    [InlineData("1", "-13700", "holds an LST of ")]
    public void Modis_dns_that_calibrate_to_no_land_surface_temperature_are_refused_and_nothing_is_written(string gain, string offset,
        string message)
    {
        using var dir = new TempDir();
        var input = ModisWithDns(dir, "granule", gain, offset);
        var r = Ingest(input, dir.File("modis"));
        CliRunner.AssertOneLineError(r, 1, message);
        Assert.Contains("_LST_Day_1km.tif (calibrated onto the target grid)", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("outside the 150-400 K of any land surface", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("modis")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), p => Path.GetFileName(p) != "granule");
    }

    [SharedDataFact]
    public void A_coarse_scene_of_600_k_is_refused_by_crop_real_lr_before_any_tile_and_a_600_k_real_tile_by_test()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Ingest(RepoPaths.Data("modis-mod11a1"), dir.File("modis")).ExitCode);
        var synth = CliRunner.Run("synth", "--out", dir.File("l8"), "--size", "128", "--pixel-size", "120", "--epsg", "32616",
            "--origin", "289200,4336320", "--seed", "2");
        Assert.True(synth.ExitCode == 0, synth.StdErr);

        var hot = Directory.CreateDirectory(dir.File("modis-hot")).FullName;
        File.Copy(dir.File("modis/scene.json"), Path.Combine(hot, "scene.json"));
        LstInputs("tif-affine", dir.File("modis/lst.tif"), Path.Combine(hot, "lst.tif"), "2", "0");
        var crop = CliRunner.Run("crop", dir.File("l8"), "--out", dir.File("hot-ds"), "--size", "64", "--real-lr", hot);
        CliRunner.AssertOneLineError(crop, 1, Path.Combine(hot, "lst.tif") + ": holds an LST of 5");
        Assert.DoesNotContain("bias", crop.StdOut, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("hot-ds")));

        Assert.Equal(0, CliRunner.Run("crop", dir.File("l8"), "--out", dir.File("ds"), "--size", "64", "--overlap", "0.75",
            "--real-lr", dir.File("modis")).ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds")).ExitCode);
        var train = CliRunner.Run("train", "--dataset", dir.File("ds"), "--out", dir.File("run"), "--scale", "8", "--iterations", "2",
            "--val-every", "2", "--model", "srcnn", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.StdErr);
        LstInputs("mat-affine", dir.File("ds/960m-real/lst"), "2", "0");
        var test = CliRunner.Run("test", "--checkpoint", dir.File("run/best.safetensors"), "--dataset", dir.File("ds"), "--lr", "real",
            "--panels", "0", "--threads", "1", "--out", dir.File("eval"));
        CliRunner.AssertOneLineError(test, 1, "960m-real");
        Assert.Contains("outside the 150-400 K of any land surface", test.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("eval")), "a refused test leaves no output folder");
    }
}
