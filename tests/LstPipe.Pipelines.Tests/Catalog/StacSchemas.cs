using System.Text.Json.Nodes;
using Json.Schema;

namespace LstPipe.Pipelines.Tests.Catalog;

/// <summary>
/// Validates STAC files against the official JSON schemas of STAC 1.0.0 (catalog, collection, item), the projection
/// extension 1.1.0 and GeoJSON, kept in <c>tests/data/stac-schemas</c> and registered under their <c>$id</c>, so that
/// every <c>$ref</c> resolves without the network (JsonSchema.Net, draft-07, as the STAC validators do).
/// </summary>
internal static class StacSchemas
{
    private static readonly Lazy<EvaluationOptions> Options = new(Load);

    private static EvaluationOptions Load()
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        foreach (var file in Directory.GetFiles(RepoPaths.Data("stac-schemas"), "*.json", SearchOption.AllDirectories))
        {
            options.SchemaRegistry.Register(JsonSchema.FromText(File.ReadAllText(file)));
        }

        return options;
    }

    private static JsonSchema Schema(string id) => (JsonSchema)Options.Value.SchemaRegistry.Get(new Uri(id));

    /// <summary>The schema errors of a STAC file (its core schema by <c>type</c>, then each extension's), one line
    /// each; empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        var core = node["type"]!.GetValue<string>() switch
        {
            "Catalog" => "https://schemas.stacspec.org/v1.0.0/catalog-spec/json-schema/catalog.json",
            "Collection" => "https://schemas.stacspec.org/v1.0.0/collection-spec/json-schema/collection.json",
            "Feature" => "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json",
            var t => throw new Xunit.Sdk.XunitException($"{path}: type {t} is not a STAC type"),
        };
        var schemas = new List<string> { core };
        schemas.AddRange((node["stac_extensions"]?.AsArray() ?? []).Select(e => e!.GetValue<string>()));
        var errors = new List<string>();
        foreach (var id in schemas)
        {
            var result = Schema(id).Evaluate(node, Options.Value);
            if (!result.IsValid)
            {
                errors.AddRange(result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e =>
                    $"{path}: {id}: {d.InstanceLocation} {e.Key}: {e.Value}")));
            }
        }

        return errors;
    }

    /// <summary>Validates every STAC file reachable from a catalog (links root, child and item), and returns how many
    /// there are.</summary>
    public static int AssertValid(string catalogPath)
    {
        var files = Reachable(Path.GetFullPath(catalogPath)).ToList();
        var errors = files.SelectMany(Errors).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        return files.Count;
    }

    private static IEnumerable<string> Reachable(string path)
    {
        yield return path;
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var link in node["links"]!.AsArray().Where(l => l!["rel"]!.GetValue<string>() is "child" or "item"))
        {
            foreach (var f in Reachable(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, link!["href"]!.GetValue<string>()))))
            {
                yield return f;
            }
        }
    }
}
