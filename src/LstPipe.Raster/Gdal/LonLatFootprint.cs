using LstPipe.Core.Errors;
using LstPipe.Core.Units;

namespace LstPipe.Raster.Gdal;

/// <summary>
/// A footprint in WGS 84 longitude and latitude as RFC 7946 wants it: one polygon, or two where it crosses the
/// antimeridian (cut at longitude 180, the eastern part shifted to -180), each a closed counter-clockwise exterior ring
/// of (longitude, latitude); and its bounding box, whose west edge is greater than its east edge when it crosses.
/// </summary>
/// <param name="Polygons">Exterior rings, each closed (first position repeated last) and counter-clockwise.</param>
/// <param name="Bbox">West, south, east, north (west &gt; east across the antimeridian).</param>
public sealed record LonLatFootprint(IReadOnlyList<(double Lon, double Lat)[]> Polygons, MapBounds Bbox)
{
    /// <summary>Whether the footprint crosses the antimeridian (two polygons).</summary>
    public bool CrossesAntimeridian => Bbox.MinX > Bbox.MaxX;

    /// <summary>Coordinates rounded to <paramref name="decimals"/> places and the bounding box rounded outward, so that
    /// every rounded position still lies inside the rounded box.</summary>
    public LonLatFootprint Rounded(int decimals)
    {
        var scale = Math.Pow(10, decimals);
        double Down(double v) => Math.Floor(v * scale) / scale;
        double Up(double v) => Math.Ceiling(v * scale) / scale;
        return new LonLatFootprint(
            [.. Polygons.Select(r => r.Select(p => (Math.Round(p.Lon, decimals), Math.Round(p.Lat, decimals))).ToArray())],
            new MapBounds(Down(Bbox.MinX), Down(Bbox.MinY), Up(Bbox.MaxX), Up(Bbox.MaxY)));
    }

    /// <summary>The box holding both footprints' boxes (the whole range of longitudes where either crosses the
    /// antimeridian).</summary>
    public static MapBounds Union(MapBounds a, MapBounds b) =>
        a.MinX > a.MaxX || b.MinX > b.MaxX
            ? new MapBounds(-180, Math.Min(a.MinY, b.MinY), 180, Math.Max(a.MaxY, b.MaxY))
            : new MapBounds(Math.Min(a.MinX, b.MinX), Math.Min(a.MinY, b.MinY), Math.Max(a.MaxX, b.MaxX), Math.Max(a.MaxY, b.MaxY));

    /// <summary>The footprint of an open ring of transformed positions (longitudes in [-180, 180]), in order around it.</summary>
    /// <exception cref="DataException">The ring goes around a pole more than once.</exception>
    internal static LonLatFootprint FromRing(IReadOnlyList<(double Lon, double Lat)> given, string source)
    {
        // Unwrapped longitudes: each step the short way round, so a ring across the antimeridian runs past +-180.
        var ring = ThroughPoles(given);
        var unwrapped = new (double Lon, double Lat)[ring.Count];
        unwrapped[0] = ring[0];
        for (var i = 1; i < ring.Count; i++)
        {
            unwrapped[i] = (unwrapped[i - 1].Lon + ShortStep(ring[i].Lon - ring[i - 1].Lon), ring[i].Lat);
        }

        var winding = unwrapped[^1].Lon + ShortStep(ring[0].Lon - ring[^1].Lon) - unwrapped[0].Lon;
        var along = Enumerable.Range(1, ring.Count - 1).FirstOrDefault(i => AtPole(ring[i - 1]) && AtPole(ring[i]));
        if (along > 0 && Math.Abs(Math.Abs(winding) - 360) < 1e-6)
        {
            // The pole lies on the ring, not inside it: its step along the pole goes the way that closes the ring.
            for (var i = along; i < ring.Count; i++)
            {
                unwrapped[i].Lon -= winding;
            }

            winding = 0;
        }

        if (Math.Abs(winding) > 1e-6)
        {
            return AroundPole(unwrapped, winding, source);
        }

        var (west, east) = (unwrapped.Min(p => p.Lon), unwrapped.Max(p => p.Lon));
        var (south, north) = (unwrapped.Min(p => p.Lat), unwrapped.Max(p => p.Lat));
        if (west >= -180 && east <= 180)
        {
            return new LonLatFootprint([Close(unwrapped)], new MapBounds(west, south, east, north));
        }

        var cut = east > 180 ? 180.0 : -180.0;
        var shift = east > 180 ? -360.0 : 360.0;
        var inside = Clip(unwrapped, cut, keepBelow: cut > 0);
        var outside = Clip(unwrapped, cut, keepBelow: cut < 0).Select(p => (p.Lon + shift, p.Lat)).ToArray();
        var box = cut > 0 ? new MapBounds(west, south, east - 360, north) : new MapBounds(west + 360, south, east, north);
        return new LonLatFootprint([.. new[] { inside, outside }.Where(r => r.Length >= 3).Select(Close)], box);
    }

    /// <summary>The footprint of a ring that goes once around a pole, as GeoJSON draws a polar cap: the ring from longitude
    /// -180 to 180, then along the antimeridian to the pole and back (RFC 7946, section 3.1.9).</summary>
    private static LonLatFootprint AroundPole(IReadOnlyList<(double Lon, double Lat)> unwrapped, double winding, string source)
    {
        if (Math.Abs(Math.Abs(winding) - 360) > 1e-6)
        {
            throw new DataException($"{source}: the footprint winds {winding:0} degrees around a pole; it has no GeoJSON polygon");
        }

        // Walked eastwards (longitudes mirrored when the ring runs west), one period of the path from -180 to 180.
        var sign = Math.Sign(winding);
        var path = unwrapped.Select(p => (Lon: p.Lon * sign, p.Lat)).ToList();
        path.Add((path[0].Lon + 360, path[0].Lat));
        var n = path.Count - 1;
        var walk = new List<(double Lon, double Lat)>();
        for (var j = 0; j < n && walk.Count == 0; j++)
        {
            var m = Math.Ceiling((-180 - path[j + 1].Lon) / 360);
            var (a, b) = ((path[j].Lon + 360 * m, path[j].Lat), (path[j + 1].Lon + 360 * m, path[j + 1].Lat));
            if (a.Item1 <= -180 && b.Item1 > -180)
            {
                var lat = a.Item2 + (b.Item2 - a.Item2) * (-180 - a.Item1) / (b.Item1 - a.Item1);
                walk.Add((-180, lat));
                for (var k = 1; k <= n; k++)
                {
                    var i = j + k;
                    (double Lon, double Lat) p = i <= n ? path[i] : (path[i - n].Lon + 360, path[i - n].Lat);
                    walk.Add((Math.Clamp(p.Lon + 360 * m, -180, 180), p.Lat));
                }

                if (walk[^1] != (180, lat))
                {
                    walk.Add((180, lat));
                }
            }
        }

        var pole = unwrapped.Average(p => p.Lat) >= 0 ? 90.0 : -90.0;
        walk.AddRange([(180, pole), (-180, pole)]);
        var cap = walk.Select(p => (p.Lon * sign, p.Lat)).ToArray();
        var (south, north) = (Math.Min(pole, unwrapped.Min(p => p.Lat)), Math.Max(pole, unwrapped.Max(p => p.Lat)));
        return new LonLatFootprint([Close(cap)], new MapBounds(-180, south, 180, north));
    }

    private static bool AtPole((double Lon, double Lat) p) => Math.Abs(p.Lat) >= 90 - 1e-9;

    /// <summary>The ring from a position off the poles, a position at a pole (whose longitude means nothing) replaced by
    /// two on the pole's line at its neighbours' longitudes, and a step over a pole (between longitudes 180 apart) passed
    /// through it the same way.</summary>
    private static List<(double Lon, double Lat)> ThroughPoles(IReadOnlyList<(double Lon, double Lat)> ring)
    {
        var n = ring.Count;
        var start = Enumerable.Range(0, n).Where(i => !AtPole(ring[i])).DefaultIfEmpty(-1).First();
        if (start < 0)
        {
            return [.. ring];
        }

        var result = new List<(double Lon, double Lat)>(n + 4);
        static bool Over((double Lon, double Lat) a, (double Lon, double Lat) b) =>
            Math.Abs(Math.Abs(b.Lon - a.Lon) - 180) < 1e-6 && Math.Abs(a.Lat) > 45 && Math.Sign(a.Lat) == Math.Sign(b.Lat);
        for (var k = 0; k <= n; k++)
        {
            var p = ring[(start + k) % n];
            var pole = Math.Sign(p.Lat) * 90.0;
            if (AtPole(p))
            {
                var next = Enumerable.Range(1, n).Select(j => ring[(start + k + j) % n]).First(q => !AtPole(q));
                result.AddRange([(result[^1].Lon, pole), (next.Lon, pole)]);
                continue;
            }

            if (k > 0 && !AtPole(result[^1]) && Over(result[^1], p))
            {
                result.AddRange([(result[^1].Lon, pole), (p.Lon, pole)]);
            }

            if (k < n)
            {
                result.Add(p);
            }
        }

        return result;
    }

    private static double ShortStep(double d) => d > 180 ? d - 360 : d < -180 ? d + 360 : d;

    /// <summary>The part of a ring on one side of the meridian <paramref name="cut"/> (Sutherland-Hodgman against a
    /// half-plane; the crossings interpolated along the densified edges).</summary>
    private static (double Lon, double Lat)[] Clip(IReadOnlyList<(double Lon, double Lat)> ring, double cut, bool keepBelow)
    {
        bool In((double Lon, double Lat) p) => keepBelow ? p.Lon <= cut : p.Lon >= cut;
        var result = new List<(double Lon, double Lat)>();
        for (var i = 0; i < ring.Count; i++)
        {
            var (a, b) = (ring[i], ring[(i + 1) % ring.Count]);
            if (In(a))
            {
                result.Add(a);
            }

            if (In(a) != In(b) && a.Lon != b.Lon)
            {
                var f = (cut - a.Lon) / (b.Lon - a.Lon);
                var crossing = (cut, a.Lat + (b.Lat - a.Lat) * f);
                if (result.Count == 0 || result[^1] != crossing)
                {
                    result.Add(crossing);
                }
            }
        }

        return [.. result];
    }

    /// <summary>The ring counter-clockwise (positive shoelace area in longitude and latitude) and closed.</summary>
    private static (double Lon, double Lat)[] Close((double Lon, double Lat)[] ring)
    {
        var area = 0.0;
        for (var i = 0; i < ring.Length; i++)
        {
            var (a, b) = (ring[i], ring[(i + 1) % ring.Length]);
            area += a.Lon * b.Lat - b.Lon * a.Lat;
        }

        var ordered = area < 0 ? ring.Reverse().ToArray() : ring;
        return [.. ordered, ordered[0]];
    }
}
