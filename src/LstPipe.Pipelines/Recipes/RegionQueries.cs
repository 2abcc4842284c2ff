using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Ingest.Stac;

namespace LstPipe.Pipelines.Recipes;

/// <summary>
/// Regions given as STAC API queries, resolved once: the items a query picks are pinned in
/// <c>OUT/.lstpipe/queries/REGION.json</c> with the query that found them, so a re-run ingests the same products
/// whatever the archive has gained since; a changed query, or <c>--requery</c>, searches again. A query that picks
/// every item (<c>pick: all</c>) makes one region per item, named after the region and the item's date.
/// </summary>
public static class RegionQueries
{
    /// <summary>The recipe with each query region resolved into its item(s).</summary>
    /// <param name="recipe">The recipe.</param>
    /// <param name="requery">Search again even where a pin of the same query exists.</param>
    /// <param name="pin">Write what a search picked (a run); false leaves the output folder as it is (<c>status</c>).</param>
    /// <param name="log">Receives a line per search and per network retry.</param>
    /// <exception cref="DataException">A query finds nothing, or the API fails.</exception>
    public static PipelineRecipe Resolve(PipelineRecipe recipe, bool requery, bool pin, Action<string>? log = null)
    {
        if (recipe.Regions.All(r => r.Stac is null))
        {
            return recipe;
        }

        using var client = new StacApiClient(log: log);
        var regions = new List<RegionSpec>();
        foreach (var region in recipe.Regions)
        {
            if (region.Stac is not { } query)
            {
                regions.Add(region);
                continue;
            }

            var pinned = requery ? null : Pinned(recipe, region.Name, query);
            var items = pinned ?? Search(client, region, query, log);
            if (pinned is null && pin)
            {
                Pin(recipe, region.Name, query, items);
            }

            regions.AddRange(Expand(region, items));
        }

        return recipe with { Regions = regions };
    }

    /// <summary>What <c>status</c> says of each query region whose pinned items a search now would not pick: region
    /// name and the line to show.</summary>
    public static IReadOnlyDictionary<string, string> Changes(PipelineRecipe recipe, Action<string>? log = null)
    {
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var queried = recipe.Regions.Where(r => r.Stac is not null).ToArray();
        if (queried.Length == 0)
        {
            return notes;
        }

        using var client = new StacApiClient(log: log);
        foreach (var region in queried)
        {
            var pinned = Pinned(recipe, region.Name, region.Stac!);
            if (pinned is null)
            {
                notes[region.Name] = "the query is not resolved yet: 'lstpipe run' searches and pins what it picks";
                continue;
            }

            try
            {
                var now = region.Stac!.Choose(client.Search(region.Stac!)).Select(i => i.Id).ToArray();
                var then = pinned.Select(i => i.Id).ToArray();
                if (!now.SequenceEqual(then))
                {
                    notes[region.Name] = $"the query would now pick {Ids(now)} in place of the pinned {Ids(then)}; " +
                        $"'lstpipe run --requery' takes the new pick";
                }
            }
            catch (LstPipeException e)
            {
                notes[region.Name] = $"cannot check the query against the API now ({e.Message})";
            }
        }

        return notes;
    }

    /// <summary>Where a region's pin lies.</summary>
    public static string PinPath(PipelineRecipe recipe, string region) =>
        Path.Combine(recipe.Output, ".lstpipe", "queries", region + ".json");

    private static IReadOnlyList<StacItem> Search(StacApiClient client, RegionSpec region, StacQuery query, Action<string>? log)
    {
        log?.Invoke($"region {region.Name}: searching {query.Collection} at {query.Api}");
        foreach (var warning in query.Warnings())
        {
            log?.Invoke($"region {region.Name}: {warning}");
        }

        var found = client.Search(query);
        var picked = query.Choose(found);
        var best = found.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $" ({found.Count} item(s) found cover at most {100 * found.Max(i => i.Overlap(query.Bbox!.Value)):0}% of it; " +
                $"a pick must cover {100 * StacQuery.MinOverlap:0}%)");
        return picked.Count > 0 ? picked : throw new DataException(string.Create(CultureInfo.InvariantCulture,
            $"region '{region.Name}': no item of {query.Collection} at {query.Api} covers bbox " +
                $"{new StacQuery.BboxParser().Format(query.Bbox!.Value)} in {query.Datetime ?? "any time"}" +
                    $"{(query.MaxCloud is { } m ? $" with at most {m}% cloud" : "")}{best}; widen the dates or max_cloud, or " +
                        $"move the bbox"));
    }

    private static IEnumerable<RegionSpec> Expand(RegionSpec region, IReadOnlyList<StacItem> items)
    {
        if (region.Stac!.Pick != StacPick.All)
        {
            yield return region with { Item = items[0] };
            yield break;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var name = region.Name + "-" + (item.Datetime?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? "item");
            for (var n = 2; !used.Add(name); n++)
            {
                name = $"{region.Name}-{item.Datetime?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? "item"}-{n}";
            }

            yield return region with { Name = name, Item = item };
        }
    }

    private static string Key(StacQuery query) => JsonSerializer.Serialize(query, JsonDefaults.Compact);

    private static IReadOnlyList<StacItem>? Pinned(PipelineRecipe recipe, string region, StacQuery query)
    {
        var path = PinPath(recipe, region);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var pin = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (pin?["query"]?.ToJsonString(JsonDefaults.Compact) != JsonNode.Parse(Key(query))!.ToJsonString(JsonDefaults.Compact)
                || pin["items"] is not JsonArray items || items.Count == 0 || items.Any(i => i is not JsonObject))
            {
                return null;
            }

            return [.. items.Select(i => StacItem.Parse((JsonObject)i!, path))];
        }
        catch (Exception e) when (e is JsonException or DataException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void Pin(PipelineRecipe recipe, string region, StacQuery query, IReadOnlyList<StacItem> items)
    {
        var path = PinPath(recipe, region);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, new JsonObject
        {
            ["query"] = JsonNode.Parse(Key(query)),
            ["resolved"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i.Json.DeepClone())]),
        }.ToJsonString(JsonDefaults.Options) + "\n");
    }

    private static string Ids(IReadOnlyList<string> ids) => ids.Count == 0 ? "nothing" : string.Join(", ", ids);
}
