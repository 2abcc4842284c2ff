namespace LstPipe.Cli.Tests.Contracts;

/// <summary>The data contract on a real Landsat 8 scene: a model trained on its 120 m native truth refuses the
/// scene's 30 m guidance, matches its own 120 m guidance by band name when the bands come in another order, and refuses
/// it with its nir and ndvi band names swapped (naming the pair) or with ndvi named twice.</summary>
public class LandsatContractTests
{
    [SharedDataFact]
    public void A_120_m_truth_model_refuses_30_m_guidance_and_matches_its_own_guidance_reordered()
    {
        using var dir = new TempDir();
        var scene = dir.File("l8");
        ContractFixture.Ok(CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"),
            "--input", RepoPaths.Data("landsat8-l1-gulfcoast"), "--out", scene));
        ContractFixture.Ok(CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "32", "--max-nodata", "0.3", "--truth", "native"));
        ContractFixture.Ok(CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds")));
        ContractFixture.Ok(CliRunner.Run("train", "--dataset", dir.File("ds"), "--out", dir.File("run"), "--scale", "2", "--iterations", "6",
            "--val-every", "6", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4"));
        var checkpoint = Path.Combine(dir.File("run"), "best.safetensors");
        ContractFixture.Ok(CliRunner.Run("degrade", scene, "--scale", "8", "--out", dir.File("lr240.tif")));

        string Predict(string guidance, string output, int exit = 0)
        {
            var r = CliRunner.Run("predict", "--checkpoint", checkpoint, "--lst", dir.File("lr240.tif"), "--guidance", guidance, "--out", output);
            Assert.True(r.ExitCode == exit, $"exit {r.ExitCode}: {r.StdErr}");
            return r.StdOut + r.StdErr;
        }

        var at30 = Predict(Path.Combine(scene, "guidance.tif"), dir.File("sr30.tif"), exit: 2);
        Assert.Contains("its pixels are 30 m; ", at30, StringComparison.Ordinal);
        Assert.Contains("was trained on 120 m truth and guidance", at30, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("sr30.tif")));

        var own = ContractFixture.Make("resample", Path.Combine(scene, "guidance.tif"), dir.File("g120.tif"), "120");
        Predict(own, dir.File("sr.tif"));
        int bands;
        using (var g = LstPipe.Raster.Gdal.RasterDataset.Open(own))
        {
            bands = g.BandCount;
        }

        var reversed = string.Join(",", Enumerable.Range(1, bands).Reverse());
        var reordered = ContractFixture.Make("reorder", own, dir.File("g120-reversed.tif"), reversed);
        Assert.Contains("matched by name", Predict(reordered, dir.File("sr-reordered.tif")).ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Equal(ContractFixture.Read(dir.File("sr.tif")), ContractFixture.Read(dir.File("sr-reordered.tif")));

        var unnamed = ContractFixture.Make("unname", reordered, dir.File("g120-unnamed.tif"));
        Assert.Contains("have no names", Predict(unnamed, dir.File("sr-unnamed.tif"), exit: 2), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("sr-unnamed.tif")));

        var swapped = ContractFixture.Make("rename", own, dir.File("g120-swapped.tif"), "deepblue,blue,green,red,ndvi,nir,ndwi");
        var refused = Predict(swapped, dir.File("sr-swapped.tif"), exit: 1);
        Assert.Contains($"lstpipe: {swapped}: 'ndvi' and 'nir' look swapped: ", refused, StringComparison.Ordinal);
        Assert.Contains("name each band after its contents (band descriptions, or --guidance-bands in band order)", refused, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("sr-swapped.tif")));

        var twice = ContractFixture.Make("rename", own, dir.File("g120-twice.tif"), "deepblue,blue,green,red,nir,ndvi,ndvi");
        Assert.Contains($"{twice}: 2 guidance channels are named 'ndvi'; name each channel once", Predict(twice, dir.File("sr-twice.tif"), exit: 1),
            StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("sr-twice.tif")));
    }
}
