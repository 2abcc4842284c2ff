using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Dataset.Crop;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;

namespace LstPipe.Dataset.Tests.Crop;

/// <summary><c>crop --real-lr</c> on the real MOD11A1 subset of <c>tests/data/modis-mod11a1</c> and a 120 m synthetic
/// scene placed inside it (UTM 16N), checked with gdal.Warp, scipy and numpy.</summary>
public class RealLrLevelTests
{
    /// <summary>A coarse scene made here from the subset's fields, without lstpipe's ingest: LST_Day_1km x 0.02 K where
    /// QC_Day's mandatory QA is 00, nodata elsewhere.</summary>
    internal static string ModisScene(string dir)
    {
        string Field(string name) => Directory.GetFiles(RepoPaths.Data("modis-mod11a1"), $"*_{name}.tif").Single();
        using var lst = RasterDataset.Open(Field("LST_Day_1km"));
        using var qc = RasterDataset.Open(Field("QC_Day"));
        var (dn, q) = (new float[64 * 64], new float[64 * 64]);
        lst.GetBand(1).Read(lst.Extent, dn);
        qc.GetBand(1).Read(qc.Extent, q);
        using var writer = SceneWriter.Create(dir, lst.Grid, []);
        writer.Lst.Write(1, lst.Grid.Extent, dn.Select((v, i) => ((int)q[i] & 3) == 0 && v > 0 ? v * 0.02f : -9999f).ToArray());
        var manifest = writer.Manifest("MOD11A1.A2021227.h11v05.061.2021228105320",
            new SceneProvenance { Sensor = "MODIS Terra (MOD11A1)", Acquired = "2021-08-15T17:03Z" }, null);
        return writer.Commit(manifest with { Lst = manifest.Lst with { NativeResolutionMetres = 926.625 } }).Directory;
    }

    /// <summary>A 128 x 128 px scene of 120 m pixels (the truth of a Landsat 8/9 dataset) inside the subset, mostly on its
    /// clear part; acquired a day and a half before the MODIS overpass.</summary>
    internal static string Scene120(string dir, double originX = 285_360, string? acquired = "2021-08-14T05:03:00Z")
    {
        var scene = SyntheticSceneGenerator.Generate(new SyntheticSceneOptions
        {
            Width = 128,
            Seed = 5,
            Epsg = 32616,
            Origin = [originX, 4_336_320],
            PixelSizeMetres = 120,
            Id = "l8-like",
        }, dir);
        var path = Path.Combine(scene.Directory, SceneFolder.ManifestFileName);
        if (acquired is not null)
        {
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"provenance\": {", $"\"provenance\": {{\n    \"acquired\": " +
                $"\"{acquired}\",", StringComparison.Ordinal));
        }

        return scene.Directory;
    }

    private static JsonElement Verify(string dataset)
    {
        var r = Processes.Run("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Crop", "verify_real_lr.py"), dataset]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    [SharedDataFact]
    public void The_real_level_is_the_sensors_own_average_with_coverage_bias_and_rmse_in_the_card()
    {
        using var dir = new TempDir();
        var (modis, scene) = (ModisScene(dir.File("modis")), Scene120(dir.File("l8")));
        var result = CropProcessor.Run(new CropOptions
        {
            Scenes = [scene],
            Output = dir.File("ds"),
            TileSize = 64,
            Workers = 2,
            RealLr = modis,
            RealMinCoverage = 0.95,
        });
        var real = result.Card.RealLr!;
        Assert.Equal(("960m-real", "960m", 8, 960.0), (real.Folder, real.Scale, real.Factor, real.ResolutionMetres));
        Assert.Equal(9, Directory.GetFiles(dir.File("ds/960m-real/lst"), "*.mat").Length);
        Assert.False(Directory.Exists(dir.File("ds/960m-real/guidance")));
        Assert.Equal("MODIS Terra (MOD11A1)", real.Sensor);
        Assert.Equal("MOD11A1.A2021227.h11v05.061.2021228105320", real.SceneId);
        Assert.Equal(36, real.Scenes.Single().TimeGapHours!.Value, 6);
        Assert.Equal(926.625, real.NativeResolutionMetres);

        var v = Verify(dir.File("ds"));
        Assert.True(v.GetProperty("nan_equal").GetBoolean(), "the real LR's NaN differ from gdal.Warp's coverage");
        Assert.InRange(v.GetProperty("max_abs_diff").GetDouble(), 0, 1e-3);
        Assert.InRange(v.GetProperty("coverage_diff").GetDouble(), 0, 1e-6);
        Assert.InRange(v.GetProperty("bias_diff").GetDouble(), 0, 1e-4);
        Assert.InRange(v.GetProperty("rmse_diff").GetDouble(), 0, 1e-4);
        Assert.True(v.GetProperty("listing_ok").GetBoolean());
        Assert.Equal(v.GetProperty("bias").GetDouble(), real.BiasK, 4);
        Assert.Equal(v.GetProperty("rmse").GetDouble(), real.RmseK, 4);
        Assert.Equal(v.GetProperty("covered").GetInt32(), real.CoveredTiles);

        // Some tiles reach into the cloud: marked, not dropped, and their files hold NaN there.
        Assert.InRange(real.CoveredTiles, 1, 8);
        Assert.Equal(real.Tiles.Where(t => t.Coverage < 0.95).Select(t => t.Index), real.UncoveredTiles);
        Assert.Equal(9, real.Tiles.Count);

        var read = DatasetFolder.Load(dir.File("ds")).Card.RealLr!;
        Assert.Equal(real.Tiles, read.Tiles);
        Assert.Equal(real.Scenes, read.Scenes);
        Assert.Equal((real.BiasK, real.RmseK, real.Acquired), (read.BiasK, read.RmseK, read.Acquired));
    }

    [SharedDataFact]
    public void A_granule_that_covers_no_scene_is_refused_before_any_tile_is_cut()
    {
        using var dir = new TempDir();
        var (modis, scene) = (ModisScene(dir.File("modis")), Scene120(dir.File("l8"), originX: 600_000, acquired: null));
        var e = Assert.Throws<DataException>(() => CropProcessor.Run(new CropOptions
        {
            Scenes = [scene],
            Output = dir.File("ds"),
            TileSize = 64,
            Workers = 2,
            RealLr = modis,
        }));
        Assert.Contains("covers none of the scenes cropped", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [SharedDataFact]
    public void A_coarse_scene_cannot_be_cropped_as_truth()
    {
        using var dir = new TempDir();
        var modis = ModisScene(dir.File("modis"));
        var e = Assert.Throws<UsageException>(() => CropProcessor.Run(new CropOptions { Scenes = [modis], Output = dir.File("ds") }));
        Assert.Contains("no guidance channels) cannot be cropped as truth; give it as --real-lr", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null, "--real-lr cannot be appended")]
    [InlineData(false, 0.5, "--real-min-coverage needs --real-lr")]
    public void Real_lr_options_are_checked(bool append, double? coverage, string message)
    {
        var o = new CropOptions
        {
            Scenes = ["s"],
            Output = "ds",
            Append = append,
            RealLr = append ? "modis" : null,
            RealMinCoverage = coverage,
        };
        Assert.Contains(message, Assert.Throws<UsageException>(() => o.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_gaps_are_hours_between_iso_dates_or_instants()
    {
        Assert.Equal(36, RealLrLevel.HoursBetween("2021-08-14T05:03:00Z", "2021-08-15T17:03Z"));
        Assert.Equal(-24, RealLrLevel.HoursBetween("2021-08-16", "2021-08-15"));
        Assert.Null(RealLrLevel.HoursBetween(null, "2021-08-15"));
    }
}
