using System.Globalization;
using LstPipe.Core.Errors;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>
/// Footprints in WGS 84 merged into one valid GeoJSON geometry by OGR (GEOS's cascaded union): footprints that overlap
/// or touch become one polygon, apart ones a MultiPolygon, so the geometry of several regions is valid where a plain
/// list of their rings would not be (a MultiPolygon whose parts overlap is invalid GeoJSON and invalid Simple Features).
/// Rings are written counter-clockwise (RFC 7946), holes clockwise.
/// </summary>
public static class FootprintUnion
{
    /// <summary>The union of <paramref name="footprints"/> as GeoJSON text (a Polygon or a MultiPolygon).</summary>
    /// <param name="footprints">The footprints (each one or two rings, split at the antimeridian).</param>
    /// <param name="source">What the footprints are of, for messages.</param>
    /// <exception cref="DataException">OGR cannot union them, or the union is not valid.</exception>
    public static string GeoJson(IEnumerable<LonLatFootprint> footprints, string source)
    {
        GdalRuntime.EnsureInitialized();
        var rings = footprints.SelectMany(f => f.Polygons).ToArray();
        if (rings.Length == 0)
        {
            throw new ArgumentException("no footprint to union", nameof(footprints));
        }

        static string Ring((double Lon, double Lat)[] ring) => "[[" + string.Join(",", ring.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"[{p.Lon:R},{p.Lat:R}]"))) + "]]";
        var json = "{\"type\":\"MultiPolygon\",\"coordinates\":[" + string.Join(",", rings.Select(Ring)) + "]}";
        GdalRuntime.ResetError();
        var parts = OGR_G_CreateGeometryFromJson(json);
        if (parts == 0)
        {
            throw GdalRuntime.Failure(source, "OGR cannot read the footprints as a MultiPolygon");
        }

        nint union = 0;
        try
        {
            union = OGR_G_UnionCascaded(parts);
            if (union == 0)
            {
                throw GdalRuntime.Failure(source, "OGR cannot union the footprints (is libgdal built with GEOS?)");
            }

            if (OGR_G_IsValid(union) == 0)
            {
                throw new DataException($"{source}: the union of the footprints is not a valid geometry");
            }

            using var options = new GdalStringList(["RFC7946=YES"]);
            var text = OGR_G_ExportToJsonEx(union, options.Handle);
            try
            {
                return GdalRuntime.Utf8(text) ?? throw GdalRuntime.Failure(source, "OGR cannot write the union as GeoJSON");
            }
            finally
            {
                VSIFree(text);
            }
        }
        finally
        {
            OGR_G_DestroyGeometry(parts);
            if (union != 0)
            {
                OGR_G_DestroyGeometry(union);
            }
        }
    }
}
