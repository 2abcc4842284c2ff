using System.Globalization;
using System.Text.RegularExpressions;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Crop;
using LstPipe.Synthetic;

namespace LstPipe.Dataset.Tests.Cards;

/// <summary><c>tiles.geojson</c> as GDAL reads it (ogrinfo and the Python bindings, out of process): RFC 7946 in
/// WGS 84, inside the scene's WGS 84 extent by gdalinfo, split at the antimeridian; the projected bounds kept.</summary>
public partial class TileIndexTests
{
    [GeneratedRegex(@"Extent: \((?<x0>[-\d.]+), (?<y0>[-\d.]+)\) - \((?<x1>[-\d.]+), (?<y1>[-\d.]+)\)")]
    private static partial Regex Extent();

    private static string Crop(TempDir dir, SyntheticSceneOptions scene)
    {
        var folder = SyntheticSceneGenerator.Generate(scene, dir.File("scene")).Directory;
        CropProcessor.Run(new CropOptions { Scenes = [folder], Output = dir.File("ds"), TileSize = 64, Workers = 1 });
        return Path.Combine(dir.File("ds"), DatasetLayout.TilesFileName);
    }

    private static double[] Box(IEnumerable<double[]> ring) =>
        [ring.Min(p => p[0]), ring.Min(p => p[1]), ring.Max(p => p[0]), ring.Max(p => p[1])];

    [Fact]
    public void Gdal_reads_the_tiles_as_epsg_4326_inside_the_scenes_wgs84_extent_and_the_projected_bounds_come_back()
    {
        using var dir = new TempDir();
        var path = Crop(dir, new SyntheticSceneOptions { Width = 256, Height = 192, Seed = 2, Epsg = 32719, Origin = [250000, 6100000] });

        var info = Processes.Run("ogrinfo", ["-so", "-al", path]);
        Assert.True(info.ExitCode == 0, info.StdErr);
        Assert.Contains("ID[\"EPSG\",4326]", info.StdOut, StringComparison.Ordinal);
        Assert.Contains("Geometry: Polygon", info.StdOut, StringComparison.Ordinal);
        var m = Extent().Match(info.StdOut);
        Assert.True(m.Success, info.StdOut);
        double V(string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        using var scene = GdalInfo.Json(Path.Combine(dir.File("scene"), "lst.tif"));
        var wgs84 = Box(scene.RootElement.GetProperty("wgs84Extent").GetProperty("coordinates")[0].EnumerateArray()
            .Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() }));
        Assert.InRange(V("x0"), wgs84[0] - 1e-6, wgs84[2]);
        Assert.InRange(V("x1"), wgs84[0], wgs84[2] + 1e-6);
        Assert.InRange(V("y0"), wgs84[1] - 1e-6, wgs84[3]);
        Assert.InRange(V("y1"), wgs84[1], wgs84[3] + 1e-6);
        Assert.True(V("x0") < -70 && V("y0") < -35, "longitude and latitude in Chile, not UTM metres");

        var tiles = TileIndex.Read(path);
        Assert.Equal(35, tiles.Count);
        var t = tiles[^1];
        double x0 = 250000 + t.X * 30.0, y0 = 6100000 - t.Y * 30.0, x1 = x0 + 64 * 30, y1 = y0 - 64 * 30;
        Assert.Equal([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], t.Footprint);
        Assert.Equal(32719, t.Epsg);
    }

    [Fact]
    public void Tiles_across_the_antimeridian_are_valid_multipolygons_of_longitudes_within_180()
    {
        using var dir = new TempDir();
        var path = Crop(dir, new SyntheticSceneOptions { Width = 128, Height = 128, Seed = 4, Epsg = 32660, Origin = [832000, 101920] });
        var r = Processes.Run("/usr/bin/python3", ["-c", """
            import sys
            from osgeo import ogr
            source = ogr.Open(sys.argv[1])
            layer = source.GetLayer()
            kinds, lons = [], []
            for f in layer:
                g = f.GetGeometryRef()
                assert g.IsValid(), f.GetFID()
                kinds.append(g.GetGeometryName())
                env = g.GetEnvelope()
                lons += [env[0], env[1]]
            print(layer.GetSpatialRef().GetAuthorityCode(None), sorted(set(kinds)), min(lons) >= -180, max(lons) <= 180)
            """, path]);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.StdErr}");
        Assert.Equal("4326 ['MULTIPOLYGON', 'POLYGON'] True True", r.StdOut.Trim());
    }

    [Fact]
    public void A_tile_index_of_earlier_versions_in_scene_coordinates_still_reads()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tiles.geojson"), """
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": 0, "geometry": {"type": "Polygon", "coordinates": [[[0, 60], [60, 60], [60, 0], [0, 0], [0, 60]]]},
             "properties": {"index": 0, "name": "00000", "scene": "s", "row": 0, "col": 0, "x": 0, "y": 0, "size": 2,
             "validFraction": 1, "epsg": 32650}}
            ]}
            """);
        var tile = Assert.Single(TileIndex.Read(dir.File("tiles.geojson")));
        Assert.Equal([[0.0, 60], [60, 60], [60, 0], [0, 0]], tile.Footprint);
    }
}
