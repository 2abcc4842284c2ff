using System.Text.Json;
using LstPipe.Dataset.Cards;
using LstPipe.Inference.Contracts;
using LstPipe.Raster.Scenes;

namespace LstPipe.Cli.Tests.Commands;

public class IngestCommandTests
{
    [SharedDataFact]
    public void Ingest_then_crop_makes_a_dataset_from_a_real_landsat_8_product()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"),
            "--input", RepoPaths.Data("landsat8-l1-gulfcoast"), "--out", dir.File("scene"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("scene LC80200392015216LGN00: 627 x 603 px, 7 guidance channels", r.StdOut);
        Assert.Contains("warning:", r.StdOut);
        var crop = CliRunner.Run("crop", dir.File("scene"), "--out", dir.File("ds"), "--size", "64", "--max-nodata", "0", "--truth", "resampled");
        Assert.True(crop.ExitCode == 0, crop.StdErr);
        Assert.NotEmpty(Directory.GetFiles(dir.File("ds/30m/lst")));
        Assert.Contains("\"truthResampledFrom\": 100", File.ReadAllText(dir.File("ds/dataset.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_recipe_exits_2_with_one_line_naming_the_recipe_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), "product: geotiff\nbands:\n  lst: { file: lst.tif, calibrate: linear }\nlst:\n  band: lst\nguidance:\n  x: (lst +\n");
        Directory.CreateDirectory(dir.File("in"));
        var r = CliRunner.Run("ingest", "--recipe", dir.File("r.yaml"), "--input", dir.File("in"), "--out", dir.File("scene"));
        CliRunner.AssertOneLineError(r, 2, dir.File("r.yaml") + ":7: bad expression '(lst +'");
        Assert.False(Directory.Exists(dir.File("scene")));
    }

    [Fact]
    public void A_missing_input_file_exits_2_naming_the_band_and_leaves_no_scene()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        var r = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "groklst.yaml"), "--input", dir.File("in"), "--out", dir.File("scene"));
        CliRunner.AssertOneLineError(r, 2, "band 'lst': no file in");
        Assert.Equal([dir.File("in")], Directory.GetFileSystemEntries(dir.Path));
    }

    private const string ToaStack = """
        product: geotiff
        sensor: Landsat 7 ETM+
        bands:
          lst: { file: "b6.tif", calibrate: linear, scale: 0.2, offset: 260, unit: K }
          red: { file: "b3.tif", calibrate: linear, scale: 0.002, kind: KIND }
          nir: { file: "b4.tif", calibrate: linear, scale: 0.002, kind: reflectance-toa }
        lst:
          band: lst
          native_resolution: 30
        guidance:
          red: red
          nir: nir
          ndvi: (nir - red) / (nir + red)
        grid:
          like: red
        """;

    /// <summary>Bands 3, 4 and 6 of the real Talca ETM+ stack as single-band GeoTIFFs.</summary>
    private static string TalcaBands(TempDir dir)
    {
        Directory.CreateDirectory(dir.File("in"));
        foreach (var b in new[] { "3", "4", "6" })
        {
            var r = Processes.Run("gdal_translate", ["-q", "-b", b, RepoPaths.Data("landsat7-talca", "L7_Talca.tif"),
                dir.File($"in/b{b}.tif")]);
            Assert.True(r.ExitCode == 0, r.StdErr);
        }

        return dir.File("in");
    }

    [SharedDataFact]
    public void A_geotiff_recipe_with_toa_bands_gives_a_scene_card_and_contract_that_say_reflectance_toa()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), ToaStack.Replace("KIND", "reflectance-toa", StringComparison.Ordinal));
        var r = CliRunner.Run("ingest", "--recipe", dir.File("r.yaml"), "--input", TalcaBands(dir), "--out", dir.File("scene"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        var scene = SceneFolder.Open(dir.File("scene")).Manifest;
        Assert.Equal(["reflectance-toa", "reflectance-toa", "index"], scene.Guidance.Bands.Select(c => c.Kind));
        Assert.Equal("red top-of-atmosphere reflectance", scene.Guidance.Bands[0].Description);
        Assert.Equal("Landsat 7 ETM+", scene.Provenance.Sensor);
        Assert.Contains("\"kind\": \"reflectance-toa\"", File.ReadAllText(dir.File("scene/scene.json")), StringComparison.Ordinal);

        var crop = CliRunner.Run("crop", dir.File("scene"), "--out", dir.File("ds"), "--size", "64", "--max-nodata", "0.5");
        Assert.True(crop.ExitCode == 0, crop.StdErr);
        var card = DatasetCard.FromJson(File.ReadAllText(dir.File("ds/dataset.json")), dir.File("ds/dataset.json"));
        Assert.Equal(["reflectance-toa", "reflectance-toa", "index"], card.Guidance.Select(c => c.Kind));
        var contract = DataContract.FromCard(card, 2, "none", dir.File("ds"));
        Assert.Equal(["reflectance-toa", "reflectance-toa", "index"], contract.Guidance.Select(c => c.Kind));
        Assert.Equal("Landsat 7 ETM+", contract.Truth.Sensor);
    }

    [Fact]
    public void A_recipe_with_an_unknown_kind_exits_2_naming_its_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.yaml"), ToaStack.Replace("KIND", "toa-reflectance", StringComparison.Ordinal));
        Directory.CreateDirectory(dir.File("in"));
        var r = CliRunner.Run("ingest", "--recipe", dir.File("r.yaml"), "--input", dir.File("in"), "--out", dir.File("scene"));
        CliRunner.AssertOneLineError(r, 2, dir.File("r.yaml") + ":5: 'bands.red.kind: toa-reflectance' is not one of: elevation, " +
            "reflectance-toa, reflectance-surface, index, radiance, brightness-temperature, dn, other");
        Assert.False(Directory.Exists(dir.File("scene")));
    }

    [SharedDataTheory]
    [InlineData(false, "handbook: K1 666.09, K2 1282.71 (landsat7-etm")]
    [InlineData(true, "mtl: K1 666.09, K2 1282.71 (K1_CONSTANT_BAND_6_VCID_1")]
    public void The_etm_level_1_recipe_records_which_thermal_constants_it_used(bool inMtl, string constants)
    {
        using var dir = new TempDir();
        var product = LandsatLevel1Product.Make(dir.File("product"), k1k2: inMtl ? (666.09, 1282.71) : null);
        var r = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "landsat-etm-l1.yaml"), "--input", product,
            "--out", dir.File("scene"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        var m = SceneFolder.Open(dir.File("scene")).Manifest;
        Assert.StartsWith(constants, m.Provenance.Parameters["thermal_constants"], StringComparison.Ordinal);
        Assert.Equal(("Landsat 7 ETM+", "LE72330852013046EDC00"), (m.Provenance.Sensor, m.Id));
    }
}
