using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Dataset;
using LstPipe.Dataset.Export;
using LstPipe.Pipelines.Recipes;
using LstPipe.Pipelines.Stages;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using static LstPipe.Pipelines.Catalog.StacJson;

namespace LstPipe.Pipelines.Catalog;

/// <summary>A region's scene as a STAC item, with what its collection needs.</summary>
/// <param name="Collection">The collection id (the source product's recipe name, or <c>synthetic</c>).</param>
/// <param name="Id">The item id (the region's name).</param>
/// <param name="Item">The item.</param>
/// <param name="Footprint">The footprint in WGS 84, rounded.</param>
/// <param name="Datetime">The acquisition time (RFC 3339).</param>
/// <param name="License">The source product's licence.</param>
/// <param name="Title">The collection's title.</param>
internal sealed record SceneItem(string Collection, string Id, JsonObject Item, LonLatFootprint Footprint, string Datetime,
    StacLicense License, string Title);

/// <summary>The items of a pipeline's catalog: a region's scene, and the dataset.</summary>
internal static partial class StacItems
{
    /// <summary>The STAC version written.</summary>
    public const string Version = "1.0.0";

    /// <summary>The projection extension's schema.</summary>
    public const string ProjectionExtension = "https://stac-extensions.github.io/projection/v1.1.0/schema.json";

    /// <summary>Segments each edge of a scene is cut into before it is transformed to WGS 84.</summary>
    public const int SegmentsPerEdge = 16;

    [GeneratedRegex(@"T\d{2}:\d{2}:\d{2}\.(\d+)")]
    private static partial Regex Fraction();

    /// <summary>The item of a region's scene (its footprint transformed to WGS 84, its assets), with what its
    /// collection needs (title, licence).</summary>
    /// <exception cref="DataException">The scene gives no acquisition time and the recipe none either.</exception>
    public static SceneItem Scene(StacLayout layout, RegionSpec region)
    {
        var recipe = layout.Recipe;
        var scene = SceneFolder.Open(StagePlan.ScenePath(recipe, region.Name));
        var m = scene.Manifest;
        var sensor = region.Synthetic is null ? Ingest.Recipes.IngestRecipe.Load(region.SensorRecipe!) : null;
        var collection = sensor?.Name ?? "synthetic";
        var grid = new RasterGrid(m.Crs.Wkt, m.Transform, m.Width, m.Height);
        using var transform = LonLatTransform.From(Crs.FromWkt(m.Crs.Wkt, scene.Directory));
        var footprint = transform.Footprint(grid.Bounds, SegmentsPerEdge).Rounded(Decimals);
        var datetime = Rfc3339(region.Datetime ?? m.Provenance.Acquired ?? (region.Synthetic is not null ? "2000-01-01T00:00:00Z" : null))
            ?? throw new DataException($"{scene.Directory}: the product gives no acquisition time; add 'datetime:' " +
                $"to region '{region.Name}' in {recipe.Path}");
        var itemDir = layout.ItemFolder(collection, region.Name);
        var properties = new JsonObject
        {
            ["datetime"] = datetime,
            ["proj:epsg"] = m.Crs.Epsg,
            ["proj:shape"] = new JsonArray(m.Height, m.Width),
            ["proj:transform"] = new JsonArray(m.GeoTransform[1], m.GeoTransform[2], m.GeoTransform[0], m.GeoTransform[4],
                m.GeoTransform[5], m.GeoTransform[3]),
            ["lstpipe:region"] = region.Name,
        };
        if (m.Provenance.Sensor is { } name)
        {
            properties["lstpipe:sensor"] = name;
        }

        var item = Item(region.Name, collection, Geometry([footprint]), footprint.Bbox, properties, new JsonObject
        {
            ["lst"] = Asset(layout.AssetHref(itemDir, scene.LstPath), GeoTiffOptions.CloudOptimizedMediaType,
                "LST (K) on the 30 m grid", "data"),
            ["guidance"] = Asset(layout.AssetHref(itemDir, scene.GuidancePath), GeoTiffOptions.CloudOptimizedMediaType,
                "Guidance channels: " + string.Join(", ", m.Guidance.Bands.Select(b => b.Name)), "data"),
            ["manifest"] = Asset(layout.AssetHref(itemDir, Path.Combine(scene.Directory, SceneFolder.ManifestFileName)),
                "application/json", "Scene manifest with provenance", "metadata"),
        });
        var title = sensor is null ? "Synthetic scenes (lstpipe's generator)" : sensor.Description ?? $"{sensor.Name} scenes";
        var license = sensor is null ? StacLicense.Project : StacLicense.Of(sensor.Product);
        return new SceneItem(collection, region.Name, item, footprint, datetime, license, title);
    }

    /// <summary>The item of the assembled dataset: the union of its scenes' footprints (one valid Polygon or
    /// MultiPolygon), the card, tile footprints, split files and Parquet shards.</summary>
    public static (JsonObject Item, MapBounds Bounds, string Start, string End) Dataset(StacLayout layout, string collection,
        IReadOnlyList<SceneItem> scenes)
    {
        var recipe = layout.Recipe;
        var dataset = StagePlan.DatasetPath(recipe);
        var card = DatasetFolder.Load(dataset).Card;
        var itemDir = layout.ItemFolder(collection, recipe.Name);
        string Href(string file) => layout.AssetHref(itemDir, file);
        var bounds = scenes.Select(s => s.Footprint.Bbox).Aggregate(LonLatFootprint.Union);
        var times = scenes.Select(s => s.Datetime).Order(StringComparer.Ordinal).ToArray();
        var assets = new JsonObject
        {
            ["card"] = Asset(Href(Path.Combine(dataset, DatasetLayout.CardFileName)), "application/json", "Dataset card: tiles, " +
                "scales, statistics, provenance", "metadata"),
            ["tiles"] = Asset(Href(Path.Combine(dataset, DatasetLayout.TilesFileName)), "application/geo+json",
                "Tile footprints (WGS 84; projected bounds and EPSG code as properties)", "metadata"),
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
        var geometry = Union(scenes.Select(s => s.Footprint), $"{dataset}: the footprints of its regions");
        var item = Item(recipe.Name, collection, geometry, bounds, new JsonObject
        {
            ["datetime"] = null,
            ["start_datetime"] = times[0],
            ["end_datetime"] = times[^1],
            ["proj:epsg"] = epsgs.Length == 1 ? epsgs[0] : null,
            ["lstpipe:tiles"] = card.TileCount,
            ["lstpipe:tile_size"] = card.TileSize,
            ["lstpipe:scales"] = new JsonArray([.. card.Scales.Select(s => (JsonNode)s.Label)]),
            ["lstpipe:regions"] = new JsonArray([.. scenes.Select(s => (JsonNode)s.Id)]),
        }, assets);
        return (item, bounds, times[0], times[^1]);
    }

    /// <summary>A time as RFC 3339 in UTC, to the precision of its text (the fraction of a second kept digit for
    /// digit); null when the text is not a time.</summary>
    public static string? Rfc3339(string? text)
    {
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            return null;
        }

        var fraction = Fraction().Match(text);
        return t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) +
            (fraction.Success ? "." + fraction.Groups[1].Value : "") + "Z";
    }

    /// <summary>A STAC item (a GeoJSON Feature) with the projection extension, linked to its collection.</summary>
    private static JsonObject Item(string id, string collection, JsonObject geometry, MapBounds bbox, JsonObject properties,
        JsonObject assets) => new()
        {
            ["type"] = "Feature",
            ["stac_version"] = Version,
            ["stac_extensions"] = new JsonArray(ProjectionExtension),
            ["id"] = id,
            ["collection"] = collection,
            ["geometry"] = geometry,
            ["bbox"] = Bbox(bbox),
            ["properties"] = properties,
            ["assets"] = assets,
            ["links"] = ItemLinks(),
        };

    private static JsonArray ItemLinks() => new(
        Link("root", "../../../catalog.json", "application/json"),
        Link("parent", "../collection.json", "application/json"),
        Link("collection", "../collection.json", "application/json"));
}
