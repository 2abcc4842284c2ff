using System.Text.Json.Nodes;

namespace LstPipe.Testing;

/// <summary>The Landsat 8 L1 sample of <c>tests/data/landsat8-l1-gulfcoast</c> published on a <see cref="LoopbackStacApi"/>
/// as a <c>landsat-c2-l1</c> item: each band converted to a cloud-optimized GeoTIFF by <c>gdal_translate</c> (128 px
/// tiles, DEFLATE), its footprint from <c>gdalinfo</c>, and the asset keys of the Landsat Collection 2 STAC items.</summary>
public static class LandsatStacItem
{
    /// <summary>The sample's folder.</summary>
    public static string Folder => RepoPaths.Data("landsat8-l1-gulfcoast");

    /// <summary>Asset key by file of the sample.</summary>
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["l8_B1.tif"] = "coastal",
        ["l8_B2.tif"] = "blue",
        ["l8_B3.tif"] = "green",
        ["l8_B4.tif"] = "red",
        ["l8_B5.tif"] = "nir08",
        ["l8_B6.tif"] = "swir16",
        ["l8_B7.tif"] = "swir22",
        ["l8_B10.tif"] = "lwir11",
        ["l8_B11.tif"] = "lwir12",
        ["l8_BQA.tif"] = "qa_pixel",
        ["l8_MTL.txt"] = "mtl.txt",
    };

    /// <summary>The sample's footprint (W, S, E, N) by gdalinfo.</summary>
    public static double[] Bbox()
    {
        using var info = GdalInfo.Json(Path.Combine(Folder, "l8_B4.tif"));
        var ring = info.RootElement.GetProperty("wgs84Extent").GetProperty("coordinates")[0].EnumerateArray()
            .Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToArray();
        return [ring.Min(p => p.Lon), ring.Min(p => p.Lat), ring.Max(p => p.Lon), ring.Max(p => p.Lat)];
    }

    /// <summary>Converts the sample's bands into <paramref name="work"/>, serves them, adds the item to
    /// <paramref name="api"/> and returns it.</summary>
    /// <param name="api">The API.</param>
    /// <param name="work">A folder for the COGs.</param>
    /// <param name="id">Item id.</param>
    /// <param name="datetime">Acquisition time.</param>
    /// <param name="cloud">Cloud cover, percent.</param>
    /// <param name="omit">Asset keys left out of the item.</param>
    public static JsonObject Publish(LoopbackStacApi api, string work, string id = "LC08_L1TP_020039_20150804_20200908_02_T1",
        string datetime = "2015-08-04T16:19:21Z", double cloud = 11.08, params string[] omit)
    {
        var assets = new JsonObject();
        foreach (var (file, key) in Keys.Where(k => !omit.Contains(k.Value)))
        {
            var source = Path.Combine(Folder, file);
            var target = Path.Combine(work, file);
            if (!File.Exists(target))
            {
                if (file.EndsWith(".tif", StringComparison.Ordinal))
                {
                    var r = Processes.Run("gdal_translate", ["-q", "-of", "COG", "-co", "BLOCKSIZE=128", "-co", "COMPRESS=DEFLATE",
                        source, target]);
                    Xunit.Assert.True(r.ExitCode == 0, "gdal_translate: " + r.StdErr);
                }
                else
                {
                    File.Copy(source, target);
                }
            }

            assets[key] = new JsonObject
            {
                ["href"] = api.Serve(target),
                ["type"] = file.EndsWith(".tif", StringComparison.Ordinal)
                    ? "image/tiff; application=geotiff; profile=cloud-optimized" : "text/plain",
                ["roles"] = new JsonArray(key == "mtl.txt" ? "metadata" : "data"),
            };
        }

        var b = Bbox();
        var item = new JsonObject
        {
            ["type"] = "Feature",
            ["stac_version"] = "1.0.0",
            ["id"] = id,
            ["collection"] = "landsat-c2-l1",
            ["bbox"] = new JsonArray(b[0], b[1], b[2], b[3]),
            ["geometry"] = new JsonObject
            {
                ["type"] = "Polygon",
                ["coordinates"] = new JsonArray(new JsonArray(new JsonArray(b[0], b[1]), new JsonArray(b[2], b[1]),
                    new JsonArray(b[2], b[3]), new JsonArray(b[0], b[3]), new JsonArray(b[0], b[1]))),
            },
            ["properties"] = new JsonObject { ["datetime"] = datetime, ["eo:cloud_cover"] = cloud, ["platform"] = "landsat-8" },
            ["assets"] = assets,
            ["links"] = new JsonArray(),
        };
        api.Add(item);
        return item;
    }
}
