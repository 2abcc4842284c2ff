using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Metadata;
using LstPipe.Raster.Gdal;
using Xunit.Abstractions;

namespace LstPipe.Ingest.Tests;

/// <summary>What the real products' LST can claim: native resolution, emissivity detail, atmosphere, split window,
/// and the Landsat details found on real scenes.</summary>
public class TruthTests(ITestOutputHelper output)
{
    private static string Recipe(params string[] parts) => Path.Combine([RepoPaths.Root, "pipelines", .. parts]);

    private static string Variant(TempDir dir, string name, string recipe, string find, string replace)
    {
        var text = File.ReadAllText(recipe);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(dir.File(name), text.Replace(find, replace, StringComparison.Ordinal));
        return dir.File(name);
    }

    private static float[] Read(string path)
    {
        using var d = RasterDataset.Open(path);
        var values = new float[d.Width * d.Height];
        d.GetBand(1).Read(d.Extent, values);
        return values;
    }

    [SharedDataFact]
    public void Landsat_8_level_1_records_the_100_m_tirs_resolution_and_warns()
    {
        using var dir = new TempDir();
        var result = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("landsat-l1.yaml"), Input = RepoPaths.Data("landsat8-l1-gulfcoast"), Output = dir.File("scene") });
        var m = result.Scene.Manifest;
        Assert.Equal(100, m.Lst.NativeResolutionMetres);
        Assert.Equal("100 m (Landsat 8/9 TIRS)", m.Provenance.Parameters["lst.native_resolution"]);
        Assert.Contains(result.Warnings, w => w.StartsWith("the LST (Landsat 8/9 TIRS) is natively 100 m, coarser than the 30 m grid", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("not atmospherically corrected", StringComparison.Ordinal));
        Assert.Equal("none (uncorrected)", m.Provenance.Parameters["lst.atmosphere"]);
        Assert.Equal("blue top-of-atmosphere reflectance", m.Guidance.Bands.First(b => b.Name == "blue").Description);
        Assert.EndsWith("from top-of-atmosphere reflectance", m.Guidance.Bands.First(b => b.Name == "ndvi").Description, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Emissivity_at_the_thermal_resolution_adds_less_detail_to_the_truth_than_at_the_grid()
    {
        using var dir = new TempDir();
        var product = RepoPaths.Data("landsat8-l1-gulfcoast");
        var grid = Variant(dir, "grid.yaml", Recipe("landsat-l1.yaml"), "  emissivity: sobrino2004\n", "  emissivity: sobrino2004\n  emissivity_resolution: grid\n");
        var atThermal = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("landsat-l1.yaml"), Input = product, Output = dir.File("thermal") }).Scene.Manifest.Provenance.Parameters;
        var atGrid = IngestProcessor.Run(new IngestOptions { Recipe = grid, Input = product, Output = dir.File("grid") }).Scene.Manifest.Provenance.Parameters;
        foreach (var s in new[] { "x2", "x4", "x8" })
        {
            var t = double.Parse(atThermal["lst.emissivity_term_detail_rms_K." + s], System.Globalization.CultureInfo.InvariantCulture);
            var g = double.Parse(atGrid["lst.emissivity_term_detail_rms_K." + s], System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"emissivity-term detail RMS at {s}: grid {g:0.0000} K, thermal resolution {t:0.0000} K");
            Assert.True(t < g * 0.6, $"at {s} the emissivity term keeps {t} K of detail at the thermal resolution against {g} K at the grid");
        }

        Assert.StartsWith("thermal (100 m", atThermal["lst.emissivity_resolution"], StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void An_atmosphere_of_transmittance_one_and_no_path_radiance_gives_the_uncorrected_lst_exactly()
    {
        using var dir = new TempDir();
        var product = RepoPaths.Data("landsat8-l1-gulfcoast");
        var none = Variant(dir, "none.yaml", Recipe("landsat-l1.yaml"), "  nir: nir\n\nmasks", "  nir: nir\n  atmosphere: { transmittance: 1, upwelling: 0, downwelling: 0 }\n\nmasks");
        var humid = Variant(dir, "humid.yaml", Recipe("landsat-l1.yaml"), "  nir: nir\n\nmasks", "  nir: nir\n  atmosphere: { transmittance: 0.6, upwelling: 2.9, downwelling: 4.6 }\n\nmasks");
        var plain = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("landsat-l1.yaml"), Input = product, Output = dir.File("plain") });
        var identity = IngestProcessor.Run(new IngestOptions { Recipe = none, Input = product, Output = dir.File("identity") });
        var corrected = IngestProcessor.Run(new IngestOptions { Recipe = humid, Input = product, Output = dir.File("humid") });
        Assert.Equal(Read(plain.Scene.LstPath), Read(identity.Scene.LstPath));
        Assert.DoesNotContain(identity.Warnings, w => w.Contains("not atmospherically corrected", StringComparison.Ordinal));
        Assert.StartsWith("radiative transfer equation", identity.Scene.Manifest.Provenance.Parameters["lst.method"], StringComparison.Ordinal);
        output.WriteLine($"mean LST uncorrected {plain.MeanLstKelvin:0.00} K, corrected (tau 0.6, Lu 2.9, Ld 4.6) {corrected.MeanLstKelvin:0.00} K");
        Assert.InRange(corrected.MeanLstKelvin - plain.MeanLstKelvin, 1, 12);
    }

    [SharedDataFact]
    public void Split_window_on_tirs_bands_10_and_11_stays_within_a_few_kelvin_of_the_single_channel_lst()
    {
        using var dir = new TempDir();
        var product = RepoPaths.Data("landsat8-l1-gulfcoast");
        var text = File.ReadAllText(Recipe("landsat-l1.yaml"))
            .Replace("  thermal:  { file: \"*_B10.TIF\", asset: lwir11, landsat: \"10\" }\n",
                "  thermal:  { file: \"*_B10.TIF\", landsat: \"10\" }\n  thermal11: { file: \"*_B11.TIF\", landsat: \"11\" }\n", StringComparison.Ordinal)
            .Replace("  emissivity: sobrino2004\n", "  method: split-window\n  band2: thermal11\n  water_vapour: 3.5\n", StringComparison.Ordinal);
        File.WriteAllText(dir.File("sw.yaml"), text);
        var sw = IngestProcessor.Run(new IngestOptions { Recipe = dir.File("sw.yaml"), Input = product, Output = dir.File("sw") });
        var sc = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("landsat-l1.yaml"), Input = product, Output = dir.File("sc") });
        var a = Read(sw.Scene.LstPath);
        var b = Read(sc.Scene.LstPath);
        var diffs = a.Zip(b).Where(p => p.First > 0 && p.Second > 0).Select(p => (double)(p.First - p.Second)).Order().ToArray();
        var median = diffs[diffs.Length / 2];
        output.WriteLine($"split window minus single channel: median {median:0.00} K over {diffs.Length} pixels");
        Assert.InRange(median, 0.5, 8);
        Assert.StartsWith("split window (Jimenez-Munoz et al. 2014 form", sw.Scene.Manifest.Provenance.Parameters["lst.method"], StringComparison.Ordinal);
        Assert.DoesNotContain(sw.Warnings, w => w.Contains("not atmospherically corrected", StringComparison.Ordinal));
    }

    [SharedDataFact]
    public void Landsat_8_without_band_1_or_the_quality_band_leaves_those_out_and_warns_with_the_cloud_cover()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("product"));
        foreach (var f in Directory.EnumerateFiles(RepoPaths.Data("landsat8-l1-gulfcoast")).Where(f => !f.EndsWith("_B1.tif", StringComparison.Ordinal) && !f.EndsWith("_BQA.tif", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(dir.File("product"), Path.GetFileName(f)));
        }

        var result = IngestProcessor.Run(new IngestOptions { Recipe = Recipe("landsat-l1.yaml"), Input = dir.File("product"), Output = dir.File("scene") });
        Assert.Equal(["blue", "green", "red", "nir", "ndvi", "ndwi"], result.Scene.Manifest.Guidance.Bands.Select(b => b.Name));
        Assert.Contains(result.Warnings, w => w.Contains("optional band 'deepblue'", StringComparison.Ordinal) && w.Contains("channels left out: deepblue", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("optional band 'qa'", StringComparison.Ordinal) && w.Contains("quality mask is not applied", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("no cloud mask", StringComparison.Ordinal) && w.Contains("cloud cover is 11.08%", StringComparison.Ordinal));
        Assert.Equal(0, result.MaskedFraction);
    }

    [SharedDataFact]
    public void Landsat_7_thermal_calibration_uses_lmax_and_lmin_not_the_rounded_multiplier()
    {
        var mtl = ProductMetadata.Read(RepoPaths.Data("landsat7-talca", "L7.MTL.txt"));
        Assert.Equal(0.067, mtl.GetNumber("RADIANCE_MULT_BAND_6_VCID_1"));
        var c = LandsatCalibration.Thermal(mtl, "6_VCID_1", allowHandbook: true, "recipe");
        Assert.Equal(17.04 / 254, c.RadianceMult, 12);
        Assert.Equal(-17.04 / 254, c.RadianceAdd, 12);
        Assert.Equal(255, LandsatCalibration.SaturatedDn(mtl, "6_VCID_1"));

        // At DN 200 the rounded multiplier would read 0.35 K colder.
        var exact = LandsatCalibration.BrightnessTemperature(200, c);
        var rounded = LandsatCalibration.BrightnessTemperature(200, c with { RadianceMult = 0.067, RadianceAdd = -0.06709 });
        Assert.InRange(exact - rounded, 0.05, 1);
    }
}
