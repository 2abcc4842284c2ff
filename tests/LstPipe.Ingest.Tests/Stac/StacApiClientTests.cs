using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;
using LstPipe.Core.Units;
using LstPipe.Ingest.Stac;

namespace LstPipe.Ingest.Tests.Stac;

public sealed class StacApiClientTests : IDisposable
{
    private readonly LoopbackStacApi _api = new();
    private readonly TempDir _dir = new();
    private readonly List<string> _log = [];

    public void Dispose()
    {
        _api.Dispose();
        _dir.Dispose();
    }

    private StacApiClient Client() => new(new RetryPolicy(3, TimeSpan.FromMilliseconds(10)), _log.Add);

    private StacQuery Query(string bbox, string? datetime = null, double? maxCloud = null) =>
        new StacQuery
        {
            Api = _api.Root,
            Collection = "landsat-c2-l1",
            Bbox = (MapBounds)new StacQuery.BboxParser().Parse(bbox)!,
            Datetime = datetime,
            MaxCloud = maxCloud
        };

    private static JsonObject Item(string id, double west, string datetime, double cloud) => new()
    {
        ["type"] = "Feature",
        ["id"] = id,
        ["collection"] = "landsat-c2-l1",
        ["bbox"] = new JsonArray(west, 10, west + 1, 11),
        ["geometry"] = new JsonObject
        {
            ["type"] = "Polygon",
            ["coordinates"] = new JsonArray(new JsonArray(new JsonArray(west, 10), new JsonArray(west + 1, 10),
                new JsonArray(west + 1, 11), new JsonArray(west, 11), new JsonArray(west, 10))),
        },
        ["properties"] = new JsonObject { ["datetime"] = datetime, ["eo:cloud_cover"] = cloud },
        ["assets"] = new JsonObject(),
    };

    [Fact]
    public void Search_finds_the_items_of_a_place_and_a_time_and_not_those_elsewhere_or_at_other_times()
    {
        _api.Add(Item("here-may", 20, "2021-05-03T10:00:00Z", 5));
        _api.Add(Item("here-june", 20, "2021-06-03T10:00:00Z", 5));
        _api.Add(Item("elsewhere-may", 40, "2021-05-03T10:00:00Z", 5));
        using var client = Client();

        var found = client.Search(Query("20.5,10.2,20.7,10.4", "2021-05-01/2021-05-31"));

        Assert.Equal(["here-may"], found.Select(i => i.Id));
        Assert.Equal(1.0, found[0].Overlap(new MapBounds(20.5, 10.2, 20.7, 10.4)), 9);
        Assert.Equal(0.5, found[0].Overlap(new MapBounds(20.5, 10.2, 21.5, 10.4)), 9);
        Assert.Empty(client.Search(Query("-60,10.2,-59,10.4", "2021-05-01/2021-05-31")));
        Assert.Equal(["POST /search", "POST /search"], _api.Requests);
    }

    [Fact]
    public void Paging_follows_next_links_by_post_and_by_get_up_to_the_limit()
    {
        for (var i = 0; i < 7; i++)
        {
            _api.Add(Item($"item-{i}", 20, $"2021-05-0{i + 1}T10:00:00Z", i * 10));
        }

        _api.MaxPage = 3;
        using var client = Client();
        var all = client.Search(Query("20.5,10.2,20.7,10.4") with { Limit = 3 });
        Assert.Equal(3, all.Count);

        var paged = client.Search(Query("20.5,10.2,20.7,10.4") with { Limit = 100 });
        Assert.Equal(7, paged.Count);
        Assert.Equal(7, paged.Select(i => i.Id).Distinct().Count());
        Assert.Equal(4, _api.Requests.Count);

        var clear = client.Search(Query("20.5,10.2,20.7,10.4", maxCloud: 25));
        Assert.Equal(["item-0", "item-1", "item-2"], clear.Select(i => i.Id));

        _api.AcceptsPost = false;
        var viaGet = client.Search(Query("20.5,10.2,20.7,10.4") with { Limit = 5 });
        Assert.Equal(5, viaGet.Count);
        Assert.Equal(["POST /search", "GET /search", "GET /search"], _api.Requests.TakeLast(3));
        Assert.Equal(5, viaGet.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public void Busy_answers_are_retried_with_one_line_each_and_a_4xx_fails_at_once()
    {
        _api.Add(Item("here", 20, "2021-05-03T10:00:00Z", 5));
        _api.FailNext("/search", 429, 503);
        using var client = Client();

        Assert.Single(client.Search(Query("20.5,10.2,20.7,10.4")));
        Assert.Equal(2, _log.Count);
        Assert.Contains("transient failure (HTTP 429); retry 1 of 3", _log[0]);
        Assert.Contains("(HTTP 503); retry 2 of 3", _log[1]);

        _log.Clear();
        _api.FailNext("/search", 400);
        var e = Assert.Throws<UsageException>(() => client.Search(Query("20.5,10.2,20.7,10.4")));
        Assert.Contains("/search: HTTP 400", e.Message);
        Assert.Empty(_log);

        _api.FailNext("/search", 503, 503, 503, 503);
        var down = Assert.Throws<DataException>(() => client.Search(Query("20.5,10.2,20.7,10.4")));
        Assert.Contains("HTTP 503", down.Message);
        Assert.DoesNotContain('\n', down.Message);
    }

    [Fact]
    public void Redirects_are_followed_to_http_relative_or_absolute_and_a_loop_is_a_one_line_error()
    {
        File.WriteAllText(_dir.File("mtl.txt"), "GROUP = LANDSAT_METADATA_FILE\n");
        _api.Serve(_dir.File("mtl.txt"));
        _api.Redirects["/moved/relative"] = "/files/mtl.txt";
        _api.Redirects["/moved/absolute"] = _api.Root + "/moved/relative";
        _api.Redirects["/loop"] = _api.Root + "/loop";
        using var client = Client();
        var mtl = client.Download(_api.Root + "/moved/absolute", "an MTL");
        Assert.Equal("GROUP = LANDSAT_METADATA_FILE\n", System.Text.Encoding.UTF8.GetString(mtl));
        var loop = Assert.Throws<DataException>(() => client.Download(_api.Root + "/loop", "an MTL"));
        Assert.Equal($"{_api.Root}/loop: more than 10 redirects (an MTL); the server sends lstpipe round in circles: check the URL",
            loop.Message);
    }

    [Fact]
    public void A_missing_api_and_malformed_queries_are_one_line_errors()
    {
        using var client = new StacApiClient(RetryPolicy.None);
        var refused = Assert.Throws<DataException>(() => client.Search(Query("1,2,3,4") with { Api = "http://127.0.0.1:9" }));
        Assert.Contains("cannot reach the server", refused.Message);
        Assert.Throws<FormatException>(() => new StacQuery.BboxParser().Parse("1,2,3"));
        Assert.Throws<FormatException>(() => new StacQuery.BboxParser().Parse("1,50,3,40"));
        Assert.Throws<UsageException>(() => (Query("1,2,3,4") with { Api = "ftp://x" }).Validate());
        Assert.Throws<UsageException>(() => StacQuery.Interval("2021-13-01"));
        Assert.Equal("2021-05-01T00:00:00Z/2021-05-31T23:59:59Z", StacQuery.Interval("2021-05-01/2021-05-31"));
        Assert.Equal("../2021-05-31T23:59:59Z", StacQuery.Interval("../2021-05-31"));
        Assert.Equal("2021-05-01T00:00:00Z/2021-05-01T23:59:59Z", StacQuery.Interval("2021-05-01"));
    }

    [Fact]
    public void Picks_take_the_least_cloudy_the_newest_or_all()
    {
        var items = new[]
        {
            StacItem.Parse(Item("a", 20, "2021-05-01T10:00:00Z", 30), "t"),
            StacItem.Parse(Item("b", 20, "2021-05-02T10:00:00Z", 10), "t"),
            StacItem.Parse(Item("c", 20, "2021-05-03T10:00:00Z", 20), "t"),
        };
        var q = new StacQuery();
        Assert.Equal(["b"], q.Choose(items).Select(i => i.Id));
        Assert.Equal(["c"], (q with { Pick = StacPick.Newest }).Choose(items).Select(i => i.Id));
        Assert.Equal(["a", "b", "c"], (q with { Pick = StacPick.All }).Choose(items).Select(i => i.Id));
        Assert.Empty(q.Choose([]));
    }

    [Fact]
    public void Surprising_pages_are_read_without_trusting_their_types_and_malformed_items_are_one_line_errors()
    {
        const string items = """
            {"type": "FeatureCollection", "features": [
              {"id": "cloud-as-text", "properties": {"datetime": "2021-05-03T10:00:00Z", "eo:cloud_cover": "90"},
               "geometry": {"type": "Polygon", "coordinates": [[]]}, "assets": {"red": {"href": "red.tif", "type": 5}}},
              {"id": "clear", "collection": 3, "properties": {"datetime": 20150804, "eo:cloud_cover": 2.0},
               "geometry": {"type": 7}, "links": [{"rel": "self", "href": "https://example.org/items/clear"}],
               "assets": {"red": {"href": "../cogs/red.tif"}, "bad": {"href": 5}}}],
             "links": [{"rel": "next", "href": "search?page=2", "method": 1, "merge": "true"}]}
            """;
        _api.SearchBody = path => path.Contains("page=2", StringComparison.Ordinal)
            ? """{"type": "FeatureCollection", "features": [{"id": "second"}], "links": [{"rel": "next", "href": "/search?page=2"}]}"""
            : items;
        using var client = Client();

        var found = client.Search(Query("20.5,10.2,20.7,10.4"));

        Assert.Equal(["cloud-as-text", "clear", "second"], found.Select(i => i.Id));
        Assert.Equal(90, found[0].CloudCover);
        Assert.Equal(0, found[0].Overlap(new MapBounds(0, 0, 1, 1)));
        Assert.Equal(_api.Root + "/red.tif", found[0].Assets["red"].Href);
        Assert.Equal("https://example.org/cogs/red.tif", found[1].Assets["red"].Href);
        Assert.False(found[1].Assets.ContainsKey("bad"));
        Assert.Null(found[1].Datetime);
        Assert.Equal(["clear"], new StacQuery().Choose(found).Select(i => i.Id));
        Assert.Equal(["POST /search", "GET /search"], _api.Requests);

        _api.SearchBody = _ => """{"features": [{"id": 12345}]}""";
        var numeric = Assert.Throws<DataException>(() => client.Search(Query("20.5,10.2,20.7,10.4")));
        Assert.Contains("an item without an 'id'", numeric.Message);
        _api.SearchBody = _ => """{"features": [], "links": [{"rel": "next", "href": "ftp://example.org/x"}]}""";
        Assert.Empty(client.Search(Query("20.5,10.2,20.7,10.4")));
        _api.SearchBody = _ => """{"features": [{"id": "a"}], "links": [{"rel": "next", "href": "ftp://example.org/x"}]}""";
        Assert.Contains("is not an http(s) URL", Assert.Throws<DataException>(() => client.Search(Query("20.5,10.2,20.7,10.4"))).Message);
        _api.SearchBody = _ => "\uFEFF{\"features\": {}}";
        Assert.Contains("no 'features' list", Assert.Throws<DataException>(() => client.Search(Query("20.5,10.2,20.7,10.4"))).Message);
    }

    [Fact]
    public void Paging_ends_on_a_page_of_items_already_seen_and_at_the_page_cap_with_a_line_each()
    {
        _api.SearchBody = path => $$"""
            {"features": [{"id": "same"}], "links": [{"rel": "next", "href": "/search?page={{path.Length}}"}]}
            """;
        using var client = Client();
        Assert.Equal(["same"], client.Search(Query("20.5,10.2,20.7,10.4")).Select(i => i.Id));
        Assert.Equal(2, _api.Requests.Count);
        Assert.Contains("page 2 holds only items of earlier pages; paging stopped with 1 item(s)", Assert.Single(_log));

        _log.Clear();
        _api.SearchBody = path => $$"""
            {"features": [{"id": "i{{path.Length}}-{{path.GetHashCode()}}"}],
             "links": [{"rel": "next", "href": "/search?page=x{{path[(path.IndexOf('=') + 1)..]}}"}]}
            """;
        var found = client.Search(Query("20.5,10.2,20.7,10.4") with { Limit = 10000 });
        Assert.Equal(StacApiClient.MaxPages, found.Count);
        Assert.Contains($"{StacApiClient.MaxPages} pages read; paging stopped", Assert.Single(_log));
    }

    [Fact]
    public void A_server_that_stalls_mid_answer_ends_the_search_at_its_deadline()
    {
        _api.Trickle = TimeSpan.FromMilliseconds(200);
        using var client = Client();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<DataException>(() => client.Search(Query("20.5,10.2,20.7,10.4") with { Timeout = 1, Deadline = 3 }));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{watch.Elapsed}");
        Assert.Contains("the search took more than its 3 s (--deadline), retries included", e.Message);
        Assert.Contains("timed out", string.Join("\n", _log));
    }

    [Fact]
    public void Picks_skip_items_that_barely_cover_the_bbox_and_take_cloud_cover_outside_0_to_100_as_unknown()
    {
        var items = new[]
        {
            StacItem.Parse(Item("edge", 20.9, "2021-05-01T10:00:00Z", 0), "t"),
            StacItem.Parse(Item("negative", 20, "2021-05-02T10:00:00Z", -50), "t"),
            StacItem.Parse(Item("cloudy", 20, "2021-05-03T10:00:00Z", 40), "t"),
        };
        var q = Query("20.5,10.2,20.7,10.4");
        Assert.Equal(0, items[0].Overlap(q.Bbox!.Value));
        Assert.Null(items[1].CloudCover);
        Assert.Equal(["cloudy"], q.Choose(items).Select(i => i.Id));
        Assert.Equal(["negative", "cloudy"], (q with { Pick = StacPick.All }).Choose(items).Select(i => i.Id));
        Assert.Empty(Query("0,0,1,1").Choose(items));
        Assert.Empty(q.Warnings());
        Assert.Contains("taken as crossing the antimeridian (2 degrees wide); swap them if that is a typo",
            Assert.Single(Query("179,10,-179,11").Warnings()));
    }

    [Fact]
    public void A_server_that_asks_to_come_back_much_later_fails_at_once()
    {
        _api.RetryAfter = "3600";
        _api.FailNext("/search", 503);
        using var client = Client();
        var e = Assert.Throws<DataException>(() => client.Search(Query("20.5,10.2,20.7,10.4")));
        Assert.Contains("asks to come back in 60 min", e.Message);
        Assert.Empty(_log);
        Assert.Throws<UsageException>(() => StacQuery.Interval("2021-05-31/2021-05-01"));
        Assert.Throws<UsageException>(() => (Query("1,2,3,4") with { Sign = "/etc/passwd" }).Validate());
    }
}
