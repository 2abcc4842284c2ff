using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Commands;

/// <summary>A scene around a pole (issue 38): cropped on a grid true to scale at the pole, its tiles' footprints valid
/// polar caps in WGS 84; refused, with the reason and a grid that works, on one whose map metres are not ground metres.</summary>
public class PolarCropTests
{
    private static string Scene(TempDir dir, int epsg) => SyntheticSceneGenerator.Generate(new SyntheticSceneOptions
    {
        Width = 128,
        Height = 128,
        Epsg = epsg,
        Origin = [-30 * 64, 30 * 64],
    }, dir.File($"pole-{epsg}")).Directory;

    [Fact]
    public void A_scene_around_the_north_pole_on_a_polar_equal_area_grid_is_cropped_with_valid_footprints()
    {
        // The pole (pixel 64, 64) is inside the middle tile, on an edge of four others and at a corner of the last four.
        using var dir = new TempDir();
        var scene = Scene(dir, 6931);
        var r = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var check = Processes.Run("/usr/bin/python3", ["-c", """
            import json, sys
            from osgeo import ogr
            tiles = json.load(open(sys.argv[1]))['features']
            shapes = [ogr.CreateGeometryFromJson(json.dumps(t['geometry'])) for t in tiles]
            print(len(tiles), all(g.IsValid() for g in shapes), sum(g.GetEnvelope()[3] == 90 for g in shapes))
            """, dir.File("ds/tiles.geojson")]);
        Assert.True(check.ExitCode == 0, check.StdErr);
        Assert.Equal("9 True 9", check.StdOut.Trim());
    }

    [Fact]
    public void A_scene_around_the_pole_on_a_grid_not_true_to_scale_there_is_refused_with_the_reason()
    {
        using var dir = new TempDir();
        var scene = Scene(dir, 3413);
        var r = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64");
        CliRunner.AssertOneLineError(r, 1, "its pixels are 30 map units (m) of EPSG:3413, on the ground 30.9");
        Assert.Contains("near a pole, a polar grid true to scale at its centre, such as EPSG:6931 or 6932", r.StdErr);
    }
}
