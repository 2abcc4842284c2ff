using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Core.Units;
using LstPipe.Pipelines.Recipes;
using LstPipe.Raster.Gdal;

namespace LstPipe.Pipelines.Catalog;

/// <summary>Where a catalog's files go and how they point at the data: collections in <c>CATALOG/collections/ID/</c>,
/// items in <c>CATALOG/collections/ID/ITEM/ITEM.json</c>; asset hrefs relative to the item (the catalog holds the output
/// folder) or, with an href base, that base followed by the file's path under the output folder.</summary>
/// <param name="Recipe">The pipeline.</param>
/// <param name="HrefBase">Where the output folder is served, or null for relative hrefs.</param>
internal sealed record StacLayout(PipelineRecipe Recipe, string? HrefBase)
{
    /// <summary>The folder of the collections (final path).</summary>
    public string Collections => Path.Combine(Recipe.Catalog, "collections");

    /// <summary>An item's folder (final path).</summary>
    public string ItemFolder(string collection, string item) => Path.Combine(Collections, collection, item);

    /// <summary>The href of <paramref name="file"/> from an item in <paramref name="itemFolder"/>.</summary>
    /// <exception cref="DataException">With an href base, the file lies outside the output folder.</exception>
    public string AssetHref(string itemFolder, string file)
    {
        if (HrefBase is null)
        {
            return Path.GetRelativePath(itemFolder, file).Replace('\\', '/');
        }

        var relative = Path.GetRelativePath(Recipe.Output, file);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new DataException($"{file}: lies outside the output folder {Recipe.Output}; no href under --catalog-href-base");
        }

        return HrefBase + "/" + string.Join("/", relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies inside it.</summary>
    public static bool Holds(string folder, string path)
    {
        var f = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var p = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return p == f || p.StartsWith(f + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}

/// <summary>The JSON pieces of a STAC catalog: links, assets, GeoJSON geometry and bbox, and the file writer.</summary>
internal static class StacJson
{
    /// <summary>Decimal places of longitudes and latitudes (about a centimetre).</summary>
    public const int Decimals = 7;

    /// <summary>A link object (<c>rel</c>, <c>href</c>, <c>type</c>, optional <c>title</c>).</summary>
    public static JsonObject Link(string rel, string href, string type, string? title = null)
    {
        var link = new JsonObject { ["rel"] = rel, ["href"] = href, ["type"] = type };
        if (title is not null)
        {
            link["title"] = title;
        }

        return link;
    }

    /// <summary>An asset object with one role.</summary>
    public static JsonObject Asset(string href, string type, string title, string role) =>
        new() { ["href"] = href, ["type"] = type, ["title"] = title, ["roles"] = new JsonArray(role) };

    /// <summary>A bbox array: west, south, east, north.</summary>
    public static JsonArray Bbox(MapBounds b) => new(b.MinX, b.MinY, b.MaxX, b.MaxY);

    /// <summary>The rings of one or more footprints as a GeoJSON Polygon (one ring) or MultiPolygon.</summary>
    public static JsonObject Geometry(IEnumerable<LonLatFootprint> footprints)
    {
        var polygons = footprints.SelectMany(f => f.Polygons).Select(ring => new JsonArray(new JsonArray([.. ring.Select(p =>
            (JsonNode)new JsonArray(p.Lon, p.Lat))]))).ToArray();
        return polygons.Length == 1
            ? new JsonObject { ["type"] = "Polygon", ["coordinates"] = polygons[0] }
            : new JsonObject { ["type"] = "MultiPolygon", ["coordinates"] = new JsonArray(polygons) };
    }

    /// <summary>The union of several footprints as one valid GeoJSON geometry (OGR): a Polygon where they overlap or
    /// touch, a MultiPolygon of the apart ones.</summary>
    /// <exception cref="DataException">OGR cannot union them.</exception>
    public static JsonObject Union(IEnumerable<LonLatFootprint> footprints, string source) =>
        (JsonObject)JsonNode.Parse(FootprintUnion.GeoJson(footprints, source))!;

    /// <summary>Writes a STAC file: indented, text escaped only where JSON needs it.</summary>
    public static void Save(string path, JsonObject node)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, node.ToJsonString(JsonDefaults.Options) + "\n");
    }
}
