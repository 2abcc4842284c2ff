using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LstPipe.Pipelines.Tests.Catalog;

/// <summary>
/// The STAC 1.0.0 rules a static catalog must keep, checked on every file reachable from <c>catalog.json</c>: the
/// required fields and their JSON types for Catalog, Collection and Item (Feature); links with rel and href that
/// resolve to files; root, parent and collection links; an Item's <c>collection</c> equal to its parent's id;
/// datetime as RFC 3339 or null with start_datetime and end_datetime; bbox of 4 numbers in WGS84 that holds the
/// GeoJSON geometry (closed rings of [lon, lat]); assets with hrefs that resolve, inside the catalog's folder (so it
/// can be published alone) or under the href base the run was given; GeoTIFFs typed as cloud-optimized; collections
/// with a title and a licence (<c>various</c> and <c>proprietary</c> with their licence links where there are terms);
/// extension schema URLs; and the projection extension's fields as integers and arrays.
/// </summary>
internal static partial class StacRules
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    /// <param name="catalogPath">The catalog's <c>catalog.json</c>.</param>
    /// <param name="expectedItems">How many items it must hold.</param>
    /// <param name="hrefBase">The run's <c>--catalog-href-base</c>, with <paramref name="output"/> the folder it serves;
    /// null: every asset href is relative and resolves inside the catalog's folder.</param>
    /// <param name="output">The output folder the href base serves.</param>
    public static void Validate(string catalogPath, int expectedItems, string? hrefBase = null, string? output = null)
    {
        var where = (hrefBase, output, Path.GetDirectoryName(Path.GetFullPath(catalogPath))!);
        var catalog = Load(catalogPath);
        Common(catalog, "Catalog", catalogPath);
        var items = 0;
        foreach (var child in Links(catalog, catalogPath, "child"))
        {
            var collection = Load(child);
            Common(collection, "Collection", child);
            Assert.True(collection["license"] is JsonValue l && l.GetValueKind() == System.Text.Json.JsonValueKind.String, child + ": license");
            Assert.False(string.IsNullOrWhiteSpace(collection["title"]?.GetValue<string>()), child + ": title");
            var licenseLinks = collection["links"]!.AsArray().Where(k => k!["rel"]!.GetValue<string>() == "license").ToArray();
            Assert.All(licenseLinks, k => Assert.StartsWith("https://", k!["href"]!.GetValue<string>()));
            if (collection["license"]!.GetValue<string>() == "various")
            {
                Assert.True(licenseLinks.Length > 0, child + ": license 'various' without a license link");
            }

            var bboxes = collection["extent"]!["spatial"]!["bbox"]!.AsArray();
            Assert.NotEmpty(bboxes);
            foreach (var b in bboxes)
            {
                Bbox(b!.AsArray(), child);
            }

            foreach (var interval in collection["extent"]!["temporal"]!["interval"]!.AsArray())
            {
                Assert.Equal(2, interval!.AsArray().Count);
                Assert.All(interval.AsArray(), t => Assert.True(t is null || Rfc3339().IsMatch(t.GetValue<string>()), child + ": interval"));
            }

            Assert.Equal(Path.GetFullPath(catalogPath), Assert.Single(Links(collection, child, "root")));
            Assert.Equal(Path.GetFullPath(catalogPath), Assert.Single(Links(collection, child, "parent")));
            foreach (var itemPath in Links(collection, child, "item"))
            {
                Item(Load(itemPath), itemPath, collection["id"]!.GetValue<string>(), catalogPath, child, where);
                items++;
            }
        }

        Assert.Equal(expectedItems, items);
    }

    private static void Item(JsonObject item, string path, string collectionId, string catalogPath, string collectionPath,
        (string? Base, string? Output, string Root) where)
    {
        Assert.Equal("Feature", item["type"]!.GetValue<string>());
        Assert.Equal("1.0.0", item["stac_version"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(item["id"]!.GetValue<string>()), path + ": id");
        Assert.Equal(collectionId, item["collection"]!.GetValue<string>());
        foreach (var ext in item["stac_extensions"]!.AsArray())
        {
            Assert.Matches(@"^https://stac-extensions\.github\.io/.+/v\d+\.\d+\.\d+/schema\.json$", ext!.GetValue<string>());
        }

        var bbox = item["bbox"]!.AsArray();
        Bbox(bbox, path);
        var geometry = item["geometry"]!;
        var polygons = geometry["type"]!.GetValue<string>() switch
        {
            "Polygon" => [geometry["coordinates"]!.AsArray()],
            "MultiPolygon" => geometry["coordinates"]!.AsArray().Select(p => p!.AsArray()).ToArray(),
            var t => throw new Xunit.Sdk.XunitException($"{path}: geometry type {t}"),
        };
        foreach (var ring in polygons.SelectMany(p => p.Select(r => r!.AsArray())))
        {
            Assert.True(ring.Count >= 4, path + ": a ring needs 4 positions");
            Assert.Equal(ring[0]!.ToJsonString(), ring[^1]!.ToJsonString());
            foreach (var pos in ring.Select(p => p!.AsArray()))
            {
                var (lon, lat) = (pos[0]!.GetValue<double>(), pos[1]!.GetValue<double>());
                Assert.InRange(lon, bbox[0]!.GetValue<double>() - 1e-9, bbox[2]!.GetValue<double>() + 1e-9);
                Assert.InRange(lat, bbox[1]!.GetValue<double>() - 1e-9, bbox[3]!.GetValue<double>() + 1e-9);
            }
        }

        var props = item["properties"]!.AsObject();
        Assert.True(props.ContainsKey("datetime"), path + ": properties.datetime is required");
        if (props["datetime"] is null)
        {
            Assert.Matches(Rfc3339(), props["start_datetime"]!.GetValue<string>());
            Assert.Matches(Rfc3339(), props["end_datetime"]!.GetValue<string>());
        }
        else
        {
            Assert.Matches(Rfc3339(), props["datetime"]!.GetValue<string>());
        }

        Assert.True(props.ContainsKey("proj:epsg"), path + ": proj:epsg");
        Assert.True(props["proj:epsg"] is null || props["proj:epsg"]!.GetValue<int>() > 0);
        if (props["proj:shape"] is { } shape)
        {
            Assert.Equal(2, shape.AsArray().Count);
            Assert.Equal(6, props["proj:transform"]!.AsArray().Count);
        }

        var assets = item["assets"]!.AsObject();
        Assert.NotEmpty(assets);
        foreach (var (key, asset) in assets)
        {
            var href = asset!["href"]!.GetValue<string>();
            var file = where.Base is { } hrefBase
                ? Path.Combine(where.Output!, Uri.UnescapeDataString(href.StartsWith(hrefBase + "/", StringComparison.Ordinal)
                    ? href[(hrefBase.Length + 1)..] : throw new Xunit.Sdk.XunitException($"{path}: asset {key} {href} is not under {hrefBase}")))
                : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, href));
            Assert.True(File.Exists(file), $"{path}: asset {key} href {href} does not resolve");
            Assert.True(where.Base is not null || file.StartsWith(where.Root + "/", StringComparison.Ordinal),
                $"{path}: asset {key} href {href} points outside the catalog's folder {where.Root}");
            Assert.False(string.IsNullOrEmpty(asset["type"]?.GetValue<string>()), $"{path}: asset {key} type");
            if (href.EndsWith(".tif", StringComparison.Ordinal))
            {
                Assert.Equal("image/tiff; application=geotiff; profile=cloud-optimized", asset["type"]!.GetValue<string>());
            }
        }

        Assert.Equal(Path.GetFullPath(catalogPath), Assert.Single(Links(item, path, "root")));
        Assert.Equal(Path.GetFullPath(collectionPath), Assert.Single(Links(item, path, "parent")));
        Assert.Equal(Path.GetFullPath(collectionPath), Assert.Single(Links(item, path, "collection")));
    }

    private static void Common(JsonObject o, string type, string path)
    {
        Assert.Equal(type, o["type"]!.GetValue<string>());
        Assert.Equal("1.0.0", o["stac_version"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(o["id"]!.GetValue<string>()), path + ": id");
        Assert.False(string.IsNullOrEmpty(o["description"]!.GetValue<string>()), path + ": description");
        Assert.NotNull(o["links"]!.AsArray());
    }

    private static void Bbox(JsonArray b, string path)
    {
        Assert.Equal(4, b.Count);
        var v = b.Select(x => x!.GetValue<double>()).ToArray();
        Assert.True(v[0] <= v[2] && v[1] <= v[3] && v[0] >= -180 && v[2] <= 180 && v[1] >= -90 && v[3] <= 90, $"{path}: bbox [{string.Join(", ", v)}]");
    }

    private static IEnumerable<string> Links(JsonObject o, string path, string rel)
    {
        foreach (var link in o["links"]!.AsArray().Select(l => l!.AsObject()).Where(l => l["rel"]!.GetValue<string>() == rel))
        {
            var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, link["href"]!.GetValue<string>()));
            Assert.True(File.Exists(target), $"{path}: {rel} link {link["href"]} does not resolve");
            yield return target;
        }
    }

    private static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
