using System.Text.Json;
using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>Cases found by trying to lose or corrupt data on purpose (issue: never lose or silently corrupt data);
/// each failed on the code before its fix.</summary>
public class DataSafetyTests
{
    private static string Scene(TempDir dir, string name = "scene", int size = 256) =>
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = size, Height = size }, dir.File(name)).Directory;

    [Fact]
    public void Force_never_deletes_an_input_that_is_contains_or_holds_the_output()
    {
        using var dir = new TempDir();
        var scene = Scene(dir, "par/scene");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", scene, "--force", "--size", "64"), 2, "the output is the scene");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("par"), "--force", "--size", "64"), 2, "the output contains the scene");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", Path.Combine(scene, "ds"), "--force", "--size", "64"), 2, "the output lies inside the scene");
        Assert.True(File.Exists(Path.Combine(scene, "scene.json")) && File.Exists(Path.Combine(scene, "lst.tif")));

        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", ds, "--size", "64").ExitCode);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", ds, "--force", "--iterations", "1"), 2, "the output is the dataset");
        Assert.True(File.Exists(Path.Combine(ds, "dataset.json")));
    }

    [Fact]
    public void An_infinite_lst_is_nodata_and_an_implausible_one_is_refused_naming_the_file()
    {
        using var dir = new TempDir();
        var scene = Scene(dir);
        using (var d = LstPipe.Raster.Gdal.RasterDataset.Open(Path.Combine(scene, "lst.tif")))
        {
            Assert.Equal(256, d.Width);
        }

        Edit(Path.Combine(scene, "lst.tif"), v => { v[0] = float.PositiveInfinity; });
        var r = CliRunner.Run("crop", scene, "--out", dir.File("inf"), "--size", "64", "--max-nodata", "0.01");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using (var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("inf"), "dataset.json"))))
        {
            var lst = card.RootElement.GetProperty("statistics")[0].GetProperty("bands")[0];
            Assert.True(double.IsFinite(lst.GetProperty("mean").GetDouble()) && double.IsFinite(lst.GetProperty("std").GetDouble()));
        }

        Edit(Path.Combine(scene, "lst.tif"), v => { v[0] = 1e30f; });
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("huge"), "--size", "64"), 1, "lst.tif: holds an LST of 1E+30 K, outside the 150-400 K");
        Assert.False(Directory.Exists(dir.File("huge")));
    }

    [Fact]
    public void Zero_or_malformed_thread_counts_are_usage_errors()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dry-run", "--threads", "0"), 2, "--threads 0: use 1 or more");
        var r = Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "train", "--dry-run"], environment: new Dictionary<string, string> { ["LSTPIPE_THREADS"] = "abc" });
        CliRunner.AssertOneLineError(r, 2, "LSTPIPE_THREADS=abc: use a positive number of threads");
    }

    [Fact]
    public void A_recipe_name_that_climbs_out_of_the_output_is_refused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.yaml"), "name: \"../../escaped\"\noutput: out\nregions:\n  a:\n    synthetic: { size: 128, seed: 1 }\n");
        CliRunner.AssertOneLineError(CliRunner.Run("run", dir.File("p.yaml")), 2, "recipe name '../../escaped' must be letters, digits");
        Assert.False(Directory.Exists(Path.GetFullPath(Path.Combine(dir.Path, "..", "..", "escaped"))));
    }

    private static void Edit(string tif, Action<float[]> change)
    {
        float[] values;
        LstPipe.Core.Units.RasterGrid grid;
        using (var d = LstPipe.Raster.Gdal.RasterDataset.Open(tif))
        {
            grid = d.Grid;
            values = new float[d.Width * d.Height];
            d.GetBand(1).Read(d.Extent, values);
        }

        change(values);
        using var w = LstPipe.Raster.Gdal.GeoTiffWriter.Create(tif, grid, 1, noData: -9999);
        w.Write(1, grid.Extent, values);
        w.Commit();
    }
}
