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
        : Path.GetExtension(FileName).ToLowerInvariant() is ".tif" or ".tiff" or ".hdf" or ".h5";

    /// <summary>The file name at the end of the href's path (before any query string), or empty.</summary>
    public string FileName => Path.GetFileName(Href.Split('?', '#')[0].TrimEnd('/'));

    /// <summary>The href without its query string (a signature, a token): what identifies the file.</summary>
    public string Unsigned => Href.Split('?')[0];
}

/// <summary>A STAC item as an API returns it: id, time, cloud cover, footprint and assets, with its JSON.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Collection">Its collection.</param>
/// <param name="Datetime">Acquisition time (UTC), or the start of its range.</param>
/// <param name="CloudCover"><c>eo:cloud_cover</c> in percent, where the item gives it between 0 and 100 (a value
/// outside is unknown, never the least cloudy).</param>
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
        var id = RemoteJson.Text(json["id"]) is { Length: > 0 } i ? i
            : throw new DataException($"{source}: an item without an 'id' (a string)");
        var props = json["properties"] as JsonObject;
        var when = RemoteJson.Text(props?["datetime"]) ?? RemoteJson.Text(props?["start_datetime"]);
        var self = (json["links"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(l => RemoteJson.Text(l["rel"]) == "self") is { } link ? RemoteJson.Text(link["href"]) : null;
        var baseUrl = self is not null && self.Contains("://", StringComparison.Ordinal) ? self : source;
        var assets = new Dictionary<string, StacAsset>(StringComparer.Ordinal);
        foreach (var (key, node) in json["assets"] as JsonObject ?? [])
        {
            if (RemoteJson.Text(node?["href"]) is { Length: > 0 } href)
            {
                assets[key] = new StacAsset(Absolute(href, baseUrl), RemoteJson.Text(node!["type"]));
            }
        }

        return new StacItem(id, RemoteJson.Text(json["collection"]),
            when is not null && DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t.ToUniversalTime() : null,
            RemoteJson.Number(props?["eo:cloud_cover"]) is { } cloud && cloud is >= 0 and <= 100 ? cloud : null,
            Rings(json["geometry"] as JsonObject), assets, json);
    }

    /// <summary>An asset href made absolute against the item's self link (or the page it came in); one with a scheme
    /// (<c>https://</c>, <c>s3://</c>) as it is.</summary>
    private static string Absolute(string href, string baseUrl) =>
        href.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var b)
            || !Uri.TryCreate(b, href, out var uri) ? href : uri.AbsoluteUri;

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

    private static List<(double Lon, double Lat)[]> Rings(JsonObject? geometry)
    {
        var rings = new List<(double, double)[]>();
        (double, double)[] Ring(JsonNode? polygon) => ((polygon as JsonArray)?.FirstOrDefault() as JsonArray ?? [])
            .OfType<JsonArray>().Where(p => p.Count >= 2)
            .Select(p => (RemoteJson.Number(p[0]) ?? double.NaN, RemoteJson.Number(p[1]) ?? double.NaN))
            .Where(p => double.IsFinite(p.Item1) && double.IsFinite(p.Item2)).ToArray();
        var coordinates = geometry?["coordinates"] as JsonArray ?? [];
        switch (RemoteJson.Text(geometry?["type"]))
        {
            case "Polygon":
                rings.Add(Ring(coordinates));
                break;
            case "MultiPolygon":
                rings.AddRange(coordinates.Select(Ring));
                break;
        }

        return [.. rings.Where(r => r.Length >= 3)];
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
