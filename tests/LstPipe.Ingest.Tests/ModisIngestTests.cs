using System.Globalization;
using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Tests;

/// <summary>The MODIS recipe on the real MOD11A1 subset of <c>tests/data/modis-mod11a1</c> (GeoTIFF subsets of the
/// granule's fields), checked against an independent reading with GDAL's Python bindings and numpy.</summary>
public class ModisIngestTests
{
    private static readonly string Product = RepoPaths.Data("modis-mod11a1");

    private static string Recipe(TempDir dir, string? maskLine = null, string? lstLine = null)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "pipelines", "modis-mod11a1.yaml"));
        if (maskLine is not null)
        {
            text = text.Replace("    # max_lst_error: 1", "    " + maskLine, StringComparison.Ordinal);
        }

        if (lstLine is not null)
        {
            text = text.Replace("  # max_view_zenith: 45", "  " + lstLine, StringComparison.Ordinal);
        }

        File.WriteAllText(dir.File("modis.yaml"), text);
        return dir.File("modis.yaml");
    }

    private static JsonElement Verify(string scene, params string[] extra)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Ingest.Tests", "verify_modis.py");
        var r = Processes.Run("/usr/bin/python3", [script, Product, scene, .. extra]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    [SharedDataFact]
    public void The_qc_filter_keeps_exactly_the_good_pixels_in_kelvin_on_the_sinusoidal_grid()
    {
        using var dir = new TempDir();
        var result = IngestProcessor.Run(new IngestOptions { Recipe = Recipe(dir), Input = Product, Output = dir.File("scene") });
        var v = Verify(dir.File("scene"));

        // The subset's QC_Day, counted by numpy: 2215 good (QA 00), 606 of other quality (QA 01), 1275 not produced.
        Assert.Equal(2215, v.GetProperty("qa00").GetInt32());
        Assert.Equal(606, v.GetProperty("qa01").GetInt32());
        Assert.Equal(1275, v.GetProperty("not_produced").GetInt32());
        Assert.Equal(2215, v.GetProperty("scene_valid").GetInt32());
        Assert.True(v.GetProperty("mask_equal").GetBoolean(), "nodata differs from QC_Day's mandatory QA 00");
        Assert.True(v.GetProperty("same_grid").GetBoolean(), "the sinusoidal grid was not kept");
        Assert.Equal(0.02, v.GetProperty("gdal_scale").GetDouble());
        Assert.InRange(v.GetProperty("max_abs_lst_diff").GetDouble(), 0, 1e-4);
        Assert.Equal(v.GetProperty("mean_kept_lst").GetDouble(), result.MeanLstKelvin, 3);
        Assert.Equal(2215 / 4096.0, result.ValidLstFraction, 9);

        var m = result.Scene.Manifest;
        Assert.False(result.Scene.HasGuidance);
        Assert.Null(m.Guidance.File);
        Assert.False(File.Exists(Path.Combine(result.Scene.Directory, "guidance.tif")));
        Assert.Null(m.Crs.Epsg);
        Assert.Equal(926.625, m.Lst.NativeResolutionMetres!.Value, 3);
        Assert.Equal("MOD11A1.A2021227.h11v05.061.2021228105320", m.Id);
        Assert.Equal("MODIS Terra (MOD11A1)", m.Provenance.Sensor);
        Assert.Equal(["MOD11A1.A2021227.h11v05.061.2021228105320"], m.Provenance.ProductIds);
        Assert.Equal("2021-08-15", m.Provenance.Parameters["modis.date"]);
        Assert.StartsWith("2021-08-15T17:0", m.Provenance.Acquired, StringComparison.Ordinal);
        Assert.Equal("2215", m.Provenance.Parameters["modis.kept_pixels"]);
        var local = double.Parse(m.Provenance.Parameters["modis.view_time_local_h"], CultureInfo.InvariantCulture);
        var utc = double.Parse(m.Provenance.Parameters["modis.view_time_utc_h"], CultureInfo.InvariantCulture);
        Assert.Equal(v.GetProperty("mean_local_view_h").GetDouble(), local, 2);
        Assert.Equal(v.GetProperty("mean_utc_view_h").GetDouble(), utc, 2);
    }

    [SharedDataTheory]
    [InlineData(1, 2215 + 11)]
    [InlineData(2, 2215 + 11 + 595)]
    public void Max_lst_error_also_keeps_other_quality_pixels_up_to_that_error(int maxError, int kept)
    {
        using var dir = new TempDir();
        var result = IngestProcessor.Run(new IngestOptions
        {
            Recipe = Recipe(dir, $"max_lst_error: {maxError}"),
            Input = Product,
            Output = dir.File("scene"),
        });
        var v = Verify(dir.File("scene"), maxError.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(kept, v.GetProperty("expected_kept").GetInt32());
        Assert.Equal(kept, v.GetProperty("scene_valid").GetInt32());
        Assert.True(v.GetProperty("mask_equal").GetBoolean());
        Assert.Equal(kept.ToString(CultureInfo.InvariantCulture), result.Scene.Manifest.Provenance.Parameters["modis.kept_pixels"]);
        Assert.Contains($"LST error <= {maxError} K", result.Scene.Manifest.Provenance.Parameters["mask.qc"], StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void A_view_zenith_limit_masks_the_oblique_pixels()
    {
        using var dir = new TempDir();
        var result = IngestProcessor.Run(new IngestOptions
        {
            Recipe = Recipe(dir, lstLine: "max_view_zenith: 20"),
            Input = Product,
            Output = dir.File("scene"),
        });
        var v = Verify(dir.File("scene"), "0", "20");
        Assert.Equal(872, v.GetProperty("expected_kept").GetInt32());
        Assert.Equal(872, v.GetProperty("scene_valid").GetInt32());
        Assert.True(v.GetProperty("mask_equal").GetBoolean());
        Assert.Equal("1343", result.Scene.Manifest.Provenance.Parameters["modis.view_zenith_masked_pixels"]);
    }

    [SharedDataFact]
    public void A_folder_of_two_granules_is_refused_with_the_fix()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.File("two")).FullName;
        File.WriteAllText(Path.Combine(input, "MOD11A1.A2021227.h11v05.061.2021228105320.hdf"), "");
        File.WriteAllText(Path.Combine(input, "MOD11A1.A2021228.h11v05.061.2021229105320.hdf"), "");
        var e = Assert.Throws<UsageException>(() =>
            IngestProcessor.Run(new IngestOptions { Recipe = Recipe(dir), Input = input, Output = dir.File("scene") }));
        Assert.Contains("2 granules", e.Message, StringComparison.Ordinal);
        Assert.Contains("give the granule file itself as --input", e.Message, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void A_file_that_is_not_an_hdf_granule_is_a_data_error_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("MOD11A1.A2021227.h11v05.061.2021228105320.hdf"), "not hdf");
        var e = Assert.Throws<DataException>(() => IngestProcessor.Run(new IngestOptions
        {
            Recipe = Recipe(dir),
            Input = dir.File("MOD11A1.A2021227.h11v05.061.2021228105320.hdf"),
            Output = dir.File("scene"),
        }));
        Assert.Contains("MOD11A1.A2021227.h11v05.061.2021228105320.hdf", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("scene")));
    }
}
