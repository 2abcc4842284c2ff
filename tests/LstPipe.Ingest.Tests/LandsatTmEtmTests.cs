using System.Text.Json;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest.Tests;

/// <summary>
/// <c>pipelines/landsat-etm-l1.yaml</c> and <c>landsat-tm-l1.yaml</c> on Level-1 product folders made from the real Talca
/// ETM+ scene (its old MTL has no K1/K2): every LST pixel equals an independent numpy recomputation, with the handbook
/// K1/K2 where the MTL has none and the MTL's where it has them, and the provenance says which were used.
/// </summary>
public class LandsatTmEtmTests
{
    private static (SceneManifest Scene, JsonElement Check) Ingest(TempDir dir, string recipe, string product)
    {
        File.WriteAllText(dir.File("grid.yaml"), File.ReadAllText(Path.Combine(RepoPaths.Root, "pipelines", recipe))
            .Replace("  emissivity: sobrino2004\n", "  emissivity: sobrino2004\n  emissivity_resolution: grid\n",
                StringComparison.Ordinal));
        var result = IngestProcessor.Run(new IngestOptions
        {
            Recipe = dir.File("grid.yaml"),
            Input = product,
            Output = dir.File("scene"),
        });
        var r = Processes.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "LstPipe.Ingest.Tests",
            "verify_landsat_tm_etm_l1.py"), product, dir.File("scene")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var check = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.True(check.GetProperty("valid_equal").GetBoolean(), "nodata differs from the recomputation's");
        Assert.True(check.GetProperty("valid_pixels").GetInt32() > 150_000);
        Assert.InRange(check.GetProperty("max_abs_lst_diff").GetDouble(), 0, 0.01);
        return (result.Scene.Manifest, check);
    }

    [SharedDataFact]
    public void Etm_without_k1_k2_in_the_mtl_uses_and_records_the_handbook_constants()
    {
        using var dir = new TempDir();
        var (m, check) = Ingest(dir, "landsat-etm-l1.yaml", LandsatLevel1Product.Make(dir.File("product")));
        Assert.Equal((666.09, 1282.71), (check.GetProperty("k1").GetDouble(), check.GetProperty("k2").GetDouble()));
        Assert.StartsWith("handbook: K1 666.09, K2 1282.71 (landsat7-etm", m.Provenance.Parameters["thermal_constants"],
            StringComparison.Ordinal);
        Assert.Equal("Landsat 7 ETM+", m.Provenance.Sensor);
        Assert.Equal(60, m.Lst.NativeResolutionMetres);
        Assert.InRange(check.GetProperty("mean_lst").GetDouble(), 285, 320);
        Assert.Equal(["reflectance-toa", "reflectance-toa", "reflectance-toa", "reflectance-toa", "index", "index"],
            m.Guidance.Bands.Select(c => c.Kind));
    }

    [SharedDataFact]
    public void Etm_with_k1_k2_in_the_mtl_uses_and_records_the_mtl_constants()
    {
        using var dir = new TempDir();
        var (m, check) = Ingest(dir, "landsat-etm-l1.yaml", LandsatLevel1Product.Make(dir.File("product"), k1k2: (700.5, 1290.25)));
        Assert.Equal((700.5, 1290.25), (check.GetProperty("k1").GetDouble(), check.GetProperty("k2").GetDouble()));
        Assert.StartsWith("mtl: K1 700.5, K2 1290.25 (K1_CONSTANT_BAND_6_VCID_1", m.Provenance.Parameters["thermal_constants"],
            StringComparison.Ordinal);
    }

    [SharedDataTheory]
    [InlineData("LANDSAT_5", 607.76, 1260.56, "landsat5-tm", "Landsat 5 TM")]
    [InlineData("LANDSAT_4", 671.62, 1284.30, "landsat4-tm", "Landsat 4 TM")]
    public void Tm_without_k1_k2_uses_its_own_spacecraft_s_handbook_constants(string craft, double k1, double k2, string name,
        string sensor)
    {
        using var dir = new TempDir();
        var (m, check) = Ingest(dir, "landsat-tm-l1.yaml", LandsatLevel1Product.Make(dir.File("product"), craft));
        Assert.Equal((k1, k2), (check.GetProperty("k1").GetDouble(), check.GetProperty("k2").GetDouble()));
        Assert.StartsWith(FormattableString.Invariant($"handbook: K1 {k1}, K2 {k2} ({name}"), m.Provenance.Parameters["thermal_constants"],
            StringComparison.Ordinal);
        Assert.Equal(sensor, m.Provenance.Sensor);
        Assert.Equal(120, m.Lst.NativeResolutionMetres);
    }
}
