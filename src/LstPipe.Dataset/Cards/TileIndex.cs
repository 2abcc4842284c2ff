using System.Globalization;
using System.Text;
using System.Text.Json;
using LstPipe.Core.Errors;

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

/// <summary>Writes and reads <c>tiles.geojson</c>: one polygon feature per tile, in the scene CRS.</summary>
public static class TileIndex
{
    /// <summary>The GeoJSON text for the tiles, one feature per line.</summary>
    public static string ToGeoJson(IEnumerable<TileRecord> tiles)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("{\"type\": \"FeatureCollection\", \"features\": [\n");
        var first = true;
        foreach (var t in tiles)
        {
            if (!first)
            {
                sb.Append(",\n");
            }

            first = false;
            var ring = string.Join(", ", t.Footprint.Append(t.Footprint[0]).Select(p => $"[{p[0].ToString("R", inv)}, " +
                $"{p[1].ToString("R", inv)}]"));
            sb.Append(inv, $"{{\"type\": \"Feature\", \"id\": {t.Index}, \"geometry\": {{\"type\": \"Polygon\", " +
                $"\"coordinates\": [[{ring}]]}}, ");
            sb.Append(inv, $"\"properties\": {{\"index\": {t.Index}, \"name\": \"{t.Name}\", \"scene\": " +
                $"{JsonSerializer.Serialize(t.Scene)}, ");
            sb.Append(inv, $"\"row\": {t.Row}, \"col\": {t.Col}, \"x\": {t.X}, \"y\": {t.Y}, \"size\": {t.Size}, ");
            sb.Append(inv, $"\"validFraction\": {t.ValidFraction.ToString("R", inv)}, \"epsg\": " +
                $"{(t.Epsg is { } e ? e.ToString(inv) : "null")}}}}}");
        }

        sb.Append("\n]}\n");
        return sb.ToString();
    }

    /// <summary>Reads the tiles of a <c>tiles.geojson</c>, in index order.</summary>
    /// <exception cref="DataException">The file is not a tile index.</exception>
    public static IReadOnlyList<TileRecord> Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var tiles = new List<TileRecord>();
            foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var p = f.GetProperty("properties");
                var ring = f.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray()
                    .Select(c => new[] { c[0].GetDouble(), c[1].GetDouble() }).ToArray();
                tiles.Add(new TileRecord(
                    p.GetProperty("index").GetInt32(), p.GetProperty("scene").GetString() ?? "",
                    p.GetProperty("row").GetInt32(), p.GetProperty("col").GetInt32(),
                    p.GetProperty("x").GetInt32(), p.GetProperty("y").GetInt32(), p.GetProperty("size").GetInt32(),
                    p.GetProperty("validFraction").GetDouble(),
                    p.GetProperty("epsg").ValueKind == JsonValueKind.Null ? null : p.GetProperty("epsg").GetInt32(),
                    ring[..^1]));
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
}
