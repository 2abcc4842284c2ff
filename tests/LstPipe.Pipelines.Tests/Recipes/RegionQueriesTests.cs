using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Pipelines.Recipes;

namespace LstPipe.Pipelines.Tests.Recipes;

public sealed class RegionQueriesTests : IDisposable
{
    private readonly LoopbackStacApi _api = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _api.Dispose();
        _dir.Dispose();
    }

    private void Add(string id, string datetime, double cloud) => _api.Add(new JsonObject
    {
        ["type"] = "Feature",
        ["id"] = id,
        ["collection"] = "c",
        ["bbox"] = new JsonArray(0.0, 0.0, 2.0, 2.0),
        ["geometry"] = new JsonObject
        {
            ["type"] = "Polygon",
            ["coordinates"] = JsonNode.Parse("[[[0,0],[2,0],[2,2],[0,2],[0,0]]]"),
        },
        ["properties"] = new JsonObject { ["datetime"] = datetime, ["eo:cloud_cover"] = cloud },
        ["assets"] = new JsonObject(),
    });

    private PipelineRecipe Recipe(string pick, string datetime = "2021-05-01/2021-05-31", string bbox = "[0.5, 0.5, 1.5, 1.5]")
    {
        File.WriteAllText(_dir.File("p.yaml"), $$"""
            name: t
            output: out
            regions:
              a:
                stac: { api: "{{_api.Root}}", collection: c, bbox: {{bbox}}, datetime: {{datetime}}, pick: {{pick}} }
                recipe: {{Path.Combine(RepoPaths.Root, "pipelines", "ecostress.yaml")}}
            """);
        return PipelineRecipe.Load(_dir.File("p.yaml"));
    }

    [Fact]
    public void Pick_all_makes_one_region_per_item_named_by_its_date_and_a_pin_holds_them()
    {
        Add("first", "2021-05-02T10:00:00Z", 40);
        Add("second", "2021-05-09T10:00:00Z", 10);
        Add("second-b", "2021-05-09T11:00:00Z", 70);

        var all = RegionQueries.Resolve(Recipe("all"), requery: false, pin: true);

        Assert.Equal(["a-20210502", "a-20210509", "a-20210509-2"], all.Regions.Select(r => r.Name));
        Assert.Equal(["first", "second", "second-b"], all.Regions.Select(r => r.Item!.Id));
        Assert.True(File.Exists(RegionQueries.PinPath(all, "a")));

        Add("third", "2021-05-20T10:00:00Z", 1);
        var again = RegionQueries.Resolve(Recipe("all"), requery: false, pin: true);
        Assert.Equal(3, again.Regions.Count);
        Assert.Contains("third", RegionQueries.Changes(Recipe("all"))["a"]);
        Assert.Equal(4, RegionQueries.Resolve(Recipe("all"), requery: true, pin: true).Regions.Count);
        Assert.Empty(RegionQueries.Changes(Recipe("all")));

        var pin = RegionQueries.PinPath(all, "a");
        var withNull = File.ReadAllText(pin).Replace("\"items\": [", "\"items\": [null, ", StringComparison.Ordinal);
        foreach (var broken in new[] { "", "{\"query\": 1", "[]", withNull })
        {
            File.WriteAllText(pin, broken);
            Assert.Equal(4, RegionQueries.Resolve(Recipe("all"), requery: false, pin: true).Regions.Count);
        }
    }

    [Fact]
    public void A_changed_query_searches_again_and_a_query_that_finds_nothing_is_a_one_line_error()
    {
        Add("cloudy", "2021-05-02T10:00:00Z", 40);
        Add("clear", "2021-05-03T10:00:00Z", 5);
        Assert.Equal("clear", Assert.Single(RegionQueries.Resolve(Recipe("least-cloudy"), false, pin: true).Regions).Item!.Id);
        Assert.Equal("clear", Assert.Single(RegionQueries.Resolve(Recipe("newest"), false, pin: true).Regions).Item!.Id);
        Assert.Empty(RegionQueries.Changes(Recipe("newest")));

        Add("newer", "2021-05-04T10:00:00Z", 50);
        Assert.Equal("clear", Assert.Single(RegionQueries.Resolve(Recipe("newest"), false, pin: false).Regions).Item!.Id);
        Assert.Equal("newer", Assert.Single(RegionQueries.Resolve(Recipe("newest", "2021-05-01/2021-05-30"), false, pin: false)
            .Regions).Item!.Id);

        var e = Assert.Throws<DataException>(() => RegionQueries.Resolve(Recipe("newest", "2020-01-01/2020-01-31"), false, true));
        Assert.StartsWith("region 'a': no item of c at http://127.0.0.1:", e.Message);
        Assert.Contains("widen the dates or max_cloud, or move the bbox", e.Message);

        var corner = Assert.Throws<DataException>(() => RegionQueries.Resolve(Recipe("newest", bbox: "[1.9, 1.9, 2.5, 2.5]"), false, true));
        Assert.Contains("(3 item(s) found cover at most 3% of it; a pick must cover 50%)", corner.Message);
    }
}
