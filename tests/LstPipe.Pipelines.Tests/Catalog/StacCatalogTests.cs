using System.Text.Json.Nodes;
using LstPipe.Core.Errors;

namespace LstPipe.Pipelines.Tests.Catalog;

/// <summary>The catalog a run writes, checked against the STAC 1.0.0 JSON schemas, the STAC rules, gdalinfo and GDAL's
/// reading of every GeoTIFF.</summary>
public class StacCatalogTests
{
    private static JsonNode Json(params string[] path) => JsonNode.Parse(File.ReadAllText(Path.Combine(path)))!;

    private static double[][] Ring(JsonNode item) =>
        [.. item["geometry"]!["coordinates"]![0]!.AsArray().Select(p => new[] { p![0]!.GetValue<double>(), p[1]!.GetValue<double>() })];

    [SharedDataFact]
    public void A_run_writes_beside_the_data_a_catalog_that_validates_against_the_stac_schemas_and_stands_alone()
    {
        using var dir = new TempDir();
        var output = dir.File("out");
        const string description = "description: \"Talca + a synthetic region, the 'gis' test\"\n";
        var recipe = TestRecipes.WriteWith(dir.File("p"), "gis", output, description, TestRecipes.Talca, TestRecipes.Synthetic("andes", 4));
        PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe });
        var catalog = Path.Combine(output, "catalog.json");
        Assert.Equal(7, StacSchemas.AssertValid(catalog));
        StacRules.Validate(catalog, expectedItems: 3);
        Assert.Equal(4, GdalInfo.AssertAllCloudOptimized(output));

        // The Landsat scene's footprint: the corners gdalinfo gives, on a densified ring that follows the rotated grid.
        var talca = Json(output, "collections", "landsat7-talca", "talca", "talca.json");
        var ring = Ring(talca);
        Assert.Equal(65, ring.Length);
        using var info = GdalInfo.Json(Path.Combine(output, "scenes", "talca", "lst.tif"));
        foreach (var corner in info.RootElement.GetProperty("wgs84Extent").GetProperty("coordinates")[0].EnumerateArray())
        {
            Assert.Contains(ring, p => Math.Abs(p[0] - corner[0].GetDouble()) < 2e-7 && Math.Abs(p[1] - corner[1].GetDouble()) < 2e-7);
        }

        Assert.True(ring.Select(p => p[0]).Distinct().Count() > 2, "the footprint is not an axis-aligned box");
        Assert.Equal("2013-02-15T14:30:40.2587823Z", talca["properties"]!["datetime"]!.GetValue<string>());

        // Titles and licences: USGS terms for Landsat, none known for synthetic scenes, both for the dataset.
        var landsat = Json(output, "collections", "landsat7-talca", "collection.json");
        Assert.Equal("Landsat 7 ETM+ L1 band stack with a DEM", landsat["title"]!.GetValue<string>());
        Assert.Equal("proprietary", landsat["license"]!.GetValue<string>());
        string[] Licences(JsonNode c) => [.. c["links"]!.AsArray().Where(l => l!["rel"]!.GetValue<string>() == "license")
            .Select(l => l!["href"]!.GetValue<string>())];
        Assert.Equal(["https://www.usgs.gov/centers/eros/data-citation"], Licences(landsat));
        var dataset = Json(output, "collections", "gis-dataset", "collection.json");
        Assert.Equal("various", dataset["license"]!.GetValue<string>());
        Assert.Equal(Licences(landsat), Licences(dataset));

        // JSON written as it reads: no \u002B or \u0027.
        var text = File.ReadAllText(catalog);
        Assert.Contains("Talca + a synthetic region, the 'gis' test", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", text, StringComparison.Ordinal);

        // A region dropped from the recipe takes its collection with it.
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(TestRecipes.Talca, "", StringComparison.Ordinal));
        PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe });
        Assert.Equal(["gis-dataset", "synthetic"], Directory.GetDirectories(Path.Combine(output, "collections"))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(5, StacSchemas.AssertValid(catalog));
        StacRules.Validate(catalog, expectedItems: 2);
    }

    [Fact]
    public void The_dataset_item_of_overlapping_regions_is_their_union_a_geometry_ogr_finds_valid()
    {
        using var dir = new TempDir();
        var output = dir.File("out");
        static string Region(string name, int seed, int x, int y) => $$"""
              {{name}}:
                synthetic: { size: 96, seed: {{seed}}, epsg: 32719, origin: [{{x}}, {{y}}] }
                datetime: 2001-01-26T14:30:00Z
            """;
        var recipe = TestRecipes.Write(dir.File("p"), "union", output, Region("a", 1, 250000, 6100000),
            Region("b", 2, 251500, 6098500), Region("c", 3, 300000, 6100000));
        PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe });
        StacRules.Validate(Path.Combine(output, "catalog.json"), expectedItems: 4);

        // OGR (GDAL's Python bindings) judges the item's geometry and unions the regions' own footprints to compare.
        var scenes = new[] { "a", "b", "c" }.Select(r => Path.Combine(output, "collections", "synthetic", r, r + ".json"));
        var r = Processes.Run("/usr/bin/python3", ["-c", """
            import json, sys
            from osgeo import ogr
            g = lambda path: ogr.CreateGeometryFromJson(json.dumps(json.load(open(path))['geometry']))
            item, parts = g(sys.argv[1]), [g(p) for p in sys.argv[2:]]
            union = parts[0].Union(parts[1]).Union(parts[2])
            same = item.SymDifference(union).GetArea() < 1e-9 * union.GetArea()
            print(item.IsValid(), item.GetGeometryName(), item.GetGeometryCount(), same)
            """, Path.Combine(output, "collections", "union-dataset", "union", "union.json"), .. scenes]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("True MULTIPOLYGON 2 True", r.StdOut.Trim());
    }

    [Fact]
    public void A_catalog_apart_from_the_data_needs_an_href_base_and_then_points_every_asset_under_it()
    {
        using var dir = new TempDir();
        var output = dir.File("out");
        var published = dir.File("published");
        var recipe = TestRecipes.WriteWith(dir.File("p"), "apart", output, $"catalog: {published}\n", TestRecipes.Synthetic("a", 1, 96));
        var e = Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe }));
        Assert.StartsWith(recipe + ":", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($": the catalog {published} does not hold the output {output}, so its assets would point outside it; " +
            $"leave 'catalog' out to write it beside the data, or pass --catalog-href-base with the URL where {output} is served",
            e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "nothing is built before the refusal");

        var hrefBase = (string)new PipelineRunOptions.HrefBaseParser().Parse("https://example.org/lst%20data/apart/")!;
        Assert.Equal("https://example.org/lst%20data/apart", hrefBase);
        PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, CatalogHrefBase = hrefBase });
        Assert.Equal(5, StacSchemas.AssertValid(Path.Combine(published, "catalog.json")));
        StacRules.Validate(Path.Combine(published, "catalog.json"), expectedItems: 2, hrefBase, output);
        Assert.False(File.Exists(Path.Combine(output, "catalog.json")));
        var lst = Json(published, "collections", "synthetic", "a", "a.json")["assets"]!["lst"]!["href"]!.GetValue<string>();
        Assert.Equal("https://example.org/lst%20data/apart/scenes/a/lst.tif", lst);
    }

    [Fact]
    public void The_catalog_of_earlier_versions_and_their_collection_folders_are_removed()
    {
        using var dir = new TempDir();
        var output = dir.File("out");
        var recipe = TestRecipes.Write(dir.File("p"), "old", output, TestRecipes.Synthetic("a", 1, 96));
        Directory.CreateDirectory(Path.Combine(output, "catalog", "synthetic"));
        File.WriteAllText(Path.Combine(output, "catalog", "catalog.json"), "{}");
        Directory.CreateDirectory(Path.Combine(output, "synthetic"));
        File.WriteAllText(Path.Combine(output, "synthetic", "collection.json"), "{}");
        PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe });
        Assert.False(Directory.Exists(Path.Combine(output, "catalog")));
        Assert.False(Directory.Exists(Path.Combine(output, "synthetic")));
        StacRules.Validate(Path.Combine(output, "catalog.json"), expectedItems: 2);

        // The schemas are not vacuous: a collection without a licence and an item with a 3-number bbox fail them.
        var collection = Json(output, "collections", "synthetic", "collection.json").AsObject();
        collection.Remove("license");
        File.WriteAllText(dir.File("collection.json"), collection.ToJsonString());
        Assert.Contains(StacSchemas.Errors(dir.File("collection.json")), e => e.Contains("license", StringComparison.Ordinal));
        var item = Json(output, "collections", "synthetic", "a", "a.json");
        item["bbox"]!.AsArray().RemoveAt(3);
        File.WriteAllText(dir.File("item.json"), item.ToJsonString());
        Assert.NotEmpty(StacSchemas.Errors(dir.File("item.json")));
    }
}
