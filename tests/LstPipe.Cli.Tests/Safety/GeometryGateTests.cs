using System.Text.Json.Nodes;
using static LstPipe.Cli.Tests.Contracts.ContractFixture;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>Scene folders whose grid is not what it claims (issue 37), through the commands that open them: crop refuses
/// a Web Mercator scene whose 30 map units are 23 m on the ground; degrade's thermal-sensor hint measures the coarse
/// pixel on the ground; a scene.json whose geoTransform is south-up is refused naming it, while south-up rasters under
/// a north-up scene.json are read north first and crop to the same tiles.</summary>
public class GeometryGateTests
{
    /// <summary>Web Mercator x and y of 116 E, 40 N.</summary>
    private const string Near40North = "12913060,4865942";

    private static string Synth(TempDir dir, string name, params string[] more)
    {
        Ok(CliRunner.Run(["synth", "--out", dir.File(name), "--size", "128", .. more]));
        return dir.File(name);
    }

    /// <summary>Edits a scene's <c>scene.json</c>.</summary>
    private static void EditManifest(string scene, Action<JsonObject> edit)
    {
        var path = Path.Combine(scene, "scene.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    /// <summary>A copy of a scene with both rasters stored south first (the same ground), the manifest as it was.</summary>
    private static string SouthUpRasters(TempDir dir, string scene, string name)
    {
        var copy = Directory.CreateDirectory(dir.File(name)).FullName;
        File.Copy(Path.Combine(scene, "scene.json"), Path.Combine(copy, "scene.json"));
        foreach (var raster in new[] { "lst.tif", "guidance.tif" })
        {
            Make("southup", Path.Combine(scene, raster), Path.Combine(copy, raster));
        }

        return copy;
    }

    [Fact]
    public void Crop_refuses_a_web_mercator_scene_whose_30_units_are_23_m_on_the_ground()
    {
        using var dir = new TempDir();
        var scene = Synth(dir, "mercator", "--epsg", "3857", "--origin", Near40North);
        var crop = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64");
        CliRunner.AssertOneLineError(crop, 1, $"{scene}: its pixels are 30 map units (m) of EPSG:3857, on the ground 22.97 m;");
        Assert.Contains("ingest it onto a grid whose metres are metres on the ground", crop.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void Degrade_compares_the_coarse_pixel_on_the_ground_with_the_thermal_sensor()
    {
        using var dir = new TempDir();
        var mercator = Synth(dir, "mercator", "--epsg", "3857", "--origin", Near40North);
        var utm = Synth(dir, "utm");
        foreach (var scene in new[] { mercator, utm })
        {
            EditManifest(scene, m => m["lst"]!["nativeResolutionMetres"] = 100);
        }

        var hinted = Ok(CliRunner.Run("degrade", mercator, "--scale", "4", "--out", dir.File("mercator-lr.tif"))).StdOut
            .ReplaceLineEndings(" ");
        Assert.Contains("warning: 91.9 m is finer than the 100 m the scene's thermal sensor resolved", hinted, StringComparison.Ordinal);
        Assert.Contains("use --scale 8 or more", hinted, StringComparison.Ordinal);

        var plain = Ok(CliRunner.Run("degrade", utm, "--scale", "4", "--out", dir.File("utm-lr.tif"))).StdOut;
        Assert.DoesNotContain("warning", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void A_south_up_scene_json_is_refused_naming_it_and_south_up_rasters_under_a_north_up_one_crop_the_same_tiles()
    {
        using var dir = new TempDir();
        var scene = Synth(dir, "scene");
        var rasters = SouthUpRasters(dir, scene, "south-rasters");
        var south = SouthUpRasters(dir, scene, "south");
        EditManifest(south, m =>
        {
            var gt = m["geoTransform"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            m["geoTransform"] = new JsonArray(gt[0], gt[1], 0, gt[3] + (m["height"]!.GetValue<int>() * gt[5]), 0, -gt[5]);
        });

        var manifest = Path.Combine(south, "scene.json");
        foreach (var (command, output) in new[] { ("crop", dir.File("ds-south")), ("degrade", dir.File("lr-south.tif")) })
        {
            var r = command == "crop" ? CliRunner.Run("crop", south, "--out", output, "--size", "64")
                : CliRunner.Run("degrade", south, "--scale", "4", "--out", output);
            CliRunner.AssertOneLineError(r, 1, $"{manifest}: geoTransform (399960, 30, 0, 4396200, 0, 30) is not north-up;");
            Assert.False(Path.Exists(output), $"{command} wrote {output}");
        }

        Ok(CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64"));
        Ok(CliRunner.Run("crop", rasters, "--out", dir.File("ds-rasters"), "--size", "64"));
        foreach (var level in new[] { "30m", "120m" })
        {
            foreach (var kind in new[] { "lst", "guidance" })
            {
                var tile = Path.Combine(level, kind, "00003.mat");
                Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("ds"), tile)),
                    File.ReadAllBytes(Path.Combine(dir.File("ds-rasters"), tile)));
            }
        }
    }
}
