using static LstPipe.Cli.Tests.Contracts.ContractFixture;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>Guidance whose channels hold each other's contents is refused at every door it came through before
/// (issue 37): the error names the pair, exits 1 and leaves nothing written.</summary>
public class GuidanceGateTests
{
    private static readonly string Swap = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Safety", "swap_guidance.py");

    private static void Exchange(string mode, string path, string pair) => Ok(Processes.Run("/usr/bin/python3", [Swap, mode, path, pair]));

    [Fact]
    public void Test_train_and_export_refuse_a_dataset_whose_guidance_mat_files_have_dem_and_ndvi_swapped()
    {
        using var dir = new TempDir();
        Ok(CliRunner.Run("synth", "--out", dir.File("scene"), "--size", "256"));
        Ok(CliRunner.Run("crop", dir.File("scene"), "--out", dir.File("ds"), "--size", "64"));
        Ok(CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds")));
        Ok(CliRunner.Run("train", "--dataset", dir.File("ds"), "--out", dir.File("run"), "--iterations", "1", "--val-every", "1", "--model", "djf"));
        Exchange("mats", dir.File("ds"), "dem,ndvi");

        var test = CliRunner.Run("test", "--checkpoint", Path.Combine(dir.File("run"), "best.safetensors"), "--dataset", dir.File("ds"),
            "--out", dir.File("eval"));
        CliRunner.AssertOneLineError(test, 1, "/guidance/");
        Assert.Contains(".mat: 'dem' and 'ndvi' look swapped: 'ndvi' (index, -1.0001 to 1.0001) holds ", test.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("eval")), "a refused test leaves no output folder");

        var train = CliRunner.Run("train", "--dataset", dir.File("ds"), "--out", dir.File("run2"), "--iterations", "1", "--val-every", "1", "--model", "djf");
        CliRunner.AssertOneLineError(train, 1, "'dem' and 'ndvi' look swapped");
        Assert.False(Directory.Exists(dir.File("run2")), "a run refused before its first checkpoint leaves no run folder");

        CliRunner.AssertOneLineError(CliRunner.Run("export", "--dataset", dir.File("ds")), 1, "'dem' and 'ndvi' look swapped");
        Assert.False(Directory.Exists(Path.Combine(dir.File("ds"), "parquet")));
    }

    [Fact]
    public void Adopt_refuses_a_grokLst_folder_whose_dem_and_ndvi_are_swapped()
    {
        using var dir = new TempDir();
        var script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Session", "make_groklst_folder.py");
        Ok(Processes.Run("/usr/bin/python3", [script, dir.File("g"), "4", "32", "--swap", "dem,ndvi"]));
        CliRunner.AssertOneLineError(CliRunner.Run("adopt", dir.File("g")), 1,
            $"{Path.Combine(dir.File("g"), "30m", "guidance", "tile_0003.mat")}: 'dem' and 'ndvi' look swapped: 'ndvi' (index");
        Assert.False(File.Exists(Path.Combine(dir.File("g"), "dataset.json")));
    }

    [Fact]
    public void Crop_refuses_a_scene_whose_guidance_tif_holds_nir_in_ndvi_and_ndvi_in_nir()
    {
        using var dir = new TempDir();
        Ok(CliRunner.Run("synth", "--out", dir.File("scene"), "--size", "128"));
        var guidance = Path.Combine(dir.File("scene"), "guidance.tif");
        Exchange("tif", guidance, "nir,ndvi");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", dir.File("scene"), "--out", dir.File("ds"), "--size", "64"), 1,
            $"{guidance}: 'nir' and 'ndvi' look swapped: 'ndvi' is not (nir - red) / (nir + red): the two differ by a median ");
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [SharedDataFact]
    public void Ingest_refuses_a_recipe_whose_ndvi_is_not_nir_and_red_s_index_before_writing_the_scene()
    {
        using var dir = new TempDir();
        var recipe = dir.File("wrong-ndvi.yaml");
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"));
        File.WriteAllText(recipe, text.Replace("ndvi: (nir - red) / (nir + red)", "ndvi: (nir - green) / (nir + green)", StringComparison.Ordinal));
        var input = RepoPaths.Data("landsat8-l1-gulfcoast");
        CliRunner.AssertOneLineError(CliRunner.Run("ingest", "--recipe", recipe, "--input", input, "--out", dir.File("l8")), 1,
            $"{input} (recipe {recipe}): 'ndvi' is not (nir - red) / (nir + red): the two differ by a median ");
        Assert.False(Directory.Exists(dir.File("l8")));
    }
}
