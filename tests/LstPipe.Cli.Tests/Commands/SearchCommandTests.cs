using System.Globalization;
using System.Text.Json;

namespace LstPipe.Cli.Tests.Commands;

/// <summary><c>lstpipe search</c> and pipeline regions given as STAC queries, against a STAC API on the loopback that
/// serves the Landsat 8 L1 sample as cloud-optimized GeoTIFFs (the acceptance check of regions by place and date), and
/// hostile archives that redirect an asset or the token endpoint to <c>file://</c> (issue 38).</summary>
public sealed class SearchCommandTests : IDisposable
{
    private readonly LoopbackStacApi _api = new();
    private readonly TempDir _dir = new();

    public SearchCommandTests() => Directory.CreateDirectory(_dir.File("cogs"));

    public void Dispose()
    {
        _api.Dispose();
        _dir.Dispose();
    }

    private static string Box(double[] b) => string.Join(",", b.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    [Fact]
    public void Search_lists_the_item_for_its_bbox_and_date_and_not_for_a_bbox_elsewhere()
    {
        var item = LandsatStacItem.Publish(_api, _dir.File("cogs"));
        var id = item["id"]!.GetValue<string>();
        var bbox = Box(LandsatStacItem.Bbox());

        var here = CliRunner.Run("search", "--api", _api.Root, "--collection", "landsat-c2-l1", "--bbox", bbox,
            "--datetime", "2015-08-01/2015-08-31", "--max-cloud", "20");
        Assert.True(here.ExitCode == 0, here.StdErr);
        var line = Assert.Single(here.StdOut.Split('\n'), l => l.Contains(id, StringComparison.Ordinal));
        Assert.StartsWith("* ", line);
        Assert.Contains("2015-08-04 16:19Z", line);
        Assert.Contains("cloud  11.1%", line);
        Assert.Contains("overlap 100.0%", line);

        var elsewhere = CliRunner.Run("search", "--api", _api.Root, "--collection", "landsat-c2-l1", "--bbox", "10,45,10.5,45.5",
            "--datetime", "2015-08-01/2015-08-31");
        Assert.True(elsewhere.ExitCode == 0, elsewhere.StdErr);
        Assert.DoesNotContain(id, elsewhere.StdOut);
        Assert.Contains("no item of landsat-c2-l1 matches", elsewhere.StdOut);

        var otherYear = CliRunner.Run("search", "--api", _api.Root, "--collection", "landsat-c2-l1", "--bbox", bbox,
            "--datetime", "2016-08-01/2016-08-31", "--json");
        Assert.Equal(0, JsonDocument.Parse(otherYear.StdOut).RootElement.GetProperty("features").GetArrayLength());
        var json = CliRunner.Run("search", "--api", _api.Root, "--collection", "landsat-c2-l1", "--bbox", bbox, "--json");
        var feature = JsonDocument.Parse(json.StdOut).RootElement.GetProperty("features")[0];
        Assert.Equal(id, feature.GetProperty("id").GetString());
        Assert.StartsWith(_api.Root + "/files/", feature.GetProperty("assets").GetProperty("lwir11").GetProperty("href").GetString());
    }

    [Fact]
    public void Hostile_apis_end_with_one_line_endless_pages_stalled_answers_and_a_reversed_bbox()
    {
        _api.SearchBody = path => $$"""
            {"features": [{"id": "same"}], "links": [{"rel": "next", "href": "/search?page={{path.Length}}"}]}
            """;
        var endless = CliRunner.Run("search", "--api", _api.Root, "--collection", "c", "--bbox", "179,10,-179,11");
        Assert.True(endless.ExitCode == 0, endless.StdErr);
        Assert.Equal(2, _api.Requests.Count);
        var warnings = endless.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, warnings.Length);
        Assert.Contains("taken as crossing the antimeridian", warnings[0]);
        Assert.EndsWith("page 2 holds only items of earlier pages; paging stopped with 1 item(s)", warnings[1]);

        _api.SearchBody = null;
        _api.Trickle = TimeSpan.FromMilliseconds(200);
        var stalled = CliRunner.Run("search", "--api", _api.Root, "--collection", "c", "--bbox", "1,2,3,4", "--timeout", "1",
            "--deadline", "4");
        Assert.Equal(1, stalled.ExitCode);
        Assert.Contains("/search: the search took more than its 4 s (--deadline), retries included; the server is too slow or " +
            "stalls: try again later, or give a longer --deadline", stalled.StdErr);
        Assert.DoesNotContain("unexpected", stalled.StdErr);
    }

    [Fact]
    public void Search_errors_are_one_line_and_busy_apis_are_retried()
    {
        LandsatStacItem.Publish(_api, _dir.File("cogs"));
        var bbox = Box(LandsatStacItem.Bbox());
        var notApi = CliRunner.Run("search", "--api", _api.Root + "/nothing", "--collection", "landsat-c2-l1", "--bbox", bbox);
        CliRunner.AssertOneLineError(notApi, 2, "HTTP 404");

        var badBox = CliRunner.Run("search", "--api", _api.Root, "--collection", "landsat-c2-l1", "--bbox", "1,2,3");
        CliRunner.AssertOneLineError(badBox, 2, "--bbox");

        _api.FailNext("/search", 503);
        var retried = CliRunner.Run("search", "--api", _api.Root, "--collection", "landsat-c2-l1", "--bbox", bbox);
        Assert.True(retried.ExitCode == 0, retried.StdErr);
        Assert.Contains("warning: " + _api.Root + "/search: transient failure (HTTP 503); retry 1 of 5 in 0 s", retried.StdErr);
        Assert.Contains("1 item(s)", retried.StdOut);
    }

    /// <summary>A recipe whose region is the query of the Landsat sample's place and month (signed through
    /// <paramref name="sign"/> where given).</summary>
    private string Recipe(string? sign = null)
    {
        var recipe = _dir.File("gulf.yaml");
        File.WriteAllText(recipe, $"""
            name: gulf-stac
            output: out
            regions:
              gulf:
                stac:
                  api: "{_api.Root}"
                  collection: landsat-c2-l1
                  bbox: [{Box(LandsatStacItem.Bbox())}]
                  datetime: 2015-08-01/2015-08-31
                  max_cloud: 20
            {(sign is null ? "" : $"      sign: \"{sign}\"\n")}    recipe: {Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml")}
            """);
        return recipe;
    }

    [Fact]
    public void A_region_given_as_a_stac_query_ingests_to_the_lst_of_the_product_folder_and_stays_pinned()
    {
        var item = LandsatStacItem.Publish(_api, _dir.File("cogs"));
        var recipe = Recipe();

        var run = CliRunner.Run("run", recipe, "--stages", "ingest");
        Assert.True(run.ExitCode == 0, run.StdErr + run.StdOut);
        var folder = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"), "--input",
            LandsatStacItem.Folder, "--out", _dir.File("folder-scene"));
        Assert.True(folder.ExitCode == 0, folder.StdErr);
        var fromStac = TestRasters.Read(_dir.File("out/scenes/gulf/lst.tif"));
        var fromFolder = TestRasters.Read(_dir.File("folder-scene/lst.tif"));
        Assert.Equal(fromFolder.Length, fromStac.Length);
        Assert.Equal(fromFolder.Count(float.IsNaN), fromStac.Count(float.IsNaN));
        Assert.InRange(fromStac.Zip(fromFolder).Where(p => float.IsFinite(p.Second)).Max(p => Math.Abs(p.First - p.Second)), 0, 1e-4);
        var record = File.ReadAllText(_dir.File("out/.lstpipe/stages/ingest-gulf.json"));
        Assert.Contains(item["id"]!.GetValue<string>(), record);
        Assert.Contains(_api.Root + "/files/l8_B10.tif", record);

        LandsatStacItem.Publish(_api, _dir.File("cogs"), id: "LC08_L1TP_020039_20150820_20200908_02_T1",
            datetime: "2015-08-20T16:19:30Z", cloud: 2.5);
        var status = CliRunner.Run("status", recipe);
        Assert.Contains("ingest:gulf │ up to date │ the query would now pick LC08_L1TP_020039_20150820_20200908_02_T1", status.StdOut);

        _api.ResetCounts();
        var again = CliRunner.Run("run", recipe, "--stages", "ingest");
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Contains("ingest:gulf: up to date", again.StdOut);
        Assert.Equal(0, _api.BytesServed());

        var requery = CliRunner.Run("run", recipe, "--stages", "ingest", "--requery");
        Assert.True(requery.ExitCode == 0, requery.StdErr);
        Assert.Contains("stac.item: LC08_L1TP_020039_20150804", requery.StdOut);
    }

    [Theory]
    [InlineData("/files/l8_B4", "asset 'red' of item LC08_L1TP_020039_20150804_20200908_02_T1: the server redirects it to a file: " +
        "URL, which lstpipe does not follow (only http(s)): check the item, and whether its archive is the one you meant")]
    [InlineData("/files/l8_MTL", "the server redirects (asset 'mtl.txt' of item LC08_L1TP_020039_20150804_20200908_02_T1) to " +
        "'file:///etc/passwd', which lstpipe does not follow (only http(s), and never https to http)")]
    public void An_asset_redirected_to_a_local_file_is_refused_in_one_line(string path, string message)
    {
        LandsatStacItem.Publish(_api, _dir.File("cogs"));
        var recipe = Recipe();
        _api.Redirects[path] = "file:///etc/passwd";
        var r = CliRunner.Run("run", recipe, "--stages", "ingest");
        CliRunner.AssertOneLineError(r, 1, message);
        Assert.Contains("lstpipe: " + _api.Root + path, r.StdErr);
        Assert.False(Directory.Exists(_dir.File("out/scenes/gulf")));
    }

    [Fact]
    public void A_token_endpoint_redirected_to_a_local_file_is_refused_in_one_line()
    {
        LandsatStacItem.Publish(_api, _dir.File("cogs"));
        var recipe = Recipe(sign: _api.Root + "/token/landsat-c2-l1");
        _api.Redirects["/token/"] = "file:///etc/passwd";
        var r = CliRunner.Run("run", recipe, "--stages", "ingest");
        CliRunner.AssertOneLineError(r, 1, $"{_api.Root}/token/landsat-c2-l1: the server redirects (a token) to " +
            "'file:///etc/passwd', which lstpipe does not follow (only http(s), and never https to http): check the URL, and " +
            "whether the server is the archive you meant");
    }
}
