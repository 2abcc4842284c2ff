using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;

namespace LstPipe.Raster.Gdal;

/// <summary>
/// A grid's pixel size on the ground at its centre: the centre and one pixel step along each axis transformed to
/// WGS 84 longitude and latitude, and the steps measured on its ellipsoid (as chords, so a grid around a pole is
/// measured as well as one at the equator). Map units are not metres on the ground: 30
/// units of Web Mercator (EPSG:3857) at 40 N are about 23 m; UTM's are within 0.1% of them near its central meridian.
/// </summary>
/// <param name="Width">Metres on the ground of one step along a row (east).</param>
/// <param name="Height">Metres on the ground of one step down a column (south).</param>
/// <param name="Area">Square metres on the ground of one pixel (the parallelogram of the two steps: a sheared
/// equal-area grid such as MODIS's sinusoidal one keeps its nominal area away from its central meridian).</param>
/// <param name="MapWidth">The pixel width in map units.</param>
/// <param name="MapHeight">The pixel height in map units (positive).</param>
/// <param name="Unit">The map unit (<c>m</c>, <c>deg</c>, <c>ft</c>, ...).</param>
public sealed record GroundPixel(double Width, double Height, double Area, double MapWidth, double MapHeight, string Unit)
{
    private const double SemiMajor = 6_378_137.0;
    private const double Flattening = 1 / 298.257223563;

    /// <summary>Metres on the ground: the side of the square of the pixel's area.</summary>
    public double Metres => Math.Sqrt(Area);

    /// <summary>The size a grid in metres states (its map size) where that is its size on the ground within 2%, else
    /// the size on the ground: the same for every extent of one UTM grid, true for Web Mercator or degrees.</summary>
    public double NominalMetres => MapUnitsAreGroundMetres(0.02) ? Math.Sqrt(Math.Abs(MapWidth) * MapHeight) : Metres;

    /// <summary>Whether the map units are metres on the ground within <paramref name="tolerance"/> (a fraction).</summary>
    public bool MapUnitsAreGroundMetres(double tolerance = 0.005) =>
        Unit == "m" && Math.Abs(Metres - Math.Abs(MapWidth)) <= tolerance * Metres;

    /// <summary>The pixel width in map units as a phrase: <c>30 map units (m) of EPSG:3857</c>.</summary>
    public string MapSize(string crs) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(MapWidth):0.######} map units ({Unit}) of {crs}");

    /// <summary>Measures a grid's pixel at its centre.</summary>
    /// <exception cref="DataException">The grid has no CRS.</exception>
    public static GroundPixel Of(RasterGrid grid, string source)
    {
        if (grid.CrsWkt.Length == 0)
        {
            throw new DataException($"{source}: has no CRS, so its pixel size on the ground is unknown; assign one (gdal_edit -a_srs)");
        }

        var crs = Crs.FromWkt(grid.CrsWkt, source);
        var gt = grid.Transform;
        var unit = crs.IsGeographic ? "deg" : Math.Abs(crs.MetresPerUnit - 1) < 1e-12 ? "m" : crs.LinearUnit;
        var (c, r) = (grid.Width / 2.0, grid.Height / 2.0);
        var points = new[] { gt.PixelToMap(c, r), gt.PixelToMap(c + 1, r), gt.PixelToMap(c, r + 1) };
        var x = points.Select(p => p.X).ToArray();
        var y = points.Select(p => p.Y).ToArray();
        try
        {
            crs.TransformPoints(Crs.FromEpsg(4326), x, y);
        }
        catch (DataException)
        {
            x[0] = double.NaN;
        }

        if (x.Concat(y).Any(v => !double.IsFinite(v)) || crs.IsGeographic is false && crs.IsProjected is false)
        {
            var m = crs.MetresPerUnit;
            var (w, h) = (Math.Abs(gt.PixelWidth) * m, Math.Abs(gt.PixelHeight) * m);
            return new GroundPixel(w, h, w * h, gt.PixelWidth, Math.Abs(gt.PixelHeight), unit);
        }

        var (p0, p1, p2) = (Geocentric(x[0], y[0]), Geocentric(x[1], y[1]), Geocentric(x[2], y[2]));
        var east = (X: p1.X - p0.X, Y: p1.Y - p0.Y, Z: p1.Z - p0.Z);
        var south = (X: p2.X - p0.X, Y: p2.Y - p0.Y, Z: p2.Z - p0.Z);
        var cross = ((east.Y * south.Z) - (east.Z * south.Y), (east.Z * south.X) - (east.X * south.Z),
            (east.X * south.Y) - (east.Y * south.X));
        return new GroundPixel(Norm(east), Norm(south), Norm(cross), gt.PixelWidth, Math.Abs(gt.PixelHeight), unit);
    }

    private static double Norm((double X, double Y, double Z) v) => Math.Sqrt((v.X * v.X) + (v.Y * v.Y) + (v.Z * v.Z));

    /// <summary>A point of the WGS 84 ellipsoid in Earth-centred metres: the pixel's steps are measured as chords
    /// between such points (a pixel's chord and arc differ by parts in 10^13), which holds at a pole too, where a step
    /// of metres spans any number of degrees of longitude.</summary>
    private static (double X, double Y, double Z) Geocentric(double lon, double lat)
    {
        var e2 = Flattening * (2 - Flattening);
        var (phi, lambda) = (lat * Math.PI / 180, lon * Math.PI / 180);
        var prime = SemiMajor / Math.Sqrt(1 - (e2 * Math.Sin(phi) * Math.Sin(phi)));
        return (prime * Math.Cos(phi) * Math.Cos(lambda), prime * Math.Cos(phi) * Math.Sin(lambda), prime * (1 - e2) * Math.Sin(phi));
    }

    /// <summary>The distance in metres between two nearby points (degrees of WGS 84); see <see cref="Step"/>.</summary>
    public static double Distance(double lon1, double lat1, double lon2, double lat2) => Length(Step(lon1, lat1, lon2, lat2));

    private static double Length((double X, double Y) v) => Math.Sqrt((v.X * v.X) + (v.Y * v.Y));

    /// <summary>The step east and north in metres between two nearby points (degrees of WGS 84), on the ellipsoid's
    /// local radii of curvature at their mean latitude (exact to well under a millimetre for steps of kilometres).</summary>
    private static (double X, double Y) Step(double lon1, double lat1, double lon2, double lat2)
    {
        var e2 = Flattening * (2 - Flattening);
        var phi = (lat1 + lat2) / 2 * Math.PI / 180;
        var w = 1 - (e2 * Math.Sin(phi) * Math.Sin(phi));
        var meridian = SemiMajor * (1 - e2) / (w * Math.Sqrt(w));
        var prime = SemiMajor / Math.Sqrt(w);
        var dLon = (lon2 - lon1 + 540) % 360 - 180;
        var dx = prime * Math.Cos(phi) * dLon * Math.PI / 180;
        var dy = meridian * (lat2 - lat1) * Math.PI / 180;
        return (dx, dy);
    }
}
