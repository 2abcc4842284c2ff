using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace LstPipe.Testing;

/// <summary>
/// A small STAC API on the loopback for tests, over a real HTTP listener: item search by POST and GET (collections,
/// bbox, datetime, <c>eo:cloud_cover</c> through the query extension, pages of <c>limit</c> items with <c>next</c>
/// links), files served with HTTP Range requests (single and multiple ranges) and counted, a SAS-like token endpoint,
/// and failures injected on demand.
/// </summary>
public sealed partial class LoopbackStacApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<JsonObject> _items = [];
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _served = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Prefix, int Status)> _failures = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _loop;

    /// <summary>Starts listening on a free loopback port.</summary>
    public LoopbackStacApi()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Root = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(Root + "/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(Loop);
    }

    /// <summary>The API root URL (no trailing slash).</summary>
    public string Root { get; }

    /// <summary>The token the token endpoint hands out.</summary>
    public const string Token = "st=2026-12-05&sig=loopback";

    /// <summary>Whether files are refused (HTTP 403) without <see cref="Token"/> in their query string.</summary>
    public bool RequireToken { get; set; }

    /// <summary>Whether <c>POST /search</c> is answered (false: HTTP 405, so clients fall back to GET).</summary>
    public bool AcceptsPost { get; set; } = true;

    /// <summary>Answers <c>/search</c> with this body (from the request's path and query) in place of a real search,
    /// for malformed or surprising pages; null: search.</summary>
    public Func<string, string>? SearchBody { get; set; }

    /// <summary>Answers <c>/search</c> with a <c>Content-Length</c> of 100,000 and then one byte every this long (for at
    /// most 30 s, or until disposed), as a stalled server does; null: answer at once.</summary>
    public TimeSpan? Trickle { get; set; }

    /// <summary>Answers <c>/files/</c> like <see cref="Trickle"/> answers <c>/search</c>, for at most 120 s, each byte
    /// counted as served; null: serve the files.</summary>
    public TimeSpan? TrickleFiles { get; set; }

    /// <summary>Requests whose path starts with a key are answered <c>302 Found</c> with its value as the
    /// <c>Location</c> (a <c>file://</c> URL, for a hostile server).</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new(StringComparer.Ordinal);

    /// <summary>A <c>Retry-After</c> value sent with injected failures (default 0 s).</summary>
    public string RetryAfter { get; set; } = "0";

    /// <summary>The most items a page holds, whatever the client's <c>limit</c> (as real APIs cap it).</summary>
    public int MaxPage { get; set; } = 100;

    /// <summary>Requests seen (<c>POST /search</c>), in order of arrival.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Serves <paramref name="localPath"/> at <c>ROOT/files/NAME</c> and returns that URL.</summary>
    public string Serve(string localPath, string? name = null)
    {
        name ??= Path.GetFileName(localPath);
        _files[name] = localPath;
        return $"{Root}/files/{name}";
    }

    /// <summary>Adds an item (a GeoJSON Feature with <c>collection</c>, <c>bbox</c> and <c>properties.datetime</c>).</summary>
    public void Add(JsonObject item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    /// <summary>The next requests whose path starts with <paramref name="prefix"/> are answered with these statuses (and
    /// <c>Retry-After: 0</c>), one each, before requests succeed again.</summary>
    public void FailNext(string prefix, params int[] statuses)
    {
        foreach (var s in statuses)
        {
            _failures.Enqueue((prefix, s));
        }
    }

    /// <summary>Bytes of file bodies served so far, all files together or those whose name holds <paramref name="part"/>.</summary>
    public long BytesServed(string part = "") => _served.Where(kv => kv.Key.Contains(part, StringComparison.Ordinal)).Sum(kv => kv.Value);

    /// <summary>Forgets the bytes served so far.</summary>
    public void ResetCounts() => _served.Clear();

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        _requests.Enqueue($"{request.HttpMethod} {path}");
        try
        {
            if (Redirects.FirstOrDefault(r => path.StartsWith(r.Key, StringComparison.Ordinal)).Value is { } location)
            {
                response.StatusCode = 302;
                response.RedirectLocation = location;
            }
            else if (TakeFailure(path) is { } failure)
            {
                response.Headers["Retry-After"] = RetryAfter;
                Text(response, failure, "{\"code\":\"Injected\",\"description\":\"injected failure\"}");
            }
            else if (path == "/search" && Trickle is { } every)
            {
                Stall(response, every, TimeSpan.FromSeconds(30), null);
            }
            else if (path.StartsWith("/files/", StringComparison.Ordinal) && TrickleFiles is { } slowly)
            {
                TrickleFile(request, response, slowly, path["/files/".Length..]);
            }
            else if (path == "/search" && SearchBody is { } fake)
            {
                Text(response, 200, fake(request.Url!.PathAndQuery));
            }
            else if (path == "/search")
            {
                Search(request, response);
            }
            else if (path.StartsWith("/files/", StringComparison.Ordinal))
            {
                File(request, response, path["/files/".Length..]);
            }
            else if (path.StartsWith("/token/", StringComparison.Ordinal))
            {
                Text(response, 200, new JsonObject { ["msft:expiry"] = "2099-01-01T00:00:00Z", ["token"] = Token }.ToJsonString());
            }
            else
            {
                Text(response, 404, "{\"code\":\"NotFound\",\"description\":\"no such resource\"}");
            }

        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            Text(response, 500, new JsonObject { ["code"] = "ServerError", ["description"] = e.Message }.ToJsonString());
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    /// <summary>Answers 100,000 bytes and sends one every <paramref name="every"/> (counted as served of
    /// <paramref name="name"/>, where one is given) until <paramref name="most"/> has passed or the client leaves.</summary>
    /// <summary>A file server that answers a HEAD at once and as a range server would, then trickles the bytes of any
    /// GET: what GDAL's <c>/vsicurl/</c> meets on a server that stalls mid-file.</summary>
    private void TrickleFile(HttpListenerRequest request, HttpListenerResponse response, TimeSpan every, string name)
    {
        response.Headers["Accept-Ranges"] = "bytes";
        if (request.HttpMethod == "HEAD")
        {
            response.StatusCode = 200;
            response.ContentLength64 = 100_000;
            response.Close();
            return;
        }

        if (request.Headers["Range"] is { } range && System.Text.RegularExpressions.Regex.Match(range, @"bytes=(\d+)-(\d+)") is
            { Success: true } m)
        {
            var (from, to) = (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value,
                CultureInfo.InvariantCulture));
            to = Math.Min(to, 99_999);
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{to}/100000";
            Stall(response, every, TimeSpan.FromSeconds(120), name, status: 206, length: to - from + 1);
            return;
        }

        Stall(response, every, TimeSpan.FromSeconds(120), name);
    }

    private void Stall(HttpListenerResponse response, TimeSpan every, TimeSpan most, string? name, int status = 200,
        long length = 100_000)
    {
        response.StatusCode = status;
        response.ContentLength64 = length;
        var stop = DateTime.UtcNow + most;
        while (_listener.IsListening && DateTime.UtcNow < stop)
        {
            response.OutputStream.Write("{"u8);
            response.OutputStream.Flush();
            if (name is not null)
            {
                _served.AddOrUpdate(name, 1, (_, v) => v + 1);
            }

            Thread.Sleep(every);
        }

        response.Abort();
    }

    private (int Status, string Body)? TakeFailure(string path)
    {
        lock (_failures)
        {
            if (_failures.TryPeek(out var f) && path.StartsWith(f.Prefix, StringComparison.Ordinal) && _failures.TryDequeue(out f))
            {
                return (f.Status, "");
            }
        }

        return null;
    }

    private static void Text(HttpListenerResponse response, (int Status, string Body) failure, string body) =>
        Text(response, failure.Status, body);

    private static void Text(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    private void Search(HttpListenerRequest request, HttpListenerResponse response)
    {
        JsonObject query;
        if (request.HttpMethod == "POST")
        {
            if (!AcceptsPost)
            {
                Text(response, 405, "{\"code\":\"MethodNotAllowed\"}");
                return;
            }

            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            query = JsonNode.Parse(reader.ReadToEnd()) as JsonObject ?? [];
        }
        else
        {
            var q = request.QueryString;
            query = new JsonObject();
            if (q["collections"] is { } c)
            {
                query["collections"] = new JsonArray([.. c.Split(',').Select(x => (JsonNode)x)]);
            }

            if (q["bbox"] is { } b)
            {
                query["bbox"] = new JsonArray([.. b.Split(',').Select(x => (JsonNode)double.Parse(x, CultureInfo.InvariantCulture))]);
            }

            foreach (var key in new[] { "datetime", "limit", "token" })
            {
                if (q[key] is { } v)
                {
                    query[key] = key == "limit" ? int.Parse(v, CultureInfo.InvariantCulture) : v;
                }
            }
        }

        var matches = Matching(query);
        var limit = Math.Min(MaxPage, query["limit"] is { } l ? (int)Number(l) : 10);
        var start = query["token"] is { } t ? int.Parse(t.GetValue<string>(), CultureInfo.InvariantCulture) : 0;
        var page = matches.Skip(start).Take(limit).ToArray();
        var links = new JsonArray();
        if (start + limit < matches.Count)
        {
            var next = (start + limit).ToString(CultureInfo.InvariantCulture);
            links.Add(request.HttpMethod == "POST"
                ? new JsonObject
                {
                    ["rel"] = "next",
                    ["href"] = Root + "/search",
                    ["method"] = "POST",
                    ["merge"] = true,
                    ["body"] = new JsonObject { ["token"] = next }
                }
                : new JsonObject { ["rel"] = "next", ["href"] = Root + "/search" + Replace(request.Url!.Query, "token", next) });
        }

        Text(response, 200, new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = new JsonArray([.. page.Select(i => i.DeepClone())]),
            ["links"] = links,
        }.ToJsonString());
    }

    private List<JsonObject> Matching(JsonObject query)
    {
        var collections = (query["collections"] as JsonArray)?.Select(c => c!.GetValue<string>()).ToHashSet();
        var box = (query["bbox"] as JsonArray)?.Select(Number).ToArray();
        var (from, to) = Interval(query["datetime"]?.GetValue<string>());
        var maxCloud = query["query"]?["eo:cloud_cover"]?["lte"] is { } lte ? Number(lte) : (double?)null;
        lock (_items)
        {
            return [.. _items.Where(i =>
            {
                var b = (i["bbox"] as JsonArray)!.Select(Number).ToArray();
                var when = DateTimeOffset.Parse(i["properties"]!["datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                var cloud = i["properties"]!["eo:cloud_cover"] is { } c ? Number(c) : (double?)null;
                return (collections is null || collections.Contains(i["collection"]!.GetValue<string>()))
                    && (box is null || (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]))
                    && when >= from && when <= to && (maxCloud is null || cloud is null || cloud <= maxCloud);
            }).OrderBy(i => i["id"]!.GetValue<string>(), StringComparer.Ordinal)];
        }
    }

    private static double Number(JsonNode? node) => double.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    private static (DateTimeOffset From, DateTimeOffset To) Interval(string? text)
    {
        if (text is null)
        {
            return (DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        }

        var parts = text.Split('/');
        DateTimeOffset At(string p, DateTimeOffset open) =>
            p is ".." or "" ? open : DateTimeOffset.Parse(p, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return parts.Length == 1 ? (At(parts[0], DateTimeOffset.MinValue), At(parts[0], DateTimeOffset.MaxValue))
            : (At(parts[0], DateTimeOffset.MinValue), At(parts[1], DateTimeOffset.MaxValue));
    }

    private static string Replace(string query, string key, string value)
    {
        var parts = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith(key + "=", StringComparison.Ordinal)).Append($"{key}={value}");
        return "?" + string.Join("&", parts);
    }
}
