using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using LstPipe.Raster.Tests.Gdal;

namespace LstPipe.Raster.Tests.Scenes;

public class SceneFolderTests
{
    private static readonly GuidanceChannel[] TwoChannels = [GuidanceChannel.GrokLst[0], GuidanceChannel.GrokLst[8]];

    private static SceneFolder WriteScene(string dir)
    {
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 64, 32);
        using var writer = SceneWriter.Create(dir, grid, TwoChannels);
        writer.Lst.Write(1, grid.Extent, Enumerable.Repeat(290f, 64 * 32).ToArray());
        writer.Guidance!.Write(1, grid.Extent, Enumerable.Repeat(1000f, 64 * 32).ToArray());
        writer.Guidance!.Write(2, grid.Extent, Enumerable.Repeat(0.5f, 64 * 32).ToArray());
        return writer.Commit(writer.Manifest("t1", new SceneProvenance { Sensor = "test" }, 32650));
    }

    [Fact]
    public void A_written_scene_opens_with_its_contract()
    {
        using var dir = new TempDir();
        var scene = WriteScene(dir.File("scene"));
        Assert.Equal(["dem", "ndvi"], scene.Manifest.Guidance.Bands.Select(b => b.Name));
        using var g = scene.OpenGuidance();
        Assert.Equal("ndvi", g.GetBand(2).Description);
        Assert.Equal(SceneFolder.NoData, g.GetBand(2).NoData);
        Assert.Equal(32650, scene.Manifest.Crs.Epsg);
        Assert.Single(Directory.GetDirectories(dir.Path));
    }

    [Fact]
    public void A_manifest_that_disagrees_with_the_rasters_is_rejected()
    {
        using var dir = new TempDir();
        var scene = WriteScene(dir.File("scene"));
        var path = Path.Combine(scene.Directory, SceneFolder.ManifestFileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"ndvi\"", "\"ndwi\"", StringComparison.Ordinal));
        var e = Assert.Throws<DataException>(() => SceneFolder.Open(scene.Directory));
        Assert.Contains("band 2 is 'ndvi'", e.Message);
    }

    [Fact]
    public void A_folder_without_manifest_is_a_usage_error()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<UsageException>(() => SceneFolder.Open(dir.Path));
        Assert.Contains("not a scene folder", e.Message);
    }

    [Fact]
    public void A_non_empty_target_is_refused_and_an_abandoned_writer_leaves_nothing()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 16, 16);
        File.WriteAllText(dir.File("keep.txt"), "x");
        Assert.Throws<UsageException>(() => SceneWriter.Create(dir.Path, grid, TwoChannels));
        using (SceneWriter.Create(dir.File("new"), grid, TwoChannels))
        {
        }

        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("\"file\": \"lst.tif\"", "\"file\": \"../lst.tif\"", "lst.file '../lst.tif'")]
    [InlineData("\"file\": \"lst.tif\"", "\"file\": \"/tmp/lst.tif\"", "lst.file '/tmp/lst.tif'")]
    [InlineData("\"file\": \"guidance.tif\"", "\"file\": \"../other/guidance.tif\"", "guidance.file '../other/guidance.tif'")]
    [InlineData("\"file\": \"guidance.tif\"", "\"file\": \"..\"", "guidance.file '..'")]
    public void A_raster_named_outside_the_scene_folder_is_refused_naming_scene_json(string from, string to, string message)
    {
        using var dir = new TempDir();
        var scene = WriteScene(dir.File("scene"));
        File.Copy(scene.LstPath, dir.File("lst.tif"));
        var path = Path.Combine(scene.Directory, SceneFolder.ManifestFileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<DataException>(() => SceneFolder.Open(scene.Directory));
        Assert.StartsWith($"{path}: {message} is not a plain file name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coarse_scene_has_lst_only_and_refuses_to_give_guidance_with_the_fix()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 8, 8);
        SceneFolder scene;
        using (var writer = SceneWriter.Create(dir.File("modis"), grid, []))
        {
            Assert.Null(writer.Guidance);
            writer.Lst.Write(1, grid.Extent, Enumerable.Repeat(300f, 64).ToArray());
            scene = writer.Commit(writer.Manifest("m", new SceneProvenance { Sensor = "MODIS Terra (MOD11A1)" }, null));
        }

        Assert.False(scene.HasGuidance);
        Assert.Equal(["lst.tif", "scene.json"], Directory.GetFiles(scene.Directory).Select(Path.GetFileName).Order());
        var json = File.ReadAllText(Path.Combine(scene.Directory, SceneFolder.ManifestFileName));
        Assert.Contains("\"file\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"epsg\": null", json, StringComparison.Ordinal);
        var e = Assert.Throws<UsageException>(() => scene.GuidancePath);
        Assert.Contains("a coarse scene (MODIS Terra (MOD11A1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("'crop --real-lr', 'predict --lst'", e.Message, StringComparison.Ordinal);

        var path = Path.Combine(scene.Directory, SceneFolder.ManifestFileName);
        File.WriteAllText(path, json.Replace("\"file\": null", "\"file\": \"guidance.tif\"", StringComparison.Ordinal));
        var bad = Assert.Throws<DataException>(() => SceneFolder.Open(scene.Directory));
        Assert.Contains("guidance.file 'guidance.tif' is named but declares no channels", bad.Message, StringComparison.Ordinal);
    }
}
