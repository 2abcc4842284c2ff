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
    /// <exception cref="DataException">The ring goes around a pole.</exception>
    internal static LonLatFootprint FromRing(IReadOnlyList<(double Lon, double Lat)> ring, string source)
    {
        // Unwrapped longitudes: each step the short way round, so a ring across the antimeridian runs past +-180.
        var unwrapped = new (double Lon, double Lat)[ring.Count];
        unwrapped[0] = ring[0];
        for (var i = 1; i < ring.Count; i++)
        {
            unwrapped[i] = (unwrapped[i - 1].Lon + ShortStep(ring[i].Lon - ring[i - 1].Lon), ring[i].Lat);
        }

        if (Math.Abs(unwrapped[^1].Lon + ShortStep(ring[0].Lon - ring[^1].Lon) - unwrapped[0].Lon) > 1e-6)
        {
            throw new DataException($"{source}: the footprint goes around a pole; it has no GeoJSON polygon");
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
