using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;

namespace LstPipe.Ingest.Tests;

public class IngestProcessorTests
{
    private static string Recipe(params string[] parts) => Path.Combine([RepoPaths.Root, "pipelines", .. parts]);

    private static JsonElement Verify(string script, string product, string scene)
    {
        var r = Processes.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "LstPipe.Ingest.Tests", script), product, scene]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    private static float[] ReadBand(string path, int band = 1)
    {
        using var d = RasterDataset.Open(path);
        var values = new float[d.Width * d.Height];
        d.GetBand(band).Read(d.Extent, values);
        return values;
    }

    [SharedDataFact]
    public void Landsat_8_level_1_lst_is_the_emissivity_corrected_brightness_temperature_with_clouds_masked()
    {
        using var dir = new TempDir();
        var product = RepoPaths.Data("landsat8-l1-gulfcoast");
        File.WriteAllText(dir.File("grid.yaml"), File.ReadAllText(Recipe("landsat-l1.yaml"))
            .Replace("  emissivity: sobrino2004\n", "  emissivity: sobrino2004\n  emissivity_resolution: grid\n", StringComparison.Ordinal));
        var result = IngestProcessor.Run(new IngestOptions { Recipe = dir.File("grid.yaml"), Input = product, Output = dir.File("scene") });
        var v = Verify("verify_landsat8_l1.py", product, dir.File("scene"));
        Assert.Equal("grid", result.Scene.Manifest.Provenance.Parameters["lst.emissivity_resolution"]);

        Assert.True(v.GetProperty("mask_equal").GetBoolean(), "nodata differs from the BQA cloud/cirrus/snow/fill mask");
        Assert.True(v.GetProperty("guidance_nodata_equal").GetBoolean());
        Assert.InRange(v.GetProperty("masked_fraction").GetDouble(), 0.2, 0.5);
        Assert.InRange(v.GetProperty("max_abs_lst_diff").GetDouble(), 0, 0.01);
        Assert.InRange(v.GetProperty("max_abs_red_diff").GetDouble(), 0, 1e-5);
        Assert.InRange(v.GetProperty("max_abs_ndvi_diff").GetDouble(), 0, 1e-4);
        Assert.InRange(v.GetProperty("min_correction").GetDouble(), 0.1, 3);
        Assert.InRange(v.GetProperty("max_correction").GetDouble(), 0.1, 3);
        Assert.InRange(v.GetProperty("land_p05").GetDouble(), 280, 320);
        Assert.InRange(v.GetProperty("land_p50").GetDouble(), 285, 315);
        Assert.InRange(v.GetProperty("land_p99").GetDouble(), 280, 320);
        Assert.True(v.GetProperty("cloud_bt_p50").GetDouble() < 282, "high-confidence cloud should be cold");
        Assert.Equal(result.MaskedFraction, v.GetProperty("masked_fraction").GetDouble(), 6);

        var m = result.Scene.Manifest;
        Assert.Equal("LC80200392015216LGN00", m.Id);
        Assert.Equal(32616, m.Crs.Epsg);
        Assert.Equal("Landsat 8 OLI/TIRS", m.Provenance.Sensor);
        Assert.Equal("2015-08-04T16:19:21.7917421Z", m.Provenance.Acquired);
        Assert.Contains(m.Provenance.Sources, s => s.Role == "metadata" && s.Path.EndsWith("l8_MTL.txt", StringComparison.Ordinal) && s.Sha256.Length == 64);
        Assert.Contains(m.Provenance.Sources, s => s.Role == "recipe");
        Assert.Equal("(nir - red) / (nir + red)", m.Provenance.Parameters["guidance.ndvi"]);
        Assert.Contains(result.Warnings, w => w.Contains("no 'CloudShadow' flag", StringComparison.Ordinal));
    }

    [SharedDataFact]
    public void Landsat_7_dem_channel_equals_the_dem_and_stripe_gaps_are_nodata()
    {
        using var dir = new TempDir();
        var product = RepoPaths.Data("landsat7-talca");
        var result = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("examples", "landsat7-talca.yaml"), Input = product, Output = dir.File("scene") });
        var scene = result.Scene;
        Assert.Equal(["dem", "blue", "green", "red", "nir", "ndvi", "ndwi"], scene.Manifest.Guidance.Bands.Select(b => b.Name));
        var demIn = ReadBand(RepoPaths.Data("landsat7-talca", "DEM_Talca.tif"));
        Assert.Equal(demIn.Select(v => v < -1e30f ? -9999f : v), ReadBand(scene.GuidancePath, 1));
        Assert.True(demIn.Count(v => v > 100) > demIn.Length * 0.9);

        var thermal = ReadBand(RepoPaths.Data("landsat7-talca", "L7_Talca.tif"), 6);
        var red = ReadBand(RepoPaths.Data("landsat7-talca", "L7_Talca.tif"), 3);
        var lst = ReadBand(scene.LstPath);
        var redOut = ReadBand(scene.GuidancePath, 4);
        var gaps = 0;
        for (var i = 0; i < lst.Length; i++)
        {
            if (thermal[i] < -1e30f)
            {
                gaps++;
                Assert.Equal(-9999f, lst[i]);
            }

            if (red[i] < -1e30f)
            {
                Assert.Equal(-9999f, redOut[i]);
            }
        }

        Assert.InRange((double)gaps / lst.Length, 0.02, 0.06);
        var valid = lst.Where(v => v != -9999f).ToArray();
        Assert.InRange(valid.Average(), 285, 315);
        Assert.Equal("Landsat 7 ETM+", scene.Manifest.Provenance.Sensor);
    }

    [SharedDataFact]
    public void Ecostress_warped_to_utm_keeps_the_mean_and_the_masks()
    {
        using var dir = new TempDir();
        var product = RepoPaths.Data("ecostress-la");
        var result = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("ecostress.yaml"), Input = product, Output = dir.File("scene") });
        var v = Verify("verify_ecostress.py", product, dir.File("scene"));
        Assert.Equal(32611, v.GetProperty("epsg").GetInt32());
        Assert.Equal(70, v.GetProperty("pixel").GetDouble());
        Assert.True(v.GetProperty("masked_source_pixels_under_output").GetInt32() > 100_000);
        Assert.Equal(0, v.GetProperty("masked_source_pixels_under_valid_output").GetInt32());
        Assert.Equal(0, v.GetProperty("valid_outside_source").GetInt32());
        Assert.InRange(v.GetProperty("scene_mean").GetDouble() - v.GetProperty("source_mean").GetDouble(), -0.1, 0.1);
        Assert.Equal("2023-06-22T19:32:34Z", result.Scene.Manifest.Provenance.Acquired);
        Assert.Equal(["ECO_L2_LSTE.002 doy2023173193234"], result.Scene.Manifest.Provenance.ProductIds);
    }

    [SharedDataFact]
    public void Ecostress_on_a_30_m_grid_warns_that_the_lst_is_coarser_than_the_target()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), File.ReadAllText(Recipe("ecostress.yaml")).Replace("resolution: 70", "resolution: 30", StringComparison.Ordinal));
        var result = IngestProcessor.Run(new IngestOptions { Recipe = dir.File("r.yaml"), Input = RepoPaths.Data("ecostress-la"), Output = dir.File("scene") });
        Assert.Contains(result.Warnings, w => w.Contains("natively 70 m, coarser than the 30 m grid", StringComparison.Ordinal));
        Assert.Equal(70, result.Scene.Manifest.Lst.NativeResolutionMetres);
        Assert.Equal(30, result.Scene.Manifest.GeoTransform[1]);
    }

    [Fact]
    public void Ready_geotiffs_in_the_groklst_recipe_come_through_unchanged()
    {
        using var dir = new TempDir();
        var synth = SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 96, Height = 80, Seed = 5 }.Validate(), dir.File("synth"), false, "test");
        Directory.CreateDirectory(dir.File("product"));
        using (var source = synth.OpenGuidance())
        {
            foreach (var (channel, i) in GuidanceChannel.GrokLst.Select((c, i) => (c, i)))
            {
                using var w = GeoTiffWriter.Create(dir.File($"product/{channel.Name}.tif"), source.Grid, 1, RasterDataType.Float32, -9999);
                var values = new float[source.Width * source.Height];
                source.GetBand(i + 1).Read(source.Extent, values);
                w.Write(1, source.Extent, values);
                w.Commit();
            }
        }

        File.Copy(synth.LstPath, dir.File("product/lst.tif"));
        var result = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("groklst.yaml"), Input = dir.File("product"), Output = dir.File("scene"), Id = "roundtrip" });
        Assert.Equal(ReadBand(synth.LstPath), ReadBand(result.Scene.LstPath));
        for (var b = 1; b <= 10; b++)
        {
            Assert.Equal(ReadBand(synth.GuidancePath, b), ReadBand(result.Scene.GuidancePath, b));
        }

        Assert.Equal(GuidanceChannel.GrokLstNames, result.Scene.Manifest.Guidance.Bands.Select(c => c.Name));
        Assert.Equal("roundtrip", result.Scene.Manifest.Id);
    }

    private static void AssertNothingLeft(TempDir dir)
    {
        Assert.False(Directory.Exists(dir.File("scene")));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path), e => Path.GetFileName(e).EndsWith(".partial", StringComparison.Ordinal));
    }

    [SharedDataFact]
    public void A_band_that_is_not_there_names_the_recipe_line_and_leaves_nothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), File.ReadAllText(Recipe("landsat-l1.yaml")).Replace("*_B5.TIF", "*_B55.TIF", StringComparison.Ordinal));
        var e = Assert.Throws<UsageException>(() => IngestProcessor.Run(new IngestOptions { Recipe = dir.File("r.yaml"), Input = RepoPaths.Data("landsat8-l1-gulfcoast"), Output = dir.File("scene") }));
        Assert.StartsWith($"{dir.File("r.yaml")}:19: band 'nir': no file in", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        AssertNothingLeft(dir);
    }

    [SharedDataFact]
    public void An_mtl_without_thermal_constants_names_the_file_and_the_fix()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), File.ReadAllText(Recipe("examples", "landsat7-talca.yaml")).Replace("thermal_constants: handbook", "thermal_constants: mtl", StringComparison.Ordinal));
        var e = Assert.Throws<DataException>(() => IngestProcessor.Run(new IngestOptions { Recipe = dir.File("r.yaml"), Input = RepoPaths.Data("landsat7-talca"), Output = dir.File("scene") }));
        Assert.StartsWith(RepoPaths.Data("landsat7-talca", "L7.MTL.txt") + ": has no thermal constants K1_CONSTANT_BAND_6_VCID_1", e.Message);
        Assert.Contains("thermal_constants: handbook", e.Message);
        AssertNothingLeft(dir);
    }

    [SharedDataFact]
    public void Sources_that_do_not_overlap_the_grid_are_refused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), File.ReadAllText(Recipe("ecostress.yaml"))
            .Replace("  resolution: 70", "  resolution: 70\n  bounds: [100000, 100000, 107000, 107000]", StringComparison.Ordinal));
        var e = Assert.Throws<DataException>(() => IngestProcessor.Run(new IngestOptions { Recipe = dir.File("r.yaml"), Input = RepoPaths.Data("ecostress-la"), Output = dir.File("scene") }));
        Assert.Contains("does not overlap the target grid", e.Message);
        AssertNothingLeft(dir);
    }

    [SharedDataFact]
    public void A_scene_with_every_pixel_masked_is_refused_without_output()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), File.ReadAllText(Recipe("landsat-l1.yaml")).Replace("confidence: medium", "confidence: low", StringComparison.Ordinal));
        var e = Assert.Throws<DataException>(() => IngestProcessor.Run(new IngestOptions { Recipe = dir.File("r.yaml"), Input = RepoPaths.Data("landsat8-l1-gulfcoast"), Output = dir.File("scene") }));
        Assert.Contains("no valid LST pixel", e.Message);
        AssertNothingLeft(dir);
    }

    [Fact]
    public void A_missing_input_folder_or_an_occupied_output_is_a_usage_error()
    {
        using var dir = new TempDir();
        Assert.Throws<UsageException>(() => new IngestOptions { Recipe = Recipe("groklst.yaml"), Input = dir.File("nope"), Output = dir.File("scene") }.Validate());
        Directory.CreateDirectory(dir.File("scene"));
        File.WriteAllText(dir.File("scene/x"), "x");
        var e = Assert.Throws<UsageException>(() => IngestProcessor.Run(new IngestOptions { Recipe = Recipe("groklst.yaml"), Input = dir.File("in"), Output = dir.File("scene") }));
        Assert.Contains("no such input folder", e.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(dir.File("in"));
        e = Assert.Throws<UsageException>(() => IngestProcessor.Run(new IngestOptions { Recipe = Recipe("groklst.yaml"), Input = dir.File("in"), Output = dir.File("scene") }));
        Assert.Equal($"{dir.File("scene")}: exists and is not empty; choose another --out or pass --force", e.Message);
        Assert.Equal(["x"], Directory.GetFiles(dir.File("scene")).Select(Path.GetFileName));
    }
}
