using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>A coordinate reference system, read through GDAL's OSR: its WKT, EPSG code, name and linear unit.</summary>
public sealed class Crs
{
    private Crs(string wkt, int? epsg, string name, bool isProjected, bool isGeographic, string linearUnit, double metresPerUnit)
    {
        Wkt = wkt;
        Epsg = epsg;
        Name = name;
        IsProjected = isProjected;
        IsGeographic = isGeographic;
        LinearUnit = linearUnit;
        MetresPerUnit = metresPerUnit;
    }

    /// <summary>Well-known text (WKT1, as GDAL writes it into GeoTIFF).</summary>
    public string Wkt { get; }

    /// <summary>EPSG code, where the CRS has or can be matched to one.</summary>
    public int? Epsg { get; }

    /// <summary>The CRS name, for example <c>WGS 84 / UTM zone 16N</c>.</summary>
    public string Name { get; }

    /// <summary>Whether map units are a projected length.</summary>
    public bool IsProjected { get; }

    /// <summary>Whether map units are degrees.</summary>
    public bool IsGeographic { get; }

    /// <summary>Linear unit name of a projected CRS (<c>metre</c>), or <c>degree</c>.</summary>
    public string LinearUnit { get; }

    /// <summary>Metres in one map unit of a projected CRS.</summary>
    public double MetresPerUnit { get; }

    /// <summary>Short label: <c>EPSG:32616</c>, or the name when there is no code.</summary>
    public string Label => Epsg is { } e ? "EPSG:" + e.ToString(CultureInfo.InvariantCulture) : Name;

    /// <summary>Parses a WKT (or any definition OSR accepts).</summary>
    /// <exception cref="DataException">The text is not a CRS.</exception>
    public static Crs FromWkt(string wkt, string source = "CRS")
    {
        GdalRuntime.EnsureInitialized();
        GdalRuntime.ResetError();
        var h = OSRNewSpatialReference(wkt);
        if (h == 0)
        {
            throw GdalRuntime.Failure(source, "not a valid coordinate reference system");
        }

        try
        {
            return Describe(h);
        }
        finally
        {
            OSRDestroySpatialReference(h);
        }
    }

    /// <summary>Builds the CRS of an EPSG code.</summary>
    /// <exception cref="UsageException">The code is unknown.</exception>
    public static Crs FromEpsg(int epsg)
    {
        GdalRuntime.EnsureInitialized();
        var h = OSRNewSpatialReference(null);
        try
        {
            if (OSRImportFromEPSG(h, epsg) != 0)
            {
                throw new UsageException($"EPSG:{epsg} is not a known coordinate reference system");
            }

            return Describe(h);
        }
        finally
        {
            OSRDestroySpatialReference(h);
        }
    }

    /// <summary>Whether two CRS definitions describe the same system.</summary>
    public bool IsSameAs(Crs other)
    {
        if (Epsg is { } a && other.Epsg is { } b)
        {
            return a == b;
        }

        var h1 = OSRNewSpatialReference(Wkt);
        var h2 = OSRNewSpatialReference(other.Wkt);
        try
        {
            return OSRIsSame(h1, h2) != 0;
        }
        finally
        {
            OSRDestroySpatialReference(h1);
            OSRDestroySpatialReference(h2);
        }
    }

    /// <summary>The bounding box, in <paramref name="target"/>'s coordinates, of a box in this CRS (edges densified,
    /// so curved edges are enclosed); coordinates in x = easting or longitude order.</summary>
    /// <exception cref="DataException">The box cannot be transformed (for example outside the target's area of use).</exception>
    public MapBounds TransformBounds(MapBounds bounds, Crs target)
    {
        using var ct = new Transformation(this, target);
        if (ct.Handle == 0 || OCTTransformBounds(ct.Handle, bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY,
                out var x0, out var y0, out var x1, out var y1, 21) == 0)
        {
            throw GdalRuntime.Failure(Label, $"cannot transform {bounds} to {target.Label}");
        }

        return new MapBounds(x0, y0, x1, y1);
    }

    /// <summary>Transforms points in place from this CRS to <paramref name="target"/> (x = easting or longitude); a point
    /// that cannot be transformed becomes NaN.</summary>
    /// <exception cref="DataException">No transformation between the two systems exists.</exception>
    public unsafe void TransformPoints(Crs target, Span<double> x, Span<double> y)
    {
        using var ct = new Transformation(this, target);
        if (ct.Handle == 0)
        {
            throw GdalRuntime.Failure(Label, $"cannot transform points to {target.Label}");
        }

        fixed (double* px = x, py = y)
        {
            if (OCTTransform(ct.Handle, x.Length, px, py, null) != 0)
            {
                return;
            }
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsInfinity(x[i]) || double.IsInfinity(y[i]))
            {
                x[i] = y[i] = double.NaN;
            }
        }
    }

    /// <summary>An OGR coordinate transformation in x = easting or longitude order, and its two spatial references;
    /// <see cref="Handle"/> is 0 when none exists (GDAL's error is then pending).</summary>
    internal sealed class Transformation : IDisposable
    {
        private readonly nint _source;
        private readonly nint _target;

        public Transformation(Crs from, Crs to)
        {
            GdalRuntime.EnsureInitialized();
            GdalRuntime.ResetError();
            _source = OSRNewSpatialReference(from.Wkt);
            _target = OSRNewSpatialReference(to.Wkt);
            OSRSetAxisMappingStrategy(_source, 0);
            OSRSetAxisMappingStrategy(_target, 0);
            Handle = OCTNewCoordinateTransformation(_source, _target);
        }

        public nint Handle { get; }

        public void Dispose()
        {
            if (Handle != 0)
            {
                OCTDestroyCoordinateTransformation(Handle);
            }

            OSRDestroySpatialReference(_source);
            OSRDestroySpatialReference(_target);
        }
    }

    /// <summary>The WGS 84 UTM zone (EPSG 326xx north, 327xx south) that contains a longitude and latitude.</summary>
    public static int UtmEpsg(double longitude, double latitude)
    {
        var zone = Math.Clamp((int)Math.Floor((longitude + 180) / 6) + 1, 1, 60);
        return (latitude >= 0 ? 32600 : 32700) + zone;
    }

    /// <inheritdoc />
    public override string ToString() => Epsg is null ? Name : $"{Label} ({Name})";

    private static Crs Describe(nint h)
    {
        var epsg = AuthorityCode(h);
        if (epsg is null && OSRAutoIdentifyEPSG(h) == 0)
        {
            epsg = AuthorityCode(h);
        }

        OSRExportToWkt(h, out var wktPtr);
        var wkt = GdalRuntime.Utf8(wktPtr) ?? string.Empty;
        VSIFree(wktPtr);
        var projected = OSRIsProjected(h) != 0;
        var geographic = OSRIsGeographic(h) != 0;
        var metres = OSRGetLinearUnits(h, out var unitPtr);
        var unit = geographic ? "degree" : GdalRuntime.Utf8(unitPtr) ?? "unknown";
        return new Crs(wkt, epsg, GdalRuntime.Utf8(OSRGetName(h)) ?? "unnamed", projected, geographic, unit, metres);
    }

    private static int? AuthorityCode(nint h)
    {
        var name = GdalRuntime.Utf8(OSRGetAuthorityName(h, null));
        var code = GdalRuntime.Utf8(OSRGetAuthorityCode(h, null));
        return string.Equals(name, "EPSG", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
