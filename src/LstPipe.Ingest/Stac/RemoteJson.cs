using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core.Errors;

namespace LstPipe.Ingest.Stac;

/// <summary>Fields of JSON from a remote server, read without trusting their types: a field of another type than
/// expected reads as absent, and a body that is not a JSON object is a one-line data error naming its URL.</summary>
internal static class RemoteJson
{
    /// <summary>The most bytes a JSON answer (a search page, a token) may hold.</summary>
    public const int MaxBytes = 64 << 20;

    /// <summary>The object a body holds (a UTF-8 byte order mark is skipped).</summary>
    /// <exception cref="DataException">Not JSON, or not an object.</exception>
    public static JsonObject Object(ReadOnlySpan<byte> body, string url)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new DataException($"{url}: answered JSON that is not an object");
        }
        catch (JsonException e)
        {
            throw new DataException($"{url}: answered something that is not JSON ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>A string field, or null when absent or not a string.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Whether a field is the JSON literal true.</summary>
    public static bool True(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>A finite number (or a string holding one), or null.</summary>
    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return null;
        }

        var text = v.TryGetValue<string>(out var s) ? s : v.ToJsonString();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
    }

    /// <summary>An absolute http(s) URL: <paramref name="href"/> as it is, or resolved against <paramref name="baseUrl"/>.</summary>
    /// <exception cref="DataException">It names another scheme, or cannot be resolved.</exception>
    public static string Http(string href, string? baseUrl, string what)
    {
        Uri? uri = null;
        var absolute = href.Contains("://", StringComparison.Ordinal) ? Uri.TryCreate(href, UriKind.Absolute, out uri)
            : baseUrl is not null && Uri.TryCreate(baseUrl, UriKind.Absolute, out var b) && Uri.TryCreate(b, href, out uri);
        return absolute && uri!.Scheme is "http" or "https" ? uri.AbsoluteUri
            : throw new DataException($"{baseUrl ?? href}: {what} '{href}' is not an http(s) URL lstpipe can follow");
    }
}
