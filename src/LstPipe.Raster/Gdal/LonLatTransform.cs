using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>
/// Coordinates of a CRS taken to WGS 84 longitude and latitude (EPSG:4326 in x = longitude order, as RFC 7946 GeoJSON
/// and STAC want them) through GDAL's OSR, and footprints built from them: a projected rectangle's edges densified
/// and transformed, rings counter-clockwise, split at the antimeridian where the footprint crosses it. One instance
/// holds one OSR transformation; it is not thread-safe.
/// </summary>
public sealed unsafe class LonLatTransform : IDisposable
{
    private readonly Crs.Transformation _transform;
    private readonly string _label;
    private bool _disposed;

    private LonLatTransform(Crs.Transformation transform, string label) => (_transform, _label) = (transform, label);

    /// <summary>The transformation from <paramref name="source"/> to WGS 84 longitude and latitude.</summary>
    /// <exception cref="DataException">OSR has no transformation from the CRS.</exception>
    public static LonLatTransform From(Crs source)
    {
        var ct = new Crs.Transformation(source, Crs.FromEpsg(4326));
        if (ct.Handle == 0)
        {
            var error = GdalRuntime.Failure(source.Label, "no transformation to WGS 84 longitude and latitude");
            ct.Dispose();
            throw error;
        }

        return new LonLatTransform(ct, source.Label);
    }

    /// <summary>Longitude and latitude of each point, longitudes in [-180, 180].</summary>
    /// <exception cref="DataException">A point has no image in WGS 84 (outside the CRS's domain).</exception>
    public (double Lon, double Lat)[] Transform(IReadOnlyList<(double X, double Y)> points)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var x = points.Select(p => p.X).ToArray();
        var y = points.Select(p => p.Y).ToArray();
        var z = new double[points.Count];
        var ok = new int[points.Count];
        GdalRuntime.ResetError();
        fixed (double* px = x, py = y, pz = z)
        fixed (int* pok = ok)
        {
            if (OCTTransformEx(_transform.Handle, points.Count, px, py, pz, pok) == 0 && ok.All(v => v == 0))
            {
                throw GdalRuntime.Failure(_label, "cannot transform to WGS 84 longitude and latitude");
            }
        }

        var bad = Array.IndexOf(ok, 0);
        if (bad >= 0)
        {
            throw new DataException($"{_label}: point ({points[bad].X}, {points[bad].Y}) has no WGS 84 longitude and latitude");
        }

        return [.. x.Select((lon, i) => (WrapLongitude(lon), y[i]))];
    }

    /// <summary>The footprint of a rectangle of this CRS: each edge cut into <paramref name="segmentsPerEdge"/> pieces
    /// (so that the curved image of a straight projected edge is followed), transformed, and split at the antimeridian
    /// where it crosses it.</summary>
    /// <exception cref="DataException">A point cannot be transformed, or the rectangle holds a pole.</exception>
    public LonLatFootprint Footprint(MapBounds bounds, int segmentsPerEdge)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentsPerEdge, 1);
        var corners = new[]
        {
            (bounds.MinX, bounds.MaxY), (bounds.MaxX, bounds.MaxY), (bounds.MaxX, bounds.MinY), (bounds.MinX, bounds.MinY),
        };
        var ring = new List<(double X, double Y)>(4 * segmentsPerEdge);
        for (var c = 0; c < 4; c++)
        {
            var (a, b) = (corners[c], corners[(c + 1) % 4]);
            for (var k = 0; k < segmentsPerEdge; k++)
            {
                var f = (double)k / segmentsPerEdge;
                ring.Add((a.Item1 + (b.Item1 - a.Item1) * f, a.Item2 + (b.Item2 - a.Item2) * f));
            }
        }

        return LonLatFootprint.FromRing(Transform(ring), _label);
    }

    /// <summary>A longitude in [-180, 180].</summary>
    internal static double WrapLongitude(double lon) => lon is >= -180 and <= 180 ? lon : lon - 360 * Math.Floor((lon + 180) / 360);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _transform.Dispose();
    }
}
