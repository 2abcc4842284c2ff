using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core;
using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;

namespace LstPipe.Ingest.Stac;

/// <summary>An HTTP answer read whole.</summary>
/// <param name="Status">Status code.</param>
/// <param name="Body">The body.</param>
/// <param name="RetryAfter">The server's <c>Retry-After</c>, if any.</param>
internal sealed record HttpAnswer(HttpStatusCode Status, byte[] Body, TimeSpan? RetryAfter)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>Why the answer is worth another try (429, 5xx), or null.</summary>
    public string? Transient => (int)Status is 429 or >= 500 ? $"HTTP {(int)Status}" : null;
}

/// <summary>
/// A STAC API client: item search (POST, GET where the API takes no POST, following <c>next</c> links), small
/// files fetched whole (an MTL, a token) and asset URLs signed through a token endpoint. Time-outs and HTTP 429/5xx
/// are retried with back-off (or after the server's <c>Retry-After</c>), one log line per retry; other 4xx answers
/// fail at once with a one-line error naming the URL.
/// </summary>
public sealed class StacApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RetryPolicy _policy;
    private readonly Action<string>? _log;
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout;

    /// <summary>The most pages one search follows.</summary>
    public const int MaxPages = 1000;

    /// <summary>A client.</summary>
    /// <param name="policy">Retries of transient failures (default: 5, from 2 s doubling).</param>
    /// <param name="log">Receives one line per retry.</param>
    /// <param name="timeout">Per-request time-out of downloads and tokens, the answer read whole (default 60 s); a
    /// search takes its query's.</param>
    public StacApiClient(RetryPolicy? policy = null, Action<string>? log = null, TimeSpan? timeout = null)
    {
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("lstpipe", ToolInfo.Version));
        _policy = policy ?? RetryPolicy.Default;
        _log = log;
    }

    /// <summary>How long one request may take, its answer read whole: downloads, tokens and the assets read through
    /// GDAL.</summary>
    public TimeSpan RequestTimeout => _timeout;

    /// <summary>Bytes the client has downloaded (search pages, sidecars, tokens).</summary>
    public long BytesReceived { get; private set; }

    /// <summary>The items a query finds, in the API's order, cloudier ones than <see cref="StacQuery.MaxCloud"/> left
    /// out (the API is asked to leave them out too), at most <see cref="StacQuery.Limit"/>.</summary>
    /// <exception cref="UsageException">The API refused the query (HTTP 4xx).</exception>
    /// <exception cref="DataException">The API cannot be reached, keeps failing, answers something not STAC, or the
    /// search outlives its deadline.</exception>
    public IReadOnlyList<StacItem> Search(StacQuery query)
    {
        query = query.Validate();
        using var deadline = new Deadline(TimeSpan.FromSeconds(query.Deadline), TimeSpan.FromSeconds(query.Timeout), "--deadline");
        var b = query.Bbox!.Value;
        var page = Math.Min(query.Limit, 100);
        var body = new JsonObject
        {
            ["collections"] = new JsonArray(query.Collection),
            ["bbox"] = new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY),
            ["limit"] = page,
        };
        if (query.Datetime is { } dt)
        {
            body["datetime"] = dt;
        }

        if (query.MaxCloud is { } cloud)
        {
            body["query"] = new JsonObject { ["eo:cloud_cover"] = new JsonObject { ["lte"] = cloud } };
        }

        var url = query.SearchUri.ToString();
        var answer = Send(HttpMethod.Post, url, body, "search", deadline);
        if (answer.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented or HttpStatusCode.NotFound)
        {
            url = GetUrl(query, page);
            answer = Send(HttpMethod.Get, url, null, "search", deadline);
        }

        var items = new List<StacItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { url + "\n" + body.ToJsonString() };
        for (var pages = 1; ; pages++)
        {
            var features = Features(Page(answer, url), url, out var links);
            var fresh = 0;
            foreach (var f in features)
            {
                var item = StacItem.Parse(f as JsonObject ?? throw new DataException($"{url}: a feature that is not an object"), url);
                fresh += ids.Add(item.Id) ? 1 : 0;
                if ((query.MaxCloud is not { } max || item.CloudCover is not { } c || c <= max) && items.All(i => i.Id != item.Id))
                {
                    items.Add(item);
                }
            }

            var next = links.OfType<JsonObject>().FirstOrDefault(l => RemoteJson.Text(l["rel"]) == "next");
            if (items.Count >= query.Limit || features.Count == 0 || RemoteJson.Text(next?["href"]) is not { } href)
            {
                break;
            }

            if (fresh == 0 || pages == MaxPages)
            {
                _log?.Invoke($"{url}: {(fresh == 0 ? $"page {pages} holds only items of earlier pages" : $"{MaxPages} pages read")}; " +
                    $"paging stopped with {items.Count} item(s)");
                break;
            }

            var post = string.Equals(RemoteJson.Text(next!["method"]), "POST", StringComparison.OrdinalIgnoreCase);
            var nextBody = next["body"] as JsonObject;
            if (post && RemoteJson.True(next["merge"]) && nextBody is not null)
            {
                var merged = (JsonObject)body.DeepClone();
                foreach (var (k, v) in nextBody)
                {
                    merged[k] = v?.DeepClone();
                }

                nextBody = merged;
            }

            url = RemoteJson.Http(href, url, "its 'next' link");
            body = post ? (JsonObject?)nextBody?.DeepClone() ?? body : body;
            if (!seen.Add(url + "\n" + (post ? body.ToJsonString() : "")))
            {
                _log?.Invoke($"{url}: the 'next' link of page {pages} leads to a page already read; paging stopped with " +
                    $"{items.Count} item(s)");
                break;
            }

            answer = Send(post ? HttpMethod.Post : HttpMethod.Get, url, post ? body : null, "search", deadline);
        }

        return items.Take(query.Limit).ToArray();
    }

    /// <summary>A small file (an MTL sidecar, a token) fetched whole.</summary>
    /// <exception cref="UsageException">HTTP 4xx: the URL is wrong or the file is not public.</exception>
    /// <exception cref="DataException">The server cannot be reached or keeps failing.</exception>
    public byte[] Download(string url, string what)
    {
        url = RemoteJson.Http(url, null, what);
        using var deadline = new Deadline(DownloadDeadline, _timeout, null);
        var answer = Send(HttpMethod.Get, url, null, what, deadline);
        Fail(answer, url, what);
        return answer.Body;
    }

    /// <summary>An asset URL signed with the token of <paramref name="tokenEndpoint"/> (fetched once per endpoint); the
    /// URL as it is where there is no endpoint.</summary>
    public string Sign(string href, string? tokenEndpoint)
    {
        if (tokenEndpoint is null)
        {
            return href;
        }

        if (!_tokens.TryGetValue(tokenEndpoint, out var token))
        {
            var json = RemoteJson.Object(Download(tokenEndpoint, "a token"), tokenEndpoint);
            token = RemoteJson.Text(json["token"])?.TrimStart('?')
                ?? throw new DataException($"{tokenEndpoint}: the token endpoint's answer has no 'token'; is 'sign' a SAS token " +
                    $"endpoint (for Planetary Computer, https://planetarycomputer.microsoft.com/api/sas/v1/token/COLLECTION)?");
            _tokens[tokenEndpoint] = token;
        }

        return href + (href.Contains('?', StringComparison.Ordinal) ? "&" : "?") + token;
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static string GetUrl(StacQuery q, int page)
    {
        var b = q.Bbox!.Value;
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>
        {
            "collections=" + Uri.EscapeDataString(q.Collection),
            "bbox=" + string.Join(",", new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }.Select(v => v.ToString("R", inv))),
            "limit=" + page.ToString(inv),
        };
        if (q.Datetime is { } dt)
        {
            parts.Add("datetime=" + Uri.EscapeDataString(dt));
        }

        return q.SearchUri + "?" + string.Join("&", parts);
    }

    private static JsonObject Page(HttpAnswer answer, string url)
    {
        Fail(answer, url, "search");
        return RemoteJson.Object(answer.Body, url);
    }

    private static JsonArray Features(JsonObject page, string url, out JsonArray links)
    {
        links = page["links"] as JsonArray ?? [];
        return page["features"] as JsonArray
            ?? throw new DataException($"{url}: answered JSON that is not a FeatureCollection of items (no 'features' list); is " +
                $"--api a STAC API root?");
    }

    private static void Fail(HttpAnswer answer, string url, string what)
    {
        if (answer.Ok)
        {
            return;
        }

        var text = answer.Body.Length > 4096 ? "" : answer.Text.ReplaceLineEndings(" ").Trim();
        var detail = text.Length == 0 ? "" : ": " + (text.Length > 160 ? text[..157] + "..." : text);
        var code = (int)answer.Status;
        if (answer.RetryAfter is { } wait && wait > MaxRetryAfter)
        {
            throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{url}: HTTP {code} {answer.Status} ({what}): the " +
                $"server asks to come back in {wait.TotalMinutes:0} min; try again later"));
        }

        var hint = code is 401 or 403 && what != "search"
            ? "; the archive wants signed URLs: give the region's stac 'sign' token endpoint" : "";
        throw answer.Transient is not null
            ? new DataException($"{url}: HTTP {code} {answer.Status} ({what}), still after the retries{detail}; the server is " +
                $"down or busy, try again later")
            : new UsageException($"{url}: HTTP {code} {answer.Status} ({what}){detail}{hint}");
    }

    /// <summary>How long a download or token may take, every retry included.</summary>
    private static readonly TimeSpan DownloadDeadline = TimeSpan.FromMinutes(10);

    /// <summary>The longest <c>Retry-After</c> honoured; a server that asks for more fails the call at once.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);

    private HttpAnswer Send(HttpMethod method, string url, JsonObject? body, string what, Deadline deadline)
    {
        var pipeline = Retries.ForOutcomes<HttpAnswer>(url,
            (a, e) => a is { RetryAfter: { } d } && d > MaxRetryAfter ? null : a?.Transient ?? TransientReason(e), _policy, _log,
            a => a.RetryAfter);
        try
        {
            return pipeline.Execute(_ =>
            {
                using var timeout = deadline.ForRequest();
                using var response = Following(method, url, body, what, timeout.Token);
                if (response.Content.Headers.ContentLength > RemoteJson.MaxBytes)
                {
                    throw new DataException($"{url}: answers {response.Content.Headers.ContentLength} bytes ({what}), more than " +
                        $"lstpipe reads from an API ({RemoteJson.MaxBytes >> 20} MB); is the URL right?");
                }

                using var stream = response.Content.ReadAsStream(timeout.Token);
                using var copy = new MemoryStream();
                var buffer = new byte[81920];
                for (int n; (n = stream.ReadAsync(buffer, timeout.Token).AsTask().GetAwaiter().GetResult()) > 0;)
                {
                    copy.Write(buffer, 0, n);
                    if (copy.Length > RemoteJson.MaxBytes)
                    {
                        throw new DataException($"{url}: answers more than {RemoteJson.MaxBytes >> 20} MB ({what}); is the URL right?");
                    }
                }

                BytesReceived += copy.Length;
                var retryAfter = response.Headers.RetryAfter is { } ra
                    ? ra.Delta ?? (ra.Date is { } at ? at - DateTimeOffset.UtcNow : null) : null;
                return new HttpAnswer(response.StatusCode, copy.ToArray(),
                    retryAfter is { } t && t < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
            }, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException && deadline.Expired)
        {
            throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{url}: the {what} took more than its " +
                $"{deadline.Total.TotalSeconds:0} s{(deadline.Option is { } o ? $" ({o})" : "")}, retries included; the server " +
                $"is too slow or stalls: try again later{(deadline.Option is { } opt ? $", or give a longer {opt}" : "")}"));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            var reason = TransientReason(e) is { } r ? $"{r} after {_policy.Attempts} retries" : e.Message.TrimEnd('.');
            throw new DataException($"{url}: cannot reach the server for {what} ({reason}); check the URL and the network");
        }
    }

    /// <summary>The answer to a request, redirects followed by hand (at most <see cref="MaxRedirects"/>) so that each
    /// target is checked: only http(s) is followed; a redirect to <c>file://</c> or another scheme is refused.</summary>
    private HttpResponseMessage Following(HttpMethod method, string url, JsonObject? body, string what, CancellationToken ct)
    {
        var target = url;
        for (var hops = 0; ; hops++)
        {
            using var request = new HttpRequestMessage(method, target);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            if (code is not (301 or 302 or 303 or 307 or 308) || !response.Headers.TryGetValues("Location", out var locations))
            {
                return response;
            }

            response.Dispose();
            var location = locations.First();
            var here = new Uri(target);
            var next = location.Contains("://", StringComparison.Ordinal) || location.StartsWith("file:", StringComparison.Ordinal)
                ? Uri.TryCreate(location, UriKind.Absolute, out var a) ? a : null
                : Uri.TryCreate(here, location, out var r) ? r : null;
            if (next?.Scheme is not ("http" or "https") || (here.Scheme == "https" && next.Scheme == "http"))
            {
                throw new DataException($"{url}: the server redirects ({what}) to '{location}', which lstpipe does not follow " +
                    $"(only http(s), and never https to http): check the URL, and whether the server is the archive you meant");
            }

            if (hops == MaxRedirects)
            {
                throw new DataException($"{url}: more than {MaxRedirects} redirects ({what}); the server sends lstpipe round " +
                    $"in circles: check the URL");
            }

            (target, method, body) = code == 303 || (code is 301 or 302 && method == HttpMethod.Post)
                ? (next.AbsoluteUri, HttpMethod.Get, null) : (next.AbsoluteUri, method, body);
        }
    }

    /// <summary>The most redirects one request follows.</summary>
    private const int MaxRedirects = 10;

    private static string? TransientReason(Exception? e) => e switch
    {
        OperationCanceledException => "timed out",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError, InnerException: SocketException s }
            when s.SocketErrorCode == SocketError.ConnectionRefused => null,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => null,
        HttpRequestException h => h.HttpRequestError.ToString(),
        IOException => "connection reset",
        _ => null,
    };
}
