using System.Globalization;
using System.Text.Json.Serialization;
using LstPipe.Core.Errors;
using LstPipe.Core.Options;
using LstPipe.Core.Units;

namespace LstPipe.Ingest.Stac;

/// <summary>Which of the items a query finds a region takes.</summary>
public enum StacPick
{
    /// <summary>The item with the least cloud cover (ties: the newest).</summary>
    LeastCloudy,

    /// <summary>Every item, one scene each.</summary>
    All,

    /// <summary>The most recent item.</summary>
    Newest,
}

/// <summary>
/// A STAC API item search (<c>lstpipe search</c>, and a pipeline region's <c>stac:</c> section): the only declaration
/// of its options, bound from the command line and from recipes alike.
/// </summary>
public sealed record StacQuery
{
    /// <summary>The API's root URL; items are searched at <c>API/search</c>.</summary>
    [Option("api", "STAC API root URL (items are searched at API/search)", Required = true)]
    public string Api { get; init; } = "";

    /// <summary>The collection id (<c>landsat-c2-l1</c>).</summary>
    [Option("collection", "Collection id (landsat-c2-l1, landsat-c2-l2, modis-11A1-061, ...)", Required = true)]
    public string Collection { get; init; } = "";

    /// <summary>The region: west, south, east, north in WGS 84 degrees.</summary>
    [Option("bbox", "Region as W,S,E,N in WGS 84 degrees", Parser = typeof(BboxParser), Required = true)]
    public MapBounds? Bbox { get; init; }

    /// <summary>An RFC 3339 instant or interval (<c>2021-05-01/2021-05-31</c>, <c>../2021-01-01</c>); dates mean whole
    /// UTC days.</summary>
    [Option("datetime", "Date or interval START/END (2021-05-01/2021-05-31; '..' leaves an end open)")]
    public string? Datetime { get; init; }

    /// <summary>Items cloudier than this percentage are left out; null: no limit.</summary>
    [Option("max-cloud", "Leave out items with more cloud cover than this percentage", Min = 0, Max = 100)]
    public double? MaxCloud { get; init; }

    /// <summary>At most this many items are fetched.</summary>
    [Option("limit", "Fetch at most this many items", Min = 1, Max = 10000)]
    public int Limit { get; init; } = 100;

    /// <summary>Which of the found items a region takes.</summary>
    [Option("pick", "Items a region takes: least-cloudy, newest or all")]
    public StacPick Pick { get; init; } = StacPick.LeastCloudy;

    /// <summary>A token endpoint that signs asset URLs (Microsoft Planetary Computer's SAS API, say): its JSON answer's
    /// <c>token</c> is appended to each asset's query string. Never a credential.</summary>
    [Option("sign", "Token endpoint whose JSON 'token' is appended to asset URLs (Planetary Computer's SAS API); for the assets " +
        "a region reads, not for the search")]
    public string? Sign { get; init; }

    /// <summary>Seconds one request may take, its whole answer read (an execution choice: not part of the query's
    /// identity, so a pin stays valid when it changes).</summary>
    [Option("timeout", "Seconds one request to the API may take, its whole answer read", Min = 1, Max = 3600)]
    [JsonIgnore]
    public double Timeout { get; init; } = 60;

    /// <summary>Seconds the whole search may take, every page and retry included (an execution choice).</summary>
    [Option("deadline", "Seconds the whole search may take, every page and retry included", Min = 1, Max = 86400)]
    [JsonIgnore]
    public double Deadline { get; init; } = 600;

    /// <summary>The least share of the bbox an item must cover to be picked: a region of a scene that covers less is
    /// mostly nodata, and a neighbouring scene covers it better.</summary>
    public const double MinOverlap = 0.5;

    /// <summary>The items a region takes of those found: of the items that cover at least <see cref="MinOverlap"/> of
    /// the bbox, the least cloudy (ties: the newest; an item whose cloud cover is unknown counts as 100%), the newest,
    /// or all of them oldest first.</summary>
    public IReadOnlyList<StacItem> Choose(IReadOnlyList<StacItem> items) => Covering(items) switch
    {
        { Count: 0 } => [],
        var covering when Pick == StacPick.All => [.. covering.OrderBy(i => i.Datetime).ThenBy(i => i.Id, StringComparer.Ordinal)],
        var covering when Pick == StacPick.Newest => [covering.OrderByDescending(i => i.Datetime)
            .ThenBy(i => i.Id, StringComparer.Ordinal).First()],
        var covering => [covering.OrderBy(i => i.CloudCover ?? 100).ThenByDescending(i => i.Datetime)
            .ThenBy(i => i.Id, StringComparer.Ordinal).First()],
    };

    /// <summary>The items that cover at least <see cref="MinOverlap"/> of the bbox.</summary>
    public IReadOnlyList<StacItem> Covering(IReadOnlyList<StacItem> items) =>
        [.. items.Where(i => Bbox is not { } b || i.Overlap(b) >= MinOverlap)];

    /// <summary>What a person should know of the query as given: a bbox whose west edge lies east of its east edge is
    /// taken as crossing the antimeridian (STAC's convention), which a typo gives too.</summary>
    public IEnumerable<string> Warnings()
    {
        if (Bbox is { } b && b.MinX > b.MaxX)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"bbox {new BboxParser().Format(b)}: west {b.MinX} lies east " +
                $"of east {b.MaxX}, so it is taken as crossing the antimeridian ({360 - b.MinX + b.MaxX:0.###} degrees wide); " +
                $"swap them if that is a typo");
        }
    }

    /// <summary>The <c>search</c> URL.</summary>
    public Uri SearchUri => new(Api.TrimEnd('/') + "/search");

    /// <summary>Checks the query and returns it with its datetime in RFC 3339 form.</summary>
    /// <exception cref="UsageException">A missing or malformed option.</exception>
    public StacQuery Validate()
    {
        if (!Uri.TryCreate(Api, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--api '{Api}' must be the http(s) URL of a STAC API, for example " +
                $"https://planetarycomputer.microsoft.com/api/stac/v1");
        }

        if (Collection.Length == 0)
        {
            throw new UsageException("--collection is required: the id of the collection to search, for example landsat-c2-l1");
        }

        if (Bbox is not { } b)
        {
            throw new UsageException("--bbox is required: W,S,E,N in degrees, for example -95.4,29.3,-94.9,29.7");
        }

        if (Sign is { } sign && !(Uri.TryCreate(sign, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            throw new UsageException($"--sign '{sign}' must be the http(s) URL of a token endpoint");
        }

        return this with { Datetime = Datetime is null ? null : Interval(Datetime), Bbox = b };
    }

    /// <summary>An RFC 3339 interval from dates or instants: a start date means its first second, an end date its last.</summary>
    /// <exception cref="UsageException">Neither a date nor an instant.</exception>
    public static string Interval(string text)
    {
        var parts = text.Split('/');
        if (parts.Length > 2)
        {
            throw new UsageException($"--datetime '{text}': give one date or START/END");
        }

        string End(string p, bool start)
        {
            p = p.Trim();
            if (p is ".." or "")
            {
                return parts.Length == 2 ? ".." : throw new UsageException($"--datetime '{text}': give a date");
            }

            if (DateOnly.TryParseExact(p, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (start ? "T00:00:00Z" : "T23:59:59Z");
            }

            return DateTimeOffset.TryParse(p, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : throw new UsageException($"--datetime '{text}': '{p}' is neither a date (2021-05-01) nor an RFC 3339 time");
        }

        var (from, to) = parts.Length == 1 ? (End(parts[0], true), End(parts[0], false)) : (End(parts[0], true), End(parts[1], false));
        if (from == ".." && to == "..")
        {
            throw new UsageException($"--datetime '{text}': give a start, an end, or both");
        }

        return from != ".." && to != ".." && string.CompareOrdinal(from, to) > 0
            ? throw new UsageException($"--datetime '{text}': the start is after the end")
            : from + "/" + to;
    }

    /// <summary>Reads <c>W,S,E,N</c>.</summary>
    public sealed class BboxParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text)
        {
            var v = text.Split(',', StringSplitOptions.TrimEntries)
                .Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : double.NaN)
                .ToArray();
            if (v.Length != 4 || !v.All(double.IsFinite))
            {
                throw new FormatException("use W,S,E,N: four numbers in degrees");
            }

            if (v[0] is < -180 or > 180 || v[2] is < -180 or > 180 || v[1] is < -90 or > 90 || v[3] is < -90 or > 90
                || v[1] >= v[3] || v[0] == v[2])
            {
                throw new FormatException("W,S,E,N must be longitudes in [-180, 180] and latitudes in [-90, 90] with S < N");
            }

            return new MapBounds(v[0], v[1], v[2], v[3]);
        }

        /// <inheritdoc/>
        public string Format(object value)
        {
            var b = (MapBounds)value;
            return string.Join(",", new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
        }
    }
}
