using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Resilience;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Stac;

/// <summary>A STAC item's assets as local files: the folder holding them and the file of each asset key.</summary>
/// <param name="Folder">The cache folder of the item and region.</param>
/// <param name="Files">Local file by asset key.</param>
/// <param name="Fetched">Asset keys fetched now (the others came from the cache).</param>
public sealed record LocalAssets(string Folder, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Fetched);

/// <summary>
/// Brings the assets an ingest recipe reads from a STAC item into a cache folder: raster assets read through GDAL's
/// <c>/vsicurl/</c> by window, clipped to the region's bbox (only the tiles of a cloud-optimized GeoTIFF under it
/// travel), small sidecars (an MTL) fetched whole. Files keep the asset's file name, so a recipe's file globs match
/// them as well as its asset keys; each is written under a temporary name and checked against its recorded SHA-256
/// when a later run takes it from the cache.
/// </summary>
public static class ItemAssets
{
    /// <summary>Pixels kept around the bbox, for the resampling kernels of the warp that follows.</summary>
    public const int MarginPixels = 8;

    /// <summary>The assets <paramref name="keys"/> of <paramref name="item"/> clipped to <paramref name="bbox"/> in
    /// <paramref name="cache"/>; keys the item lacks are left out of the result.</summary>
    /// <param name="item">The item.</param>
    /// <param name="keys">Asset keys to bring.</param>
    /// <param name="bbox">The region, W, S, E, N in degrees.</param>
    /// <param name="cache">The cache folder (<c>OUT/.lstpipe/assets</c> for a pipeline).</param>
    /// <param name="client">Fetches sidecars and signs URLs.</param>
    /// <param name="sign">Token endpoint that signs asset URLs, or null.</param>
    /// <param name="log">Receives a line per asset fetched.</param>
    /// <exception cref="DataException">An asset cannot be read, or does not overlap the bbox.</exception>
    public static LocalAssets Fetch(StacItem item, IEnumerable<string> keys, MapBounds bbox, string cache, StacApiClient client,
        string? sign, Action<string>? log = null)
    {
        var folder = Path.Combine(cache, Safe(item.Id), BboxKey(bbox));
        Directory.CreateDirectory(folder);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var fetched = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys.Distinct().Order(StringComparer.Ordinal))
        {
            if (!item.Assets.TryGetValue(key, out var asset))
            {
                continue;
            }

            var name = Safe(asset.FileName.Length == 0 ? key : asset.FileName);
            if (!names.Add(name))
            {
                name = Safe(key) + "-" + name;
                names.Add(name);
            }

            var local = Path.Combine(folder, name);
            if (!Cached(local, asset))
            {
                var signed = client.Sign(asset.Href, sign);
                if (asset.IsRaster)
                {
                    var window = Clip(item, key, asset, signed, bbox, local, client.RequestTimeout);
                    log?.Invoke($"item {item.Id}: asset '{key}': pixels {window} of {asset.Unsigned}");
                }
                else
                {
                    AtomicFile.WriteAllBytes(local, client.Download(Readable(signed, key, item), $"asset '{key}' of item {item.Id}"));
                }

                AtomicFile.WriteAllText(local + ".sha256", $"{Checksums.Sha256(local)}  {asset.Unsigned}\n");
                fetched.Add(key);
            }

            files[key] = local;
        }

        return new LocalAssets(folder, files, fetched);
    }

    private static PixelWindow Clip(StacItem item, string key, StacAsset asset, string signed, MapBounds bbox, string local,
        TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var path = GdalPath(Readable(signed, key, item));
            using var limits = GdalRuntime.HttpTimeouts(timeout, path);
            using var source = RasterDataset.Open(path);
            var window = Translator.WindowOver(source, bbox, Crs.FromEpsg(4326), MarginPixels)
                ?? throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{asset.Href}: asset '{key}' of item " +
                    $"{item.Id} does not overlap the region's bbox {bbox.MinX},{bbox.MinY},{bbox.MaxX},{bbox.MaxY}"));
            Retries.ForExceptions(asset.Href, RasterDataset.TransientReason, RasterDataset.NetworkRetries, RasterDataset.RetryLog)
                .Execute(() => Translator.CopyWindow(source, window, local));
            return window;
        }
        catch (DataException e) when (!e.Message.StartsWith(asset.Href, StringComparison.Ordinal))
        {
            var redirect = System.Text.RegularExpressions.Regex.Match(e.Message,
                @"HTTP response code: 30\d - Protocol ""(\w+)"" not supported");
            if (redirect.Success)
            {
                throw new DataException($"{asset.Href}: asset '{key}' of item {item.Id}: the server redirects it to a " +
                    $"{redirect.Groups[1].Value}: URL, which lstpipe does not follow (only http(s)): check the item, and whether " +
                    $"its archive is the one you meant");
            }

            var why = e.Message.Contains("HTTP response code: 404", StringComparison.Ordinal) ? "HTTP 404: no such file"
                : e.Message.Replace(GdalPath(signed), "", StringComparison.Ordinal).TrimStart(':', ' ');
            if (clock.Elapsed >= timeout
                || RasterDataset.TransientReason(e) is "timed out" or "Timeout was reached" or "Operation too slow")
            {
                throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{asset.Href}: asset '{key}' of item " +
                    $"{item.Id}: a request took more than its {timeout.TotalSeconds:0} s (the stac 'timeout'), retries included; " +
                    $"the server is too slow or stalls: try again later, or give a longer 'timeout'"));
            }

            throw new DataException($"{asset.Href}: asset '{key}' of item {item.Id} cannot be read ({why}); is the item's " +
                $"archive reachable, and does it want signed URLs ('sign')?");
        }
    }

    /// <summary>Whether the cache holds the file of this href, whole: its recorded checksum and href match.</summary>
    private static bool Cached(string local, StacAsset asset)
    {
        var record = local + ".sha256";
        if (!File.Exists(local) || !File.Exists(record))
        {
            return false;
        }

        var fields = File.ReadAllText(record).Trim().Split("  ", 2);
        if (fields.Length == 2 && fields[1] == asset.Unsigned && fields[0] == Checksums.Sha256(local))
        {
            return true;
        }

        File.Delete(local);
        return false;
    }

    /// <summary>The URL of an asset lstpipe can read: http(s), or s3:// (read through GDAL's /vsis3/ with its AWS
    /// settings).</summary>
    private static string Readable(string href, string key, StacItem item) =>
        href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
            ? href
            : throw new DataException($"{href}: asset '{key}' of item {item.Id} is not an http(s) or s3:// URL; lstpipe reads " +
                $"assets over HTTP (an API whose items carry https hrefs, as Planetary Computer's do)");

    private static string GdalPath(string url) =>
        url.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? "/vsis3/" + url[5..] : "/vsicurl/" + url;

    private static string BboxKey(MapBounds b) =>
        "bbox-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{b.MinX:R},{b.MinY:R},{b.MaxX:R},{b.MaxY:R}"))))[..12];

    private static string Safe(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return safe.TrimStart('.').Length == 0 ? "_" + safe : safe;
    }
}
