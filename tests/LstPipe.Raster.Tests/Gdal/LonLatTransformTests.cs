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

    [Theory]
    [InlineData(3413, 1)]
    [InlineData(3413, 16)]
    [InlineData(3031, 4)]
    public void A_footprint_around_a_pole_is_a_valid_polar_cap_that_holds_the_pole_and_not_the_land_beyond(int epsg, int segments)
    {
        using var t = LonLatTransform.From(Crs.FromEpsg(epsg));
        var f = t.Footprint(new MapBounds(-100000, -100000, 100000, 100000), segments);
        var ring = Assert.Single(f.Polygons);
        var pole = epsg == 3413 ? 90.0 : -90.0;
        Assert.Equal(ring[0], ring[^1]);
        Assert.True(SignedArea(ring) > 0, "the exterior ring runs counter-clockwise (RFC 7946)");
        Assert.Contains((180.0, pole), ring);
        Assert.Contains((-180.0, pole), ring);
        Assert.Equal(-180, f.Bbox.MinX);
        Assert.Equal(180, f.Bbox.MaxX);
        Assert.Equal(pole, pole > 0 ? f.Bbox.MaxY : f.Bbox.MinY);

        // The box reaches 100 km from the pole along the axes and 141 km at its corners: 89.1 and 88.7 degrees of latitude.
        var ogr = Python("""
            import sys
            from osgeo import ogr
            g = ogr.CreateGeometryFromWkt(sys.argv[1])
            s = 1 if float(sys.argv[2]) > 0 else -1
            inside = all(g.Contains(ogr.CreateGeometryFromWkt(f'POINT ({lon} {s * 89.5})')) for lon in range(-179, 180, 7))
            outside = not any(g.Intersects(ogr.CreateGeometryFromWkt(f'POINT ({lon} {s * 88.5})')) for lon in range(-179, 180, 7))
            print(g.IsValid(), inside, outside)
            """, Wkt(f), pole.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("True True True", ogr);
    }

    [Theory]
    [InlineData(0, 0, 100000, 100000, 1)]
    [InlineData(-100000, -100000, 0, 0, 16)]
    [InlineData(-50000, 0, 50000, 100000, 1)]
    [InlineData(-50000, -100000, 50000, 0, 4)]
    public void A_footprint_with_the_pole_on_its_edge_or_corner_is_a_valid_polygon_that_reaches_it(double minX, double minY,
        double maxX, double maxY, int segments)
    {
        // EASE-Grid 2.0 North puts the pole at a pixel corner, so tiles meet there.
        using var t = LonLatTransform.From(Crs.FromEpsg(6931));
        var f = t.Footprint(new MapBounds(minX, minY, maxX, maxY), segments);
        Assert.Equal(90, f.Bbox.MaxY);
        Assert.All(f.Polygons, r => Assert.True(SignedArea(r) > 0 && r[0] == r[^1]));
        var ogr = Python("""
            import sys
            from osgeo import ogr
            g = ogr.CreateGeometryFromWkt(sys.argv[1])
            print(g.IsValid(), g.Intersects(ogr.CreateGeometryFromWkt('POINT (0 89.9999)')) or g.GetArea() > 0)
            """, Wkt(f));
        Assert.Equal("True True", ogr);
    }
}
