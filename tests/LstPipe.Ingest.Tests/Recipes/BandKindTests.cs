using LstPipe.Core.Errors;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest.Tests.Recipes;

/// <summary>A band's <c>kind:</c> and the recipe's <c>sensor:</c>: what a plain-GeoTIFF recipe's bands are is said by the
/// recipe, not guessed from the channel names.</summary>
public class BandKindTests
{
    private const string Stack = """
        product: geotiff
        sensor: Landsat 8 OLI/TIRS
        bands:
          lst:   { file: "lst.tif", calibrate: linear }
          red:   { file: "red.tif", KIND }
          nir:   { file: "nir.tif", kind: reflectance-toa }
        lst:
          band: lst
          native_resolution: 100
        guidance:
          red: red
          nir: nir
          ndvi: (nir - red) / (nir + red)
        """;

    private static IngestRecipe Load(string yaml)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), yaml);
        return IngestRecipe.Load(dir.File("r.yaml"));
    }

    private static UsageException LoadBad(string yaml)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), yaml);
        return Assert.Throws<UsageException>(() => IngestRecipe.Load(dir.File("r.yaml")));
    }

    [Fact]
    public void Reflectance_toa_bands_make_top_of_atmosphere_channels_not_surface_reflectance()
    {
        var r = Load(Stack.Replace("KIND", "kind: reflectance-toa", StringComparison.Ordinal));
        var red = r.Guidance.Single(c => c.Channel.Name == "red");
        Assert.Equal(GuidanceKinds.ReflectanceToa, red.Channel.Kind);
        Assert.Equal("red top-of-atmosphere reflectance", red.Channel.Description);
        Assert.True(red.KindStated);
        Assert.Equal(GuidanceKinds.Index, r.Guidance.Single(c => c.Channel.Name == "ndvi").Channel.Kind);
        Assert.Equal("Landsat 8 OLI/TIRS", r.Sensor);
    }

    [Theory]
    [InlineData("kind: dn", "dn", "1", "red digital numbers (uncalibrated)")]
    [InlineData("kind: radiance", "radiance", "W/(m2 sr um)", "red at-sensor radiance")]
    [InlineData("kind: reflectance-surface", "reflectance-surface", "1", "red surface reflectance")]
    public void A_band_kind_gives_its_channel_that_kind_unit_and_description(string kind, string expected, string unit, string description)
    {
        var red = Load(Stack.Replace("KIND", kind, StringComparison.Ordinal)).Guidance.Single(c => c.Channel.Name == "red").Channel;
        Assert.Equal((expected, unit, description), (red.Kind, red.Unit, red.Description));
    }

    [Fact]
    public void A_band_without_a_kind_keeps_the_kind_its_name_suggests_and_is_marked_as_guessed()
    {
        var red = Load(Stack.Replace(", KIND", "", StringComparison.Ordinal)).Guidance.Single(c => c.Channel.Name == "red");
        Assert.Equal(GuidanceKinds.ReflectanceSurface, red.Channel.Kind);
        Assert.False(red.KindStated);
    }

    [Fact]
    public void An_unknown_kind_is_refused_at_its_line_with_the_known_kinds()
    {
        var e = LoadBad(Stack.Replace("KIND", "kind: toa", StringComparison.Ordinal));
        Assert.Contains("r.yaml:5: 'bands.red.kind: toa' is not one of: elevation, reflectance-toa, reflectance-surface, index, " +
            "radiance, brightness-temperature, dn, other", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_its_calibration_contradicts_is_refused_at_its_line()
    {
        var yaml = "product: landsat-l1\nmetadata: \"*MTL.txt\"\nbands:\n  t: { file: t.tif, landsat: \"10\" }\n" +
            "  red: { file: r.tif, landsat: \"4\", kind: reflectance-surface }\nlst:\n  band: t\nguidance:\n  red: red\n";
        var e = LoadBad(yaml);
        Assert.Contains("r.yaml:5: band 'red' says 'kind: reflectance-surface', but its calibration makes reflectance-toa", e.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("landsat-tm-l1.yaml", "Landsat 4-5 TM", "6")]
    [InlineData("landsat-etm-l1.yaml", "Landsat 7 ETM+", "6_VCID_1")]
    public void The_tm_and_etm_recipes_read_band_6_with_handbook_constants_as_the_fallback(string file, string sensor, string band)
    {
        var r = IngestRecipe.Load(Path.Combine(RepoPaths.Root, "pipelines", file));
        Assert.Equal(sensor, r.Sensor);
        Assert.True(r.HandbookThermalConstants);
        Assert.Equal((CalibrationKind.BrightnessTemperature, band), (r.Band("thermal").Calibration, r.Band("thermal").LandsatBand));
        Assert.All(r.Guidance.Where(c => c.Channel.Name is "blue" or "green" or "red" or "nir"),
            c => Assert.Equal(GuidanceKinds.ReflectanceToa, c.Channel.Kind));
    }
}
