using System.Globalization;
using System.Text;
using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.Json;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Dataset.Cards;

/// <summary>One tile of a dataset: where it came from and how much of it is valid.</summary>
/// <param name="Index">0-based tile index (the position in the sorted file list).</param>
/// <param name="Scene">Source scene id.</param>
/// <param name="Row">Tile row in the scene's tile grid.</param>
/// <param name="Col">Tile column in the scene's tile grid.</param>
/// <param name="X">First column of the tile on the scene's base grid.</param>
/// <param name="Y">First row of the tile on the scene's base grid.</param>
/// <param name="Size">Tile edge on the base grid.</param>
/// <param name="ValidFraction">Fraction of base-grid pixels valid in every band.</param>
/// <param name="Epsg">EPSG code of the scene CRS, if any.</param>
/// <param name="Footprint">Corners (x, y) in the scene CRS: upper-left, upper-right, lower-right, lower-left.</param>
public sealed record TileRecord(int Index, string Scene, int Row, int Col, int X, int Y, int Size, double ValidFraction,
    int? Epsg, double[][] Footprint)
{
    /// <summary>The tile's file name.</summary>
    public string Name => DatasetLayout.TileFileName(Index)[..^4];
}

/// <summary>Writes and reads <c>tiles.geojson</c>: one polygon feature per tile, as RFC 7946 wants it: in WGS 84
/// longitude and latitude (the tile's corners transformed by GDAL's OSR, the ring counter-clockwise, split at the
/// antimeridian into a MultiPolygon where it crosses it), with the tile's bounds in the scene CRS
/// (<c>projectedBounds</c>: min x, min y, max x, max y) and that CRS's EPSG code as properties, so nothing of the
/// projected grid is lost.</summary>
public static class TileIndex
{
    /// <summary>Decimal places of the longitudes and latitudes written (about a centimetre).</summary>
    public const int Decimals = 7;

    /// <summary>The GeoJSON text for the tiles, one feature per line.</summary>
    /// <param name="tiles">The tiles, in index order.</param>
    /// <param name="scenes">The dataset's scenes (the CRS of each tile's scene).</param>
    /// <exception cref="DataException">A tile's scene is not among <paramref name="scenes"/>, or its footprint has no
    /// WGS 84 image.</exception>
    public static string ToGeoJson(IEnumerable<TileRecord> tiles, IReadOnlyList<CardScene> scenes)
    {
        var inv = CultureInfo.InvariantCulture;
        var transforms = new Dictionary<string, LonLatTransform?>(StringComparer.Ordinal);
        try
        {
            var sb = new StringBuilder("{\"type\": \"FeatureCollection\", \"features\": [\n");
            var first = true;
            foreach (var t in tiles)
            {
                if (!first)
                {
                    sb.Append(",\n");
                }

                first = false;
                if (!transforms.TryGetValue(t.Scene, out var transform))
                {
                    var wkt = scenes.FirstOrDefault(s => s.Id == t.Scene)?.CrsWkt
                        ?? throw new DataException($"tile {t.Index}: scene '{t.Scene}' is not among the dataset's scenes");
                    transform = transforms[t.Scene] = wkt.Length == 0 ? null : LonLatTransform.From(Crs.FromWkt(wkt, t.Scene));
                }

                var bounds = Bounds(t.Footprint);
                var geometry = transform is null ? "null" : Geometry(transform.Footprint(bounds, 1).Rounded(Decimals));
                sb.Append(inv, $"{{\"type\": \"Feature\", \"id\": {t.Index}, \"geometry\": {geometry}, ");
                sb.Append(inv, $"\"properties\": {{\"index\": {t.Index}, \"name\": \"{t.Name}\", \"scene\": " +
                    $"{JsonSerializer.Serialize(t.Scene, JsonDefaults.Compact)}, ");
                sb.Append(inv, $"\"row\": {t.Row}, \"col\": {t.Col}, \"x\": {t.X}, \"y\": {t.Y}, \"size\": {t.Size}, ");
                sb.Append(inv, $"\"validFraction\": {t.ValidFraction.ToString("R", inv)}, \"epsg\": " +
                    $"{(t.Epsg is { } e ? e.ToString(inv) : "null")}, \"projectedBounds\": [{Number(bounds.MinX)}, " +
                    $"{Number(bounds.MinY)}, {Number(bounds.MaxX)}, {Number(bounds.MaxY)}]}}}}");
            }

            sb.Append("\n]}\n");
            return sb.ToString();
        }
        finally
        {
            foreach (var transform in transforms.Values)
            {
                transform?.Dispose();
            }
        }
    }

    /// <summary>A GeoJSON Polygon, or a MultiPolygon across the antimeridian.</summary>
    private static string Geometry(LonLatFootprint footprint)
    {
        static string Ring((double Lon, double Lat)[] ring) =>
            "[[" + string.Join(", ", ring.Select(p => $"[{Number(p.Lon)}, {Number(p.Lat)}]")) + "]]";
        return footprint.Polygons.Count == 1
            ? $"{{\"type\": \"Polygon\", \"coordinates\": {Ring(footprint.Polygons[0])}}}"
            : $"{{\"type\": \"MultiPolygon\", \"coordinates\": [{string.Join(", ", footprint.Polygons.Select(Ring))}]}}";
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static MapBounds Bounds(double[][] corners) => new(corners.Min(c => c[0]), corners.Min(c => c[1]),
        corners.Max(c => c[0]), corners.Max(c => c[1]));

    /// <summary>Reads the tiles of a <c>tiles.geojson</c>, in index order.</summary>
    /// <exception cref="DataException">The file is missing or not a tile index.</exception>
    public static IReadOnlyList<TileRecord> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataException($"{path}: missing; the dataset's tile index is gone (deleted or not copied): copy it back " +
                $"from where the dataset came from, or rebuild the dataset with 'lstpipe crop --force'");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var tiles = new List<TileRecord>();
            foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var p = f.GetProperty("properties");
                var footprint = p.TryGetProperty("projectedBounds", out var b)
                    ? Corners(b[0].GetDouble(), b[1].GetDouble(), b[2].GetDouble(), b[3].GetDouble())
                    : f.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray() // before lstpipe wrote WGS 84
                        .Select(c => new[] { c[0].GetDouble(), c[1].GetDouble() }).SkipLast(1).ToArray();
                tiles.Add(new TileRecord(
                    p.GetProperty("index").GetInt32(), p.GetProperty("scene").GetString() ?? "",
                    p.GetProperty("row").GetInt32(), p.GetProperty("col").GetInt32(),
                    p.GetProperty("x").GetInt32(), p.GetProperty("y").GetInt32(), p.GetProperty("size").GetInt32(),
                    p.GetProperty("validFraction").GetDouble(),
                    p.GetProperty("epsg").ValueKind == JsonValueKind.Null ? null : p.GetProperty("epsg").GetInt32(),
                    footprint));
            }

            for (var i = 0; i < tiles.Count; i++)
            {
                if (tiles[i].Index != i)
                {
                    throw new DataException($"{path}: tile {i} has index {tiles[i].Index}; the index is out of order or incomplete");
                }
            }

            return tiles;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new DataException($"{path}: not a valid tile index: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>A north-up tile's corners: upper-left, upper-right, lower-right, lower-left.</summary>
    private static double[][] Corners(double minX, double minY, double maxX, double maxY) =>
        [[minX, maxY], [maxX, maxY], [maxX, minY], [minX, minY]];
}
