using System.Globalization;
using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;

namespace LstPipe.Ingest.Stac;

/// <summary>One asset of a STAC item.</summary>
/// <param name="Href">Its URL.</param>
/// <param name="Type">Its media type, where the item gives one.</param>
public sealed record StacAsset(string Href, string? Type)
{
    /// <summary>Whether GDAL reads it as a raster by window (a GeoTIFF, a COG); otherwise it is fetched whole (MTL).</summary>
    public bool IsRaster => Type is { } t
        ? t.Contains("geotiff", StringComparison.OrdinalIgnoreCase) || t.StartsWith("image/tiff", StringComparison.OrdinalIgnoreCase)
            || t.Contains("hdf", StringComparison.OrdinalIgnoreCase)
        : Path.GetExtension(new Uri(Href).AbsolutePath).ToLowerInvariant() is ".tif" or ".tiff" or ".hdf" or ".h5";
}

/// <summary>A STAC item as an API returns it: id, time, cloud cover, footprint and assets, with its JSON.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Collection">Its collection.</param>
/// <param name="Datetime">Acquisition time (UTC), or the start of its range.</param>
/// <param name="CloudCover"><c>eo:cloud_cover</c> in percent, where the item gives it.</param>
/// <param name="Footprint">Exterior rings of its geometry, in longitude and latitude.</param>
/// <param name="Assets">Assets by key.</param>
/// <param name="Json">The item as returned.</param>
public sealed record StacItem(string Id, string? Collection, DateTimeOffset? Datetime, double? CloudCover,
    IReadOnlyList<(double Lon, double Lat)[]> Footprint, IReadOnlyDictionary<string, StacAsset> Assets, JsonObject Json)
{
    /// <summary>Reads an item (a GeoJSON Feature).</summary>
    /// <exception cref="DataException">It lacks an id or its assets.</exception>
    public static StacItem Parse(JsonObject json, string source)
    {
        var id = json["id"]?.GetValue<string>() ?? throw new DataException($"{source}: an item without an 'id'");
        var props = json["properties"] as JsonObject;
        var when = props?["datetime"]?.GetValue<string>() ?? props?["start_datetime"]?.GetValue<string>();
        var cloud = props?["eo:cloud_cover"] is JsonValue c ? Number(c) : (double?)null;
        var assets = new Dictionary<string, StacAsset>(StringComparer.Ordinal);
        foreach (var (key, node) in json["assets"] as JsonObject ?? [])
        {
            if (node?["href"]?.GetValue<string>() is { } href)
            {
                assets[key] = new StacAsset(href, node["type"]?.GetValue<string>());
            }
        }

        return new StacItem(id, json["collection"]?.GetValue<string>(),
            when is not null && DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t.ToUniversalTime() : null,
            cloud, Rings(json["geometry"] as JsonObject), assets, json);
    }

    /// <summary>The share of <paramref name="bbox"/> (W, S, E, N; W &gt; E across the antimeridian) the item's
    /// footprint covers, 0 to 1.</summary>
    public double Overlap(MapBounds bbox)
    {
        MapBounds[] boxes = bbox.MinX <= bbox.MaxX ? [bbox]
            : [new MapBounds(bbox.MinX, bbox.MinY, 180, bbox.MaxY), new MapBounds(-180, bbox.MinY, bbox.MaxX, bbox.MaxY)];
        var area = boxes.Sum(b => b.Width * b.Height);
        var covered = boxes.Sum(b => Footprint.Sum(ring => Math.Abs(Area(Clip(ring, b)))));
        return area > 0 ? Math.Clamp(covered / area, 0, 1) : 0;
    }

    /// <summary>A JSON number, parsed or built in memory (where an integer does not read as a double).</summary>
    private static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d
        : double.TryParse(node?.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : double.NaN;

    private static List<(double Lon, double Lat)[]> Rings(JsonObject? geometry)
    {
        var rings = new List<(double, double)[]>();
        (double, double)[] Ring(JsonNode? n) => (n as JsonArray ?? []).OfType<JsonArray>()
            .Select(p => (Number(p[0]), Number(p[1]))).ToArray();
        switch (geometry?["type"]?.GetValue<string>())
        {
            case "Polygon":
                rings.Add(Ring((geometry["coordinates"] as JsonArray)?[0]));
                break;
            case "MultiPolygon":
                rings.AddRange((geometry["coordinates"] as JsonArray ?? []).Select(poly => Ring((poly as JsonArray)?[0])));
                break;
        }

        return rings;
    }

    /// <summary>A ring clipped to a box (Sutherland-Hodgman).</summary>
    private static List<(double X, double Y)> Clip(IReadOnlyList<(double X, double Y)> ring, MapBounds b)
    {
        var points = ring.ToList();
        (Func<(double X, double Y), bool> Inside, Func<(double X, double Y), (double X, double Y), (double, double)> Cut)[] edges =
        [
            (p => p.X >= b.MinX, (p, q) => AtX(p, q, b.MinX)),
            (p => p.X <= b.MaxX, (p, q) => AtX(p, q, b.MaxX)),
            (p => p.Y >= b.MinY, (p, q) => AtY(p, q, b.MinY)),
            (p => p.Y <= b.MaxY, (p, q) => AtY(p, q, b.MaxY)),
        ];
        foreach (var (inside, cut) in edges)
        {
            var output = new List<(double X, double Y)>();
            for (var i = 0; i < points.Count; i++)
            {
                var p = points[i];
                var q = points[(i + 1) % points.Count];
                if (inside(p))
                {
                    output.Add(p);
                    if (!inside(q))
                    {
                        output.Add(cut(p, q));
                    }
                }
                else if (inside(q))
                {
                    output.Add(cut(p, q));
                }
            }

            points = output;
        }

        return points;
    }

    private static (double, double) AtX((double X, double Y) p, (double X, double Y) q, double x) =>
        (x, p.Y + (q.Y - p.Y) * (x - p.X) / (q.X - p.X));

    private static (double, double) AtY((double X, double Y) p, (double X, double Y) q, double y) =>
        (p.X + (q.X - p.X) * (y - p.Y) / (q.Y - p.Y), y);

    private static double Area(IReadOnlyList<(double X, double Y)> ring)
    {
        var sum = 0.0;
        for (var i = 0; i < ring.Count; i++)
        {
            var (p, q) = (ring[i], ring[(i + 1) % ring.Count]);
            sum += p.X * q.Y - q.X * p.Y;
        }

        return sum / 2;
    }
}
