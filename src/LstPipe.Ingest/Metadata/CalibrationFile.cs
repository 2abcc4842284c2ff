using System.Globalization;
using System.Xml.Linq;
using LstPipe.Core.Errors;

namespace LstPipe.Ingest.Metadata;

/// <summary>Radiometric coefficients of one band from a product's calibration file.</summary>
/// <param name="Gain">Radiance per DN.</param>
/// <param name="Bias">Radiance offset.</param>
/// <param name="Esun">Mean exoatmospheric solar irradiance, W/(m2 um).</param>
public sealed record CalibrationEntry(double? Gain, double? Bias, double? Esun);

/// <summary>
/// A calibration file of an SDGSAT-1 product as lstpipe reads it: XML whose <c>Band</c> elements carry the 1-based
/// band number in an <c>id</c> (or <c>index</c>) attribute and <c>Gain</c>, <c>Bias</c> (or <c>Offset</c>) and
/// optional <c>ESUN</c> children; radiance = Gain * DN + Bias.
/// </summary>
public static class CalibrationFile
{
    /// <summary>Reads the coefficients by band number.</summary>
    /// <exception cref="DataException">The file is not XML or a value is not a number.</exception>
    public static IReadOnlyDictionary<int, CalibrationEntry> Read(string path)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new DataException($"{path}: not a valid calibration file (XML): {e.Message}");
        }

        var result = new Dictionary<int, CalibrationEntry>();
        foreach (var band in doc.Descendants().Where(e => e.Name.LocalName == "Band"))
        {
            var id = (band.Attribute("id") ?? band.Attribute("index"))?.Value;
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new DataException($"{path}: a Band element has no numeric id attribute");
            }

            double? Value(params string[] names)
            {
                var e = band.Elements().FirstOrDefault(x => names.Contains(x.Name.LocalName, StringComparer.OrdinalIgnoreCase));
                if (e is null)
                {
                    return null;
                }

                return double.TryParse(e.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? v
                    : throw new DataException($"{path}: band {n} {e.Name.LocalName} '{e.Value.Trim()}' is not a number");
            }

            result[n] = new CalibrationEntry(Value("Gain"), Value("Bias", "Offset"), Value("ESUN"));
        }

        return result;
    }
}
