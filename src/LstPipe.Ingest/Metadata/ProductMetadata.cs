using System.Globalization;
using System.Xml.Linq;
using LstPipe.Core.Errors;

namespace LstPipe.Ingest.Metadata;

/// <summary>
/// A Landsat metadata file (<c>*_MTL.txt</c> in the <c>GROUP = ... / KEY = value</c> form, or <c>*_MTL.xml</c>) as
/// a flat map from key to value; keys are unique across groups in every Landsat product.
/// </summary>
public sealed class ProductMetadata
{
    private readonly Dictionary<string, string> _values;

    private ProductMetadata(string path, Dictionary<string, string> values)
    {
        Path = path;
        _values = values;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>Every key and value.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Reads an MTL file in its text or XML form.</summary>
    /// <exception cref="DataException">The file is neither form or holds no keys.</exception>
    public static ProductMetadata Read(string path)
    {
        var text = File.ReadAllText(path);
        var values = text.TrimStart().StartsWith('<') ? ParseXml(path, text) : ParseText(text);
        if (values.Count == 0)
        {
            throw new DataException($"{path}: not a product metadata file (Landsat MTL or XML): no KEY = value lines or XML elements");
        }

        return new ProductMetadata(path, values);
    }

    /// <summary>The value of a key, or null.</summary>
    public string? Get(string key) => _values.GetValueOrDefault(key);

    /// <summary>A numeric value, or null when the key is absent.</summary>
    /// <exception cref="DataException">The value is not a number.</exception>
    public double? GetNumber(string key)
    {
        if (Get(key) is not { } v)
        {
            return null;
        }

        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new DataException($"{Path}: {key} = {v} is not a number");
    }

    /// <summary>A numeric value that must be present.</summary>
    /// <exception cref="DataException">The key is absent; the message says what it is needed for.</exception>
    public double Require(string key, string neededFor) =>
        GetNumber(key) ?? throw new DataException($"{Path}: has no {key}, needed for {neededFor}");

    /// <summary>Acquisition time in UTC (ISO 8601) from DATE_ACQUIRED and SCENE_CENTER_TIME, when present, to the
    /// precision the product gives (Landsat's seven decimals of a second).</summary>
    public string? Acquired()
    {
        var date = Get("DATE_ACQUIRED");
        if (date is null)
        {
            return ProductTime() is { } when ? when.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null;
        }

        var time = Get("SCENE_CENTER_TIME");
        if (time is null)
        {
            return date;
        }

        return $"{date}T{time.Trim().TrimEnd('Z')}Z";
    }

    /// <summary>Day of the year of the acquisition, or null.</summary>
    public int? DayOfYear() =>
        DateOnly.TryParseExact(Get("DATE_ACQUIRED") ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.DayOfYear
            : ProductTime()?.DayOfYear;

    /// <summary>The centre (else start) time of an XML product metadata such as SDGSAT-1's <c>meta.xml</c>
    /// (<c>CenterTime</c>, <c>StartTime</c>), read as UTC.</summary>
    private DateTime? ProductTime()
    {
        foreach (var key in new[] { "CenterTime", "StartTime" })
        {
            if (Get(key) is { } text && DateTime.TryParse(text.Replace('T', ' ').TrimEnd('Z'), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            {
                return DateTime.SpecifyKind(t, DateTimeKind.Utc);
            }
        }

        return null;
    }

    private static Dictionary<string, string> ParseText(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim().Trim('"');
            if (key is "GROUP" or "END_GROUP" || key.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            values.TryAdd(key, value);
        }

        return values;
    }

    private static Dictionary<string, string> ParseXml(string path, string text)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException e)
        {
            throw new DataException($"{path}: not valid XML metadata: {e.Message}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in doc.Descendants().Where(e => !e.HasElements))
        {
            values.TryAdd(e.Name.LocalName, e.Value.Trim());
        }

        return values;
    }
}
