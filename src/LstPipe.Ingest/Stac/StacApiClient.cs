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

    /// <summary>A client.</summary>
    /// <param name="policy">Retries of transient failures (default: 5, from 2 s doubling).</param>
    /// <param name="log">Receives one line per retry.</param>
    /// <param name="timeout">Per-request time-out (default 60 s).</param>
    public StacApiClient(RetryPolicy? policy = null, Action<string>? log = null, TimeSpan? timeout = null)
    {
        _http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("lstpipe", ToolInfo.Version));
        _policy = policy ?? RetryPolicy.Default;
        _log = log;
    }

    /// <summary>Bytes the client has downloaded (search pages, sidecars, tokens).</summary>
    public long BytesReceived { get; private set; }

    /// <summary>The items a query finds, in the API's order, cloudier ones than <see cref="StacQuery.MaxCloud"/> left
    /// out (the API is asked to leave them out too), at most <see cref="StacQuery.Limit"/>.</summary>
    /// <exception cref="UsageException">The API refused the query (HTTP 4xx).</exception>
    /// <exception cref="DataException">The API cannot be reached, keeps failing, or answers something not STAC.</exception>
    public IReadOnlyList<StacItem> Search(StacQuery query)
    {
        query = query.Validate();
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
        var answer = Send(HttpMethod.Post, url, body, "search");
        if (answer.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented or HttpStatusCode.NotFound)
        {
            url = GetUrl(query, page);
            answer = Send(HttpMethod.Get, url, null, "search");
        }

        var items = new List<StacItem>();
        for (var pages = 0; ; pages++)
        {
            var collection = Page(answer, url);
            foreach (var f in collection["features"] as JsonArray ?? [])
            {
                var item = StacItem.Parse(f as JsonObject ?? throw new DataException($"{url}: a feature that is not an object"), url);
                if (query.MaxCloud is not { } max || item.CloudCover is not { } c || c <= max)
                {
                    items.Add(item);
                }
            }

            var next = (collection["links"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(l => l["rel"]?.GetValue<string>() == "next");
            if (items.Count >= query.Limit || next?["href"]?.GetValue<string>() is not { } href
                || (collection["features"] as JsonArray ?? []).Count == 0)
            {
                break;
            }

            if (pages > 10_000)
            {
                throw new DataException($"{url}: the API keeps returning 'next' pages; stopping after 10000");
            }

            var post = string.Equals(next["method"]?.GetValue<string>(), "POST", StringComparison.OrdinalIgnoreCase);
            var nextBody = next["body"] as JsonObject;
            if (post && next["merge"]?.GetValue<bool>() == true && nextBody is not null)
            {
                var merged = (JsonObject)body.DeepClone();
                foreach (var (k, v) in nextBody)
                {
                    merged[k] = v?.DeepClone();
                }

                nextBody = merged;
            }

            url = href;
            body = post ? (JsonObject?)nextBody?.DeepClone() ?? body : body;
            answer = Send(post ? HttpMethod.Post : HttpMethod.Get, href, post ? body : null, "search");
        }

        return items.Take(query.Limit).ToArray();
    }

    /// <summary>A small file (an MTL sidecar, a token) fetched whole.</summary>
    /// <exception cref="UsageException">HTTP 4xx: the URL is wrong or the file is not public.</exception>
    /// <exception cref="DataException">The server cannot be reached or keeps failing.</exception>
    public byte[] Download(string url, string what)
    {
        var answer = Send(HttpMethod.Get, url, null, what);
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
            var json = Json(Download(tokenEndpoint, "token"), tokenEndpoint);
            token = json["token"]?.GetValue<string>()?.TrimStart('?')
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
        var page = Json(answer.Body, url);
        return page["type"]?.GetValue<string>() == "FeatureCollection" || page["features"] is JsonArray ? page
            : throw new DataException($"{url}: answered JSON that is not a FeatureCollection of items; is --api a STAC API root?");
    }

    private static JsonObject Json(byte[] body, string url)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new DataException($"{url}: answered JSON that is not an object");
        }
        catch (JsonException e)
        {
            throw new DataException($"{url}: answered something that is not JSON ({e.Message.Split('.')[0]})");
        }
    }

    private static void Fail(HttpAnswer answer, string url, string what)
    {
        if (answer.Ok)
        {
            return;
        }

        var text = answer.Text.ReplaceLineEndings(" ");
        var detail = text.Length == 0 ? "" : ": " + (text.Length > 160 ? text[..157] + "..." : text);
        var code = (int)answer.Status;
        throw answer.Transient is not null
            ? new DataException($"{url}: HTTP {code} {answer.Status} after {what} retries{detail}; the server is down or busy, " +
                $"try again later")
            : new UsageException($"{url}: HTTP {code} {answer.Status}{detail}" + (code is 401 or 403
                ? "; the archive wants signed URLs: give the region's stac 'sign' token endpoint" : ""));
    }

    private HttpAnswer Send(HttpMethod method, string url, JsonObject? body, string what)
    {
        var pipeline = Retries.ForOutcomes<HttpAnswer>(url, (a, e) => a?.Transient ?? TransientReason(e), _policy, _log,
            a => a.RetryAfter is { } d ? TimeSpan.FromSeconds(Math.Min(d.TotalSeconds, 120)) : null);
        try
        {
            return pipeline.Execute(() =>
            {
                using var request = new HttpRequestMessage(method, url);
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }

                using var response = _http.Send(request);
                using var stream = response.Content.ReadAsStream();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                BytesReceived += copy.Length;
                var retryAfter = response.Headers.RetryAfter is { } ra
                    ? ra.Delta ?? (ra.Date is { } at ? at - DateTimeOffset.UtcNow : null) : null;
                return new HttpAnswer(response.StatusCode, copy.ToArray(),
                    retryAfter is { } t && t < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            var reason = TransientReason(e) is { } r ? $"{r} after {_policy.Attempts} retries" : e.Message.TrimEnd('.');
            throw new DataException($"{url}: cannot reach the server for {what} ({reason}); check the URL and the network");
        }
    }

    private static string? TransientReason(Exception? e) => e switch
    {
        TaskCanceledException => "timed out",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError, InnerException: SocketException s }
            when s.SocketErrorCode == SocketError.ConnectionRefused => null,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => null,
        HttpRequestException h => h.HttpRequestError.ToString(),
        IOException => "connection reset",
        _ => null,
    };
}
