using LstPipe.Core.Errors;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Tests.Calibration;

/// <summary><c>calibrate: radiance-bt</c> with the sensor's own thermal constants: the Landsat 7 ETM+ band 6 of the
/// Talca sample, calibrated as a plain radiance band with the handbook K1/K2, gives the brightness temperature of the
/// Level-1 path; Planck's law at the band centre does not.</summary>
public class ThermalConstantsTests
{
    private const string Stack = """
        product: geotiff
        bands:
          thermal: { file: "L7_*.tif", band: 6, calibrate: radiance-bt, gain: 0.067086614, bias: -0.067086614, CONSTANTS }
          dem: "DEM_*.tif"
        lst:
          band: thermal
          native_resolution: 60
        guidance:
          dem: dem
        grid:
          like: dem
        """;

    private const string Level1 = """
        product: landsat-l1
        metadata: "*MTL.txt"
        thermal_constants: handbook
        bands:
          thermal: { file: "L7_*.tif", band: 6, landsat: "6_VCID_1" }
          dem: "DEM_*.tif"
        lst:
          band: thermal
        guidance:
          dem: dem
        grid:
          like: dem
        """;

    private static float[] Lst(TempDir dir, string name, string recipe)
    {
        File.WriteAllText(dir.File(name + ".yaml"), recipe);
        var r = IngestProcessor.Run(new IngestOptions { Recipe = dir.File(name + ".yaml"), Input = RepoPaths.Data("landsat7-talca"), Output = dir.File(name) });
        using var d = RasterDataset.Open(r.Scene.LstPath);
        var values = new float[d.Width * d.Height];
        d.GetBand(1).Read(d.Extent, values);
        return values;
    }

    [SharedDataFact]
    public void Handbook_constants_reproduce_the_level_1_brightness_temperature_and_the_band_centre_does_not()
    {
        using var dir = new TempDir();
        var reference = Lst(dir, "l1", Level1);
        var named = Lst(dir, "named", Stack.Replace("CONSTANTS", "thermal_constants: landsat7-etm", StringComparison.Ordinal));
        var given = Lst(dir, "given", Stack.Replace("CONSTANTS", "k1: 666.09, k2: 1282.71, wavelength: 11.335", StringComparison.Ordinal));
        var centre = Lst(dir, "centre", Stack.Replace("CONSTANTS", "wavelength: 11.335", StringComparison.Ordinal));
        var pairs = reference.Select((v, i) => (v, i)).Where(p => p.v != -9999f).Select(p => p.i).ToArray();
        Assert.True(pairs.Length > 100_000);
        Assert.True(pairs.Max(i => Math.Abs(named[i] - reference[i])) < 2e-3, "handbook constants by name");
        Assert.True(pairs.Max(i => Math.Abs(given[i] - reference[i])) < 2e-3, "handbook constants as k1/k2");
        var off = pairs.Max(i => Math.Abs(centre[i] - reference[i]));
        Assert.True(off > 0.05, $"Planck's law at the band centre is {off:0.000} K from the handbook's constants at most");
    }

    [SharedDataTheory]
    [InlineData("thermal_constants: landsat7-etm", "handbook: K1 666.09, K2 1282.71 (landsat7-etm)")]
    [InlineData("k1: 666.09, k2: 1282.71, wavelength: 11.335", "recipe: K1 666.09, K2 1282.71 (its k1, k2)")]
    [InlineData("wavelength: 11.335", "planck: K1 ")]
    public void The_provenance_names_the_thermal_constants_a_radiance_band_used(string constants, string recorded)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), Stack.Replace("CONSTANTS", constants, StringComparison.Ordinal));
        var r = IngestProcessor.Run(new IngestOptions
        {
            Recipe = dir.File("r.yaml"),
            Input = RepoPaths.Data("landsat7-talca"),
            Output = dir.File("scene")
        });
        Assert.StartsWith(recorded, r.Scene.Manifest.Provenance.Parameters["thermal_constants"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k1: 666.09", "'k1' (W/(m2 sr um)) and 'k2' (K) go together")]
    [InlineData("thermal_constants: landsat6-etm", "'thermal_constants: landsat6-etm' must name a sensor band the project knows")]
    [InlineData("thermal_constants: landsat7-etm, k1: 1, k2: 2", "give either 'k1' and 'k2' or 'thermal_constants', not both")]
    public void Thermal_constants_that_do_not_fit_are_refused_at_their_line(string constants, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), Stack.Replace("CONSTANTS", constants, StringComparison.Ordinal));
        var e = Assert.Throws<UsageException>(() => IngestRecipe.Load(dir.File("r.yaml")));
        Assert.Contains("r.yaml:3: band 'thermal'", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_geotiff_recipe_must_state_what_its_thermal_sensor_resolved()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), Stack.Replace("CONSTANTS", "wavelength: 11.335", StringComparison.Ordinal).Replace("  native_resolution: 60\n", "", StringComparison.Ordinal));
        var e = Assert.Throws<UsageException>(() => IngestRecipe.Load(dir.File("r.yaml")));
        Assert.Contains("r.yaml:6: a geotiff recipe must state 'lst.native_resolution'", e.Message, StringComparison.Ordinal);
    }
}
