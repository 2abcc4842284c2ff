using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;
using LstPipe.Core.Units;
using LstPipe.Ingest.Recipes;
using LstPipe.Ingest.Stac;
using LstPipe.Raster.Gdal;
using Xunit.Abstractions;

namespace LstPipe.Ingest.Tests.Stac;

public sealed class ItemAssetsTests(ITestOutputHelper output) : IDisposable
{
    private readonly LoopbackStacApi _api = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _api.Dispose();
        _dir.Dispose();
    }

    private static string Recipe => Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml");

    private StacItem Publish(params string[] omit)
    {
        Directory.CreateDirectory(_dir.File("cogs"));
        return StacItem.Parse(LandsatStacItem.Publish(_api, _dir.File("cogs"), omit: omit), _api.Root);
    }

    private static IngestResult Ingest(LocalAssets local, string item, string output) =>
        IngestProcessor.Run(new IngestOptions { Recipe = Recipe, Input = local.Folder, Assets = local.Files, Item = item, Output = output });

    private static float[] Lst(string scene)
    {
        using var d = RasterDataset.Open(Path.Combine(scene, "lst.tif"));
        var values = new float[d.Width * d.Height];
        d.GetBand(1).Read(d.Extent, values);
        return values;
    }

    [Fact]
    public void A_product_read_from_its_stac_assets_ingests_to_the_lst_of_its_folder()
    {
        var item = Publish();
        var b = LandsatStacItem.Bbox();
        using var client = new StacApiClient(RetryPolicy.None);
        var keys = IngestRecipe.Load(Recipe).AssetKeys;
        var local = ItemAssets.Fetch(item, keys, new MapBounds(b[0], b[1], b[2], b[3]), _dir.File("cache"), client, null);
        Assert.Equal(keys.Order(StringComparer.Ordinal), local.Files.Keys);

        var fromAssets = Ingest(local, item.Id, _dir.File("from-assets"));
        var fromFolder = IngestProcessor.Run(new IngestOptions
        {
            Recipe = Recipe,
            Input = LandsatStacItem.Folder,
            Output = _dir.File("from-folder"),
        });

        Assert.Equal(fromFolder.Scene.Manifest.Width, fromAssets.Scene.Manifest.Width);
        Assert.Equal(fromFolder.Scene.Manifest.Height, fromAssets.Scene.Manifest.Height);
        var (a, f) = (Lst(_dir.File("from-assets")), Lst(_dir.File("from-folder")));
        Assert.Equal(f.Count(float.IsNaN), a.Count(float.IsNaN));
        Assert.True(f.Count(float.IsFinite) > f.Length / 2);
        var worst = a.Zip(f).Where(p => float.IsFinite(p.Second)).Max(p => Math.Abs(p.First - p.Second));
        Assert.InRange(worst, 0, 1e-4);
        Assert.Equal(item.Id, fromAssets.Scene.Manifest.Provenance.Parameters["stac.item"]);
        Assert.Equal(fromFolder.Scene.Manifest.Id, fromAssets.Scene.Manifest.Id);
    }

    [Fact]
    public void A_quarter_of_the_scene_fetches_a_part_of_the_product_and_a_second_run_fetches_nothing()
    {
        var item = Publish();
        var b = LandsatStacItem.Bbox();
        var quarter = new MapBounds(b[0], (b[1] + b[3]) / 2, (b[0] + b[2]) / 2, b[3]);
        var keys = IngestRecipe.Load(Recipe).AssetKeys;
        var product = Directory.GetFiles(_dir.File("cogs")).Sum(f => new FileInfo(f).Length);
        using var client = new StacApiClient(RetryPolicy.None);

        var local = ItemAssets.Fetch(item, keys, quarter, _dir.File("cache"), client, null);

        var served = _api.BytesServed();
        output.WriteLine($"a quarter of the scene: {served} of the product's {product} bytes served ({100.0 * served / product:0.0}%)");
        Assert.True(served < product * 0.6, $"served {served} of the product's {product} bytes for a quarter of the scene");
        Assert.Equal(keys.Count, local.Fetched.Count);
        using (var red = RasterDataset.Open(local.Files["red"]))
        using (var band = RasterDataset.Open(Path.Combine(LandsatStacItem.Folder, "l8_B4.tif")))
        {
            Assert.InRange(red.Width, band.Width / 2, band.Width / 2 + 2 * ItemAssets.MarginPixels + 2);
            Assert.InRange(red.Height, band.Height / 2, band.Height / 2 + 2 * ItemAssets.MarginPixels + 2);
        }

        var clipped = Ingest(local, item.Id, _dir.File("quarter"));
        var whole = IngestProcessor.Run(new IngestOptions { Recipe = Recipe, Input = LandsatStacItem.Folder, Output = _dir.File("whole") });
        AssertSameLstInside(clipped.Scene.Manifest, whole.Scene.Manifest, _dir.File("quarter"), _dir.File("whole"));

        _api.ResetCounts();
        var again = ItemAssets.Fetch(item, keys, quarter, _dir.File("cache"), client, null);
        Assert.Empty(again.Fetched);
        Assert.Equal(0, _api.BytesServed());

        File.WriteAllBytes(local.Files["red"], [1, 2, 3]);
        var repaired = ItemAssets.Fetch(item, keys, quarter, _dir.File("cache"), client, null);
        Assert.Equal(["red"], repaired.Fetched);
    }

    /// <summary>The clipped scene's LST equals the whole scene's on every pixel more than the margin from its edges.</summary>
    private static void AssertSameLstInside(Raster.Scenes.SceneManifest part, Raster.Scenes.SceneManifest all, string partDir, string allDir)
    {
        var (p, a) = (Lst(partDir), Lst(allDir));
        var dx = (int)Math.Round((part.GeoTransform[0] - all.GeoTransform[0]) / all.GeoTransform[1]);
        var dy = (int)Math.Round((part.GeoTransform[3] - all.GeoTransform[3]) / all.GeoTransform[5]);
        var m = ItemAssets.MarginPixels;
        var (compared, worst) = (0, 0.0);
        for (var y = m; y < part.Height - m; y++)
        {
            for (var x = m; x < part.Width - m; x++)
            {
                var (u, v) = (p[y * part.Width + x], a[(y + dy) * all.Width + x + dx]);
                Assert.Equal(float.IsNaN(v), float.IsNaN(u));
                if (float.IsFinite(v))
                {
                    worst = Math.Max(worst, Math.Abs(u - v));
                    compared++;
                }
            }
        }

        Assert.True(compared > all.Width * all.Height / 8, $"only {compared} pixels compared");
        Assert.InRange(worst, 0, 1e-4);
    }

    [Fact]
    public void A_missing_asset_file_is_a_one_line_error_naming_it_and_a_missing_key_names_the_band()
    {
        var item = Publish();
        var broken = item with
        {
            Assets = new Dictionary<string, StacAsset>(item.Assets)
            {
                ["red"] = item.Assets["red"] with
                {
                    Href = _api.Root + "/files/no-such-band.tif",
                }
            }
        };
        var b = LandsatStacItem.Bbox();
        using var client = new StacApiClient(RetryPolicy.None);
        var e = Assert.Throws<DataException>(() => ItemAssets.Fetch(broken, ["red"], new MapBounds(b[0], b[1], b[2], b[3]),
            _dir.File("cache"), client, null));
        Assert.StartsWith(_api.Root + "/files/no-such-band.tif: asset 'red'", e.Message);
        Assert.Contains("HTTP 404", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        var local = ItemAssets.Fetch(item with { Assets = item.Assets.Where(a => a.Key != "lwir11").ToDictionary() },
            IngestRecipe.Load(Recipe).AssetKeys, new MapBounds(b[0], b[1], b[2], b[3]), _dir.File("cache"), client, null);
        var missing = Assert.Throws<DataException>(() => IngestRecipe.Load(Recipe).WithAssets(local.Files, item.Id));
        Assert.Contains("has no asset 'lwir11' (band 'thermal'", missing.Message);
    }

    [Fact]
    public void Signed_archives_get_the_token_of_the_sign_endpoint_and_refuse_unsigned_reads()
    {
        var item = Publish();
        _api.RequireToken = true;
        var b = LandsatStacItem.Bbox();
        var bbox = new MapBounds(b[0], b[1], b[2], b[3]);
        using var client = new StacApiClient(RetryPolicy.None);

        var unsigned = Assert.Throws<UsageException>(() => ItemAssets.Fetch(item, ["mtl.txt"], bbox, _dir.File("a"), client, null));
        Assert.Contains("HTTP 403", unsigned.Message);
        Assert.Contains("'sign'", unsigned.Message);

        var local = ItemAssets.Fetch(item, ["mtl.txt", "red"], bbox, _dir.File("b"), client, _api.Root + "/token/landsat-c2-l1");
        Assert.Equal(2, local.Files.Count);
        Assert.Equal(File.ReadAllBytes(Path.Combine(LandsatStacItem.Folder, "l8_MTL.txt")), File.ReadAllBytes(local.Files["mtl.txt"]));
    }

    [Fact]
    public void An_asset_server_that_trickles_is_given_up_after_the_request_timeout_with_a_line_that_names_it()
    {
        var item = Publish();
        var b = LandsatStacItem.Bbox();
        _api.TrickleFiles = TimeSpan.FromMilliseconds(500);
        var (policy, sink) = (RasterDataset.NetworkRetries, RasterDataset.RetryLog);
        try
        {
            RasterDataset.NetworkRetries = RetryPolicy.None;
            using var client = new StacApiClient(RetryPolicy.None, timeout: TimeSpan.FromSeconds(2));
            var e = Assert.Throws<DataException>(() => ItemAssets.Fetch(item, ["red"], new MapBounds(b[0], b[1], b[2], b[3]),
                _dir.File("cache"), client, null));
            output.WriteLine(e.Message);
            Assert.Equal($"{item.Assets["red"].Href}: asset 'red' of item {item.Id}: a request took more than its 2 s (the stac " +
                "'timeout'), retries included; the server is too slow or stalls: try again later, or give a longer 'timeout'", e.Message);
            Assert.InRange(_api.BytesServed("l8_B4"), 1, 40);
        }
        finally
        {
            (RasterDataset.NetworkRetries, RasterDataset.RetryLog) = (policy, sink);
        }
    }

    private static double Sum(string path)
    {
        using var d = RasterDataset.Open(path);
        var values = new float[d.Width * d.Height];
        d.GetBand(1).Read(d.Extent, values);
        return values.Sum(v => (double)v);
    }

    [Fact]
    public void Assets_that_share_a_file_name_stay_apart_and_a_changed_href_is_fetched_again()
    {
        var item = Publish();
        var cogs = _dir.File("cogs");
        var b = LandsatStacItem.Bbox();
        var bbox = new MapBounds(b[0], b[1], b[2], b[3]);
        var assets = new Dictionary<string, StacAsset>(item.Assets)
        {
            ["green"] = new StacAsset(_api.Serve(Path.Combine(cogs, "l8_B3.tif"), "sub/l8_B4.tif"), "image/tiff; application=geotiff"),
        };
        using var client = new StacApiClient(RetryPolicy.None);

        var local = ItemAssets.Fetch(item with { Assets = assets }, ["green", "red"], bbox, _dir.File("cache"), client, null);

        Assert.NotEqual(local.Files["green"], local.Files["red"]);
        Assert.Equal(Sum(Path.Combine(cogs, "l8_B3.tif")), Sum(local.Files["green"]));
        Assert.Equal(Sum(Path.Combine(cogs, "l8_B4.tif")), Sum(local.Files["red"]));

        assets["red"] = new StacAsset(_api.Serve(Path.Combine(cogs, "l8_B2.tif"), "v2/l8_B4.tif"), "image/tiff; application=geotiff");
        var moved = ItemAssets.Fetch(item with { Assets = assets }, ["green", "red"], bbox, _dir.File("cache"), client, null);
        Assert.Equal(["red"], moved.Fetched);
        Assert.Equal(Sum(Path.Combine(cogs, "l8_B2.tif")), Sum(moved.Files["red"]));
    }
}
