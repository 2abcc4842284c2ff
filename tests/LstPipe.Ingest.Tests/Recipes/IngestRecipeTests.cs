using LstPipe.Core.Errors;
using LstPipe.Ingest.Masks;
using LstPipe.Ingest.Recipes;

namespace LstPipe.Ingest.Tests.Recipes;

public class IngestRecipeTests
{
    public static TheoryData<string> Shipped => new(Directory.GetFiles(Path.Combine(RepoPaths.Root, "pipelines"), "*.yaml", SearchOption.AllDirectories)
        .Where(f => !File.ReadLines(f).Any(l => l.StartsWith("regions:", StringComparison.Ordinal))).Select(f => Path.GetRelativePath(RepoPaths.Root, f)));

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Every_shipped_recipe_loads(string relative)
    {
        var r = IngestRecipe.Load(Path.Combine(RepoPaths.Root, relative));
        Assert.Equal(r.Product == ProductKind.ModisLst, r.Guidance.Count == 0);
        Assert.Contains(r.Bands, b => b.Name == r.Lst.Band);
    }

    [Fact]
    public void The_landsat_l1_recipe_reads_as_written()
    {
        var r = IngestRecipe.Load(Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"));
        Assert.Equal(ProductKind.LandsatL1, r.Product);
        Assert.Equal(CalibrationKind.BrightnessTemperature, r.Band("thermal").Calibration);
        Assert.Equal("10", r.Band("thermal").LandsatBand);
        Assert.Equal(CalibrationKind.Toa, r.Band("red").Calibration);
        Assert.Equal("sobrino2004", r.Lst.Emissivity);
        Assert.Equal(["deepblue", "blue", "green", "red", "nir", "ndvi", "ndwi"], r.Guidance.Select(c => c.Channel.Name));
        Assert.Equal(QualityConfidence.Medium, r.Masks[0].Mask.Confidence);
        Assert.Equal("red", r.Grid.Like);
    }

    [Fact]
    public void The_modis_recipe_reads_fields_of_one_granule_and_keeps_its_grid()
    {
        var r = IngestRecipe.Load(Path.Combine(RepoPaths.Root, "pipelines", "modis-mod11a1.yaml"));
        Assert.Equal(ProductKind.ModisLst, r.Product);
        Assert.Equal(["LST_Day_1km", "QC_Day", "Day_view_time", "Day_view_angl"], r.Bands.Select(b => b.Subdataset));
        Assert.Equal(CalibrationKind.ModisLst, r.Band("lst").Calibration);
        Assert.Equal(QualityScheme.ModisLstQc, r.Masks[0].Mask.Scheme);
        Assert.Null(r.Masks[0].Mask.MaxLstError);
        Assert.Equal(("view_time", "view_angle"), (r.Lst.ViewTime, r.Lst.ViewZenith));
        Assert.Null(r.Lst.MaxViewZenith);
        Assert.Equal("lst", r.Grid.Like);
    }

    [Theory]
    [InlineData("masks:\n  - { band: qc, scheme: modis-lst-qc, max_lst_error: 4 }\n", "'max_lst_error' belongs to 'scheme: modis-lst-qc' and is 1, 2 or 3")]
    [InlineData("masks:\n  - { band: qc, scheme: nonzero, max_lst_error: 1 }\n", "'max_lst_error' belongs to")]
    [InlineData("lst: { band: lst, max_view_zenith: 45 }\n", "'lst.max_view_zenith' needs 'lst.view_zenith'")]
    [InlineData("lst: { band: lst, view_zenith: angle, max_view_zenith: 95 }\n", "in (0, 90]")]
    [InlineData("lst: { band: lst, view_time: nothing }\n", "'nothing' is not a band")]
    public void Modis_keys_are_checked(string section, string message)
    {
        var yaml = "product: modis-lst\n" +
            "bands:\n  lst: { file: \"M*\", subdataset: LST_Day_1km, calibrate: modis-lst }\n" +
            "  qc: { file: \"M*\", subdataset: QC_Day, calibrate: qa }\n  angle: { file: \"M*\", subdataset: Day_view_angl }\n" +
            "guidance: none\n" + (section.StartsWith("lst", StringComparison.Ordinal) ? section : "lst: { band: lst }\n" + section);
        Assert.Contains(message, LoadBad(yaml).Message, StringComparison.Ordinal);
    }

    private static UsageException LoadBad(string yaml)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), yaml);
        return Assert.Throws<UsageException>(() => IngestRecipe.Load(dir.File("r.yaml")));
    }

    private const string Good =
        "product: geotiff\n" +
        "bands:\n" +
        "  lst: { file: \"lst.tif\", calibrate: linear, unit: C }\n" +
        "  dem: dem.tif\n" +
        "lst:\n" +
        "  band: lst\n" +
        "  native_resolution: 100\n" +
        "guidance:\n" +
        "  dem: dem\n";

    [Fact]
    public void A_minimal_recipe_loads_and_celsius_is_accepted()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), Good);
        var r = IngestRecipe.Load(dir.File("r.yaml"));
        Assert.Equal("C", r.Band("lst").Unit);
        Assert.Equal("lst", r.Grid.Like);
    }

    [Theory]
    [InlineData("colour: red\n", "r.yaml:10: unknown key 'colour'")]
    [InlineData("grid:\n  like: dem\n  resolution: 30\n", "r.yaml:11: 'grid.like' excludes")]
    [InlineData("masks:\n  - band: dem\n    scheme: nonzero\n", "mask band 'dem' must be declared with 'calibrate: qa'")]
    public void Unknown_keys_and_contradictions_name_the_line(string extra, string expected)
    {
        var e = LoadBad(Good + extra);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_guidance_expression_with_an_unknown_band_names_its_line()
    {
        var e = LoadBad(Good.Replace("  dem: dem\n", "  dem: dem\n  ndvi: (nir - red) / (nir + red)\n", StringComparison.Ordinal));
        Assert.Contains("r.yaml:10: unknown band 'nir'", e.Message);
    }

    [Fact]
    public void A_guidance_expression_with_bad_syntax_names_its_line()
    {
        var e = LoadBad(Good.Replace("  dem: dem\n", "  dem: (dem * 2\n", StringComparison.Ordinal));
        Assert.Contains("r.yaml:9: bad expression '(dem * 2': missing ')'", e.Message);
    }

    [Theory]
    [InlineData("product: hdf9\n", "'product: hdf9' is not one of")]
    [InlineData("product: [a\n", "not valid YAML")]
    [InlineData("- a\n- b\n", "must be a YAML mapping")]
    [InlineData("product: geotiff\nbands:\n  lst: x.tif\nlst:\n  band: lst\n", "band 'lst' is not a temperature")]
    [InlineData("product: geotiff\nbands:\n  t: { file: x.tif, calibrate: linear }\nlst:\n  band: thermal\n", "'thermal' is not a band of this recipe")]
    [InlineData("product: geotiff\nbands:\n  t: { file: x.tif, calibrate: linear }\nlst:\n  band: t\n", "channel 'dem' needs band(s) dem")]
    [InlineData("product: landsat-l1\nbands:\n  t: { file: x.tif }\nlst:\n  band: t\n", "needs 'metadata'")]
    public void Unsupported_products_and_broken_recipes_are_usage_errors(string yaml, string expected) =>
        Assert.Contains(expected, LoadBad(yaml).Message);

    [Fact]
    public void A_missing_recipe_file_is_a_usage_error() =>
        Assert.Throws<UsageException>(() => IngestRecipe.Load("/nonexistent/recipe.yaml"));
}
