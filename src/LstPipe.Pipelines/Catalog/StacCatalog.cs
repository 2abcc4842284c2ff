using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Pipelines.Recipes;
using LstPipe.Pipelines.Stages;
using LstPipe.Raster.Gdal;
using static LstPipe.Pipelines.Catalog.StacJson;

namespace LstPipe.Pipelines.Catalog;

/// <summary>
/// A STAC 1.0.0 catalog of what a pipeline built, rewritten after each unsharded run from the stages that are up to
/// date: <c>catalog.json</c>; under <c>collections/</c>, a collection per source product (the sensor recipe's name, or
/// <c>synthetic</c>) with an item per region's scene (LST and guidance as cloud-optimized GeoTIFFs, the manifest), and
/// a collection per built dataset with one item (card, tile footprints, split files and Parquet shards); collections it
/// no longer writes are removed. Geometries are the scenes' footprints in WGS 84 (edges densified and transformed by
/// GDAL's OSR, split at the antimeridian), bboxes rounded outward, <c>proj:epsg</c>, <c>proj:shape</c> and
/// <c>proj:transform</c> come from the grid (projection extension 1.1.0), and every collection has a title and a
/// licence. The catalog is published on its own either beside the data (it holds the output folder; every href is
/// relative) or with an href base (asset hrefs under the URL where the output folder is served).
/// </summary>
public static class StacCatalog
{
    /// <summary>The STAC version written.</summary>
    public const string Version = StacItems.Version;

    /// <summary>The projection extension's schema.</summary>
    public const string ProjectionExtension = StacItems.ProjectionExtension;

    /// <summary>Refuses a catalog that could not be published on its own: without an href base it must hold the output
    /// folder, or its assets would point outside it.</summary>
    /// <exception cref="UsageException">The catalog does not hold the output and there is no href base.</exception>
    public static void CheckPlace(PipelineRecipe recipe, string? hrefBase)
    {
        if (hrefBase is null && !StacLayout.Holds(recipe.Catalog, recipe.Output))
        {
            throw new UsageException($"{recipe.CatalogAt ?? recipe.Path}: the catalog {recipe.Catalog} does not hold the output " +
                $"{recipe.Output}, so its assets would point outside it; leave 'catalog' out to write it beside the data, or " +
                $"pass --catalog-href-base with the URL where {recipe.Output} is served");
        }
    }

    /// <summary>Writes the catalog of <paramref name="recipe"/> into its catalog folder.</summary>
    /// <param name="recipe">The pipeline.</param>
    /// <param name="plan">Its stages.</param>
    /// <param name="records">Which are up to date.</param>
    /// <param name="hrefBase">Where the output folder is served (<see cref="PipelineRunOptions.CatalogHrefBase"/>), or
    /// null for relative hrefs.</param>
    /// <param name="command">Who writes it, for a refused second writer's message.</param>
    /// <exception cref="UsageException">The catalog cannot be published on its own (<see cref="CheckPlace"/>).</exception>
    public static void Write(PipelineRecipe recipe, StagePlan plan, StageRecords records, string? hrefBase, string command)
    {
        CheckPlace(recipe, hrefBase);
        var layout = new StacLayout(recipe, hrefBase);
        var scenes = recipe.Regions.Where(r => records.Status(plan["ingest:" + r.Name]).UpToDate)
            .Select(r => StacItems.Scene(layout, r)).ToList();
        var inputs = recipe.Regions.Select(r => (StagePlan.ScenePath(recipe, r.Name), "scene"))
            .Append((StagePlan.DatasetPath(recipe), "dataset"));
        var children = new List<(string Id, string Title)>();
        using (var output = OutputTransaction.Folder(layout.Collections, OutputMode.Force, command, inputs))
        {
            foreach (var group in scenes.GroupBy(s => s.Collection))
            {
                var items = group.ToList();
                var description = group.Key == "synthetic" ? "Synthetic scenes made by lstpipe's generator"
                    : $"Scenes ingested with the {group.Key} recipe";
                var license = StacLicense.Combine(items.Select(i => i.License));
                WriteCollection(output.Path, group.Key, items[0].Title, description, license,
                    [.. items.Select(i => (i.Id, i.Item, i.Footprint.Bbox, i.Datetime))], null, items.Select(i => i.License));
                children.Add((group.Key, items[0].Title));
            }

            if (records.Status(plan["assemble"]).UpToDate && scenes.Count > 0)
            {
                var id = recipe.Name + "-dataset";
                var (item, bounds, start, end) = StacItems.Dataset(layout, id, scenes);
                var title = $"{recipe.Name} downscaling dataset";
                WriteCollection(output.Path, id, title, $"The {recipe.Name} downscaling dataset built by lstpipe (GrokLST layout)",
                    StacLicense.Combine(scenes.Select(s => s.License)), [(recipe.Name, item, bounds, start)], end,
                    scenes.Select(s => s.License));
                children.Add((id, title));
            }

            output.Commit();
        }

        RemoveEarlierLayouts(recipe);
        var catalog = new JsonObject
        {
            ["type"] = "Catalog",
            ["stac_version"] = Version,
            ["id"] = recipe.Name,
            ["title"] = recipe.Name,
            ["description"] = recipe.Description ?? $"Scenes and datasets of the {recipe.Name} pipeline",
            ["links"] = new JsonArray([Link("root", "./catalog.json", "application/json"), .. children.Select(c => Link("child",
                $"./collections/{c.Id}/collection.json", "application/json", c.Title))]),
        };
        Save(Path.Combine(recipe.Catalog, "catalog.json"), catalog);
    }

    private static void WriteCollection(string folder, string id, string title, string description, StacLicense license,
        List<(string Id, JsonObject Item, MapBounds Bounds, string Datetime)> items, string? end, IEnumerable<StacLicense> sources)
    {
        var bounds = items.Select(i => i.Bounds).Aggregate(LonLatFootprint.Union);
        var times = items.Select(i => i.Datetime).Append(end).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var licenseLinks = sources.Where(s => s.Href is not null).DistinctBy(s => s.Href)
            .Select(s => Link("license", s.Href!, "text/html", s.Title));
        var collection = new JsonObject
        {
            ["type"] = "Collection",
            ["stac_version"] = Version,
            ["stac_extensions"] = new JsonArray(),
            ["id"] = id,
            ["title"] = title,
            ["description"] = description,
            ["license"] = license.Id,
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(Bbox(bounds)) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray(times[0], times[^1])) },
            },
            ["links"] = new JsonArray([
                Link("root", "../../catalog.json", "application/json"),
                Link("parent", "../../catalog.json", "application/json"),
                .. licenseLinks,
                .. items.Select(i => Link("item", $"./{i.Id}/{i.Id}.json", "application/geo+json"))]),
        };
        Save(Path.Combine(folder, id, "collection.json"), collection);
        foreach (var (itemId, item, _, _) in items)
        {
            Save(Path.Combine(folder, id, itemId, itemId + ".json"), item);
        }
    }

    /// <summary>Removes what earlier versions wrote: a collection folder right under the catalog (before
    /// <c>collections/</c>), and the catalog in <c>OUT/catalog</c> (its default place before it moved beside the data).</summary>
    private static void RemoveEarlierLayouts(PipelineRecipe recipe)
    {
        foreach (var folder in Directory.GetDirectories(recipe.Catalog))
        {
            if (File.Exists(Path.Combine(folder, "collection.json")))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        var old = Path.Combine(recipe.Output, "catalog");
        if (recipe.CatalogAt is null && File.Exists(Path.Combine(old, "catalog.json")))
        {
            Directory.Delete(old, recursive: true);
        }
    }
}
