using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Dataset;
using LstPipe.Dataset.Export;
using LstPipe.Pipelines.Recipes;
using LstPipe.Pipelines.Stages;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Pipelines.Catalog;

/// <summary>
/// A STAC 1.0.0 catalog of what a pipeline built, rewritten after each unsharded run from the stages that are up to
/// date: <c>catalog.json</c>; a collection per source product (the sensor recipe's name, or <c>synthetic</c>) with an
/// item per region's scene (LST, guidance and manifest assets); a collection per built dataset with one item (card,
/// tile footprints, split files and Parquet shards). Geometry and bbox are in WGS84 (the projected footprint's
/// bounds), <c>proj:epsg</c>, <c>proj:shape</c> and <c>proj:transform</c> come from the grid (projection extension
/// 1.1.0), and every href is relative, so the catalog moves with the data.
/// </summary>
public static class StacCatalog
{
    /// <summary>The STAC version written.</summary>
    public const string Version = "1.0.0";

    /// <summary>The projection extension's schema.</summary>
    public const string ProjectionExtension = "https://stac-extensions.github.io/projection/v1.1.0/schema.json";

    private const string GeoTiff = "image/tiff; application=geotiff";

    private sealed record SceneItem(string Collection, string Id, JsonObject Item, MapBounds Wgs84, string Datetime);

    /// <summary>Writes the catalog of <paramref name="recipe"/> into its catalog folder.</summary>
    public static void Write(PipelineRecipe recipe, StagePlan plan, StageRecords records)
    {
        var root = recipe.Catalog;
        var scenes = new List<SceneItem>();
        foreach (var region in recipe.Regions)
        {
            if (records.Status(plan["ingest:" + region.Name]).UpToDate)
            {
                scenes.Add(SceneEntry(recipe, region));
            }
        }

        var children = new List<(string Id, string Href)>();
        foreach (var group in scenes.GroupBy(s => s.Collection))
        {
            var items = group.ToList();
            var description = group.Key == "synthetic" ? "Synthetic scenes made by lstpipe's " +
                "generator" : $"Scenes ingested with the {group.Key} recipe";
            WriteCollection(root, group.Key, description, items.Select(i => (i.Id, i.Item, i.Wgs84, i.Datetime)).ToList());
            children.Add((group.Key, $"./{group.Key}/collection.json"));
        }

        var dataset = StagePlan.DatasetPath(recipe);
        if (records.Status(plan["assemble"]).UpToDate && scenes.Count > 0)
        {
            var id = recipe.Name + "-dataset";
            var (item, bounds, start, end) = DatasetItem(recipe, dataset, id, scenes);
            WriteCollection(root, id, $"The {recipe.Name} downscaling dataset built by lstpipe (GrokLST " +
                $"layout)", [(recipe.Name, item, bounds, start)], end);
            children.Add((id, $"./{id}/collection.json"));
        }

        var catalog = new JsonObject
        {
            ["type"] = "Catalog",
            ["stac_version"] = Version,
            ["id"] = recipe.Name,
            ["description"] = recipe.Description ?? $"Scenes and datasets of the {recipe.Name} pipeline",
            ["links"] = new JsonArray([Link("root", "./catalog.json", "application/json"), .. children.Select(c => Link("child",
                c.Href, "application/json", c.Id))]),
        };
        Directory.CreateDirectory(root);
        Save(Path.Combine(root, "catalog.json"), catalog);
    }

    private static SceneItem SceneEntry(PipelineRecipe recipe, RegionSpec region)
    {
        var scene = SceneFolder.Open(StagePlan.ScenePath(recipe, region.Name));
        var m = scene.Manifest;
        var collection = region.Synthetic is not null ? "synthetic" : Ingest.Recipes.IngestRecipe.Load(region.SensorRecipe!).Name;
        var grid = new RasterGrid(m.Crs.Wkt, m.Transform, m.Width, m.Height);
        var wgs84 = Crs.FromWkt(m.Crs.Wkt).TransformBounds(grid.Bounds, Crs.FromEpsg(4326));
        var datetime = Rfc3339(region.Datetime ?? m.Provenance.Acquired ?? (region.Synthetic is not null ? "2000-01-01T00:00:00Z" : null))
            ?? throw new Core.Errors.DataException($"{scene.Directory}: the product gives no acquisition time; add 'datetime:' " +
                $"to region '{region.Name}' in {recipe.Path}");
        var itemDir = Path.Combine(recipe.Catalog, collection, region.Name);
        string Href(string file) => Path.GetRelativePath(itemDir, file).Replace('\\', '/');
        var properties = new JsonObject
        {
            ["datetime"] = datetime,
            ["proj:epsg"] = m.Crs.Epsg,
            ["proj:shape"] = new JsonArray(m.Height, m.Width),
            ["proj:transform"] = new JsonArray(m.GeoTransform[1], m.GeoTransform[2], m.GeoTransform[0], m.GeoTransform[4],
                m.GeoTransform[5], m.GeoTransform[3]),
            ["lstpipe:region"] = region.Name,
        };
        if (m.Provenance.Sensor is { } sensor)
        {
            properties["lstpipe:sensor"] = sensor;
        }

        var item = new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = Version,
            ["stac_extensions"] = new JsonArray(ProjectionExtension),
            ["id"] = region.Name,
            ["collection"] = collection,
            ["geometry"] = Polygon(wgs84),
            ["bbox"] = Bbox(wgs84),
            ["properties"] = properties,
            ["assets"] = new JsonObject
            {
                ["lst"] = Asset(Href(scene.LstPath), GeoTiff, "LST (K) on the 30 m grid", "data"),
                ["guidance"] = Asset(Href(scene.GuidancePath), GeoTiff, "Guidance channels: " + string.Join(", ",
                    m.Guidance.Bands.Select(b => b.Name)), "data"),
                ["manifest"] = Asset(Href(Path.Combine(scene.Directory, SceneFolder.ManifestFileName)), "application/json",
                    "Scene manifest with provenance", "metadata"),
            },
            ["links"] = ItemLinks(),
        };
        return new SceneItem(collection, region.Name, item, wgs84, datetime);
    }

    private static (JsonObject Item, MapBounds Bounds, string Start, string End) DatasetItem(PipelineRecipe recipe,
        string dataset, string collection, IReadOnlyList<SceneItem> scenes)
    {
        var card = DatasetFolder.Load(dataset).Card;
        var itemDir = Path.Combine(recipe.Catalog, collection, recipe.Name);
        string Href(string file) => Path.GetRelativePath(itemDir, file).Replace('\\', '/');
        var bounds = scenes.Select(s => s.Wgs84).Aggregate(Union);
        var times = scenes.Select(s => s.Datetime).Order(StringComparer.Ordinal).ToArray();
        var assets = new JsonObject
        {
            ["card"] = Asset(Href(Path.Combine(dataset, DatasetLayout.CardFileName)), "application/json", "Dataset card: tiles, " +
                "scales, statistics, provenance", "metadata"),
            ["tiles"] = Asset(Href(Path.Combine(dataset, DatasetLayout.TilesFileName)), "application/geo+json",
                "Tile footprints", "metadata"),
        };
        var split = Path.Combine(dataset, DatasetLayout.SplitFolder);
        foreach (var f in Directory.Exists(split) ? Directory.GetFiles(split, "*.txt").Order(StringComparer.Ordinal).ToArray() : [])
        {
            assets["split-" + Path.GetFileNameWithoutExtension(f)] = Asset(Href(f), "text/plain", "Tile names of a split", "metadata");
        }

        var parquet = Path.Combine(dataset, ParquetExporter.Folder);
        foreach (var f in Directory.Exists(parquet) ? Directory.GetFiles(parquet, "*.parquet").Order(StringComparer.Ordinal).ToArray() : [])
        {
            assets["parquet-" + Path.GetFileNameWithoutExtension(f)] = Asset(Href(f), "application/vnd.apache.parquet",
                "Tiles as Parquet rows", "data");
        }

        var epsgs = card.Scenes.Select(s => s.Epsg).Distinct().ToArray();
        var item = new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = Version,
            ["stac_extensions"] = new JsonArray(ProjectionExtension),
            ["id"] = recipe.Name,
            ["collection"] = collection,
            ["geometry"] = new JsonObject
            {
                ["type"] = "MultiPolygon",
                ["coordinates"] = new JsonArray([.. scenes.Select(s => Polygon(s.Wgs84)["coordinates"]!.DeepClone())]),
            },
            ["bbox"] = Bbox(bounds),
            ["properties"] = new JsonObject
            {
                ["datetime"] = null,
                ["start_datetime"] = times[0],
                ["end_datetime"] = times[^1],
                ["proj:epsg"] = epsgs.Length == 1 ? epsgs[0] : null,
                ["lstpipe:tiles"] = card.TileCount,
                ["lstpipe:tile_size"] = card.TileSize,
                ["lstpipe:scales"] = new JsonArray([.. card.Scales.Select(s => (JsonNode)s.Label)]),
                ["lstpipe:regions"] = new JsonArray([.. scenes.Select(s => (JsonNode)s.Id)]),
            },
            ["assets"] = assets,
            ["links"] = ItemLinks(),
        };
        return (item, bounds, times[0], times[^1]);
    }

    private static void WriteCollection(string root, string id, string description, List<(string Id, JsonObject Item,
        MapBounds Bounds, string Datetime)> items, string? end = null)
    {
        var folder = Path.Combine(root, id);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var bounds = items.Select(i => i.Bounds).Aggregate(Union);
        var times = items.Select(i => i.Datetime).Append(end).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var collection = new JsonObject
        {
            ["type"] = "Collection",
            ["stac_version"] = Version,
            ["stac_extensions"] = new JsonArray(),
            ["id"] = id,
            ["description"] = description,
            ["license"] = "various",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(Bbox(bounds)) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray(times[0], times[^1])) },
            },
            ["links"] = new JsonArray([
                Link("root", "../catalog.json", "application/json"),
                Link("parent", "../catalog.json", "application/json"),
                .. items.Select(i => Link("item", $"./{i.Id}/{i.Id}.json", "application/geo+json"))]),
        };
        Directory.CreateDirectory(folder);
        Save(Path.Combine(folder, "collection.json"), collection);
        foreach (var (itemId, item, _, _) in items)
        {
            Directory.CreateDirectory(Path.Combine(folder, itemId));
            Save(Path.Combine(folder, itemId, itemId + ".json"), item);
        }
    }

    private static JsonArray ItemLinks() => new(
        Link("root", "../../catalog.json", "application/json"),
        Link("parent", "../collection.json", "application/json"),
        Link("collection", "../collection.json", "application/json"));

    private static JsonObject Link(string rel, string href, string type, string? title = null)
    {
        var link = new JsonObject { ["rel"] = rel, ["href"] = href, ["type"] = type };
        if (title is not null)
        {
            link["title"] = title;
        }

        return link;
    }

    private static JsonObject Asset(string href, string type, string title, string role) =>
        new() { ["href"] = href, ["type"] = type, ["title"] = title, ["roles"] = new JsonArray(role) };

    private static MapBounds Union(MapBounds a, MapBounds b) =>
        new(Math.Min(a.MinX, b.MinX), Math.Min(a.MinY, b.MinY), Math.Max(a.MaxX, b.MaxX), Math.Max(a.MaxY, b.MaxY));

    private static JsonArray Bbox(MapBounds b) => new(Round(b.MinX), Round(b.MinY), Round(b.MaxX), Round(b.MaxY));

    private static JsonObject Polygon(MapBounds b) => new()
    {
        ["type"] = "Polygon",
        ["coordinates"] = new JsonArray(new JsonArray(
            new JsonArray(Round(b.MinX), Round(b.MinY)), new JsonArray(Round(b.MaxX),
                Round(b.MinY)), new JsonArray(Round(b.MaxX), Round(b.MaxY)),
            new JsonArray(Round(b.MinX), Round(b.MaxY)), new JsonArray(Round(b.MinX), Round(b.MinY)))),
    };

    private static double Round(double v) => Math.Round(v, 7);

    private static string? Rfc3339(string? text) =>
        text is not null && DateTime.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : null;

    private static void Save(string path, JsonObject node) =>
        AtomicFile.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
