using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

/// <summary>Footprints in WGS 84 against GDAL's Python bindings (osr for the points, ogr for the polygons'
/// validity and area), out of process.</summary>
public class LonLatTransformTests
{
    /// <summary>The Talca scene's grid (EPSG:32719, rotated about 1.5 degrees against the meridians).</summary>
    private static readonly MapBounds Talca = new(250000, 6074185, 287355, 6100000);

    /// <summary>A UTM zone 60 box across longitude 180 near the equator.</summary>
    private static readonly MapBounds Antimeridian = new(832000, 98000, 835840, 101920);

    private static string Python(string script, params string[] args)
    {
        var r = Processes.Run("/usr/bin/python3", ["-c", script, .. args]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return r.StdOut.Trim();
    }

    private static string Wkt(LonLatFootprint f) => "MULTIPOLYGON (" + string.Join(", ", f.Polygons.Select(r => "((" +
        string.Join(", ", r.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Lon:R} {p.Lat:R}"))) + "))")) + ")";

    private static double SignedArea((double Lon, double Lat)[] ring) =>
        ring.Zip(ring.Skip(1)).Sum(e => e.First.Lon * e.Second.Lat - e.Second.Lon * e.First.Lat) / 2;

    [Fact]
    public void Points_are_osrs_longitude_and_latitude()
    {
        (double X, double Y)[] points = [(250000, 6100000), (287355, 6074185), (268000, 6090000)];
        using var t = LonLatTransform.From(Crs.FromEpsg(32719));
        var got = t.Transform(points);
        var expected = Python("""
            import sys
            from osgeo import osr
            s, w = osr.SpatialReference(), osr.SpatialReference()
            s.ImportFromEPSG(32719); w.ImportFromEPSG(4326); w.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            ct = osr.CoordinateTransformation(s, w)
            for x, y in [(250000, 6100000), (287355, 6074185), (268000, 6090000)]:
                p = ct.TransformPoint(x, y)
                print(repr(p[0]), repr(p[1]))
            """).Split('\n').Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        for (var i = 0; i < points.Length; i++)
        {
            Assert.Equal(expected[i][0], got[i].Lon, 1e-9);
            Assert.Equal(expected[i][1], got[i].Lat, 1e-9);
        }
    }

    [Fact]
    public void A_utm_footprint_is_densified_counter_clockwise_closed_and_not_axis_aligned()
    {
        using var t = LonLatTransform.From(Crs.FromEpsg(32719));
        var f = t.Footprint(Talca, 16);
        var ring = Assert.Single(f.Polygons);
        Assert.Equal(4 * 16 + 1, ring.Length);
        Assert.Equal(ring[0], ring[^1]);
        Assert.True(SignedArea(ring) > 0, "the exterior ring runs counter-clockwise (RFC 7946)");
        Assert.False(f.CrossesAntimeridian);
        Assert.True(ring.Select(p => Math.Round(p.Lon, 6)).Distinct().Count() > 2, "the footprint follows the rotated grid");
        var (minLon, maxLon) = (ring.Min(p => p.Lon), ring.Max(p => p.Lon));
        Assert.Equal(new MapBounds(minLon, ring.Min(p => p.Lat), maxLon, ring.Max(p => p.Lat)), f.Bbox);
        var ogr = Python("""
            import sys
            from osgeo import ogr
            g = ogr.CreateGeometryFromWkt(sys.argv[1])
            print(g.IsValid(), g.GetGeometryCount())
            """, Wkt(f));
        Assert.Equal("True 1", ogr);
    }

    [Fact]
    public void A_footprint_across_the_antimeridian_is_two_valid_polygons_cut_at_180()
    {
        using var t = LonLatTransform.From(Crs.FromEpsg(32660));
        var f = t.Footprint(Antimeridian, 16);
        Assert.True(f.CrossesAntimeridian);
        Assert.Equal(2, f.Polygons.Count);
        Assert.Contains(f.Polygons, r => r.Max(p => p.Lon) == 180);
        Assert.Contains(f.Polygons, r => r.Min(p => p.Lon) == -180);
        Assert.All(f.Polygons, r => Assert.True(SignedArea(r) > 0 && r[0] == r[^1]));
        Assert.All(f.Polygons.SelectMany(r => r), p => Assert.InRange(p.Lon, -180, 180));
        Assert.True(f.Bbox.MinX > 179.9 && f.Bbox.MaxX < -179.9, f.Bbox.ToString());

        // The two parts have the area of the footprint that GDAL's own transformer cuts at the antimeridian.
        var ogr = Python("""
            import sys
            from osgeo import ogr, osr
            g = ogr.CreateGeometryFromWkt(sys.argv[1])
            s, w = osr.SpatialReference(), osr.SpatialReference()
            s.ImportFromEPSG(32660); w.ImportFromEPSG(4326); w.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            box = ogr.CreateGeometryFromWkt('POLYGON ((832000 98000, 835840 98000, 835840 101920, 832000 101920, 832000 98000))')
            box.Segmentize(240)
            cut = ogr.GeomTransformer(osr.CoordinateTransformation(s, w), ['WRAPDATELINE=YES']).Transform(box)
            print(g.IsValid(), g.GetGeometryCount(), cut.GetGeometryCount(), abs(g.GetArea() - cut.GetArea()) / cut.GetArea() < 1e-6)
            """, Wkt(f));
        Assert.Equal("True 2 2 True", ogr);
    }

    [Fact]
    public void Rounding_keeps_every_position_inside_the_bbox_rounded_outward()
    {
        using var t = LonLatTransform.From(Crs.FromEpsg(32719));
        var f = t.Footprint(Talca, 16).Rounded(4);
        Assert.All(f.Polygons.SelectMany(r => r), p =>
        {
            Assert.InRange(p.Lon, f.Bbox.MinX, f.Bbox.MaxX);
            Assert.InRange(p.Lat, f.Bbox.MinY, f.Bbox.MaxY);
            Assert.Equal(p.Lon, Math.Round(p.Lon, 4));
        });
    }

    [Fact]
    public void A_footprint_around_a_pole_has_no_polygon_and_says_so()
    {
        using var t = LonLatTransform.From(Crs.FromEpsg(3413));
        var e = Assert.Throws<DataException>(() => t.Footprint(new MapBounds(-100000, -100000, 100000, 100000), 4));
        Assert.Equal("EPSG:3413: the footprint goes around a pole; it has no GeoJSON polygon", e.Message);
    }
}
