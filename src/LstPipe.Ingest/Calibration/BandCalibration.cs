using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;

namespace LstPipe.Ingest.Calibration;

/// <summary>The resolved calibration of one recipe band: a linear map to physical units, or DN to brightness
/// temperature, applied in place to blocks of values (NaN stays NaN). DNs at or above a saturation level become
/// NaN and are counted.</summary>
internal sealed class BandCalibration
{
    private long _saturated;

    private BandCalibration(double mult, double add, ThermalCoefficients? thermal, double? saturatedDn = null, string? note = null)
    {
        Mult = mult;
        Add = add;
        Thermal = thermal;
        SaturatedDn = saturatedDn;
        Note = note;
    }

    public double Mult { get; }

    public double Add { get; }

    public ThermalCoefficients? Thermal { get; }

    /// <summary>The DN from which a value is saturated (TM/ETM+: 255), or null.</summary>
    public double? SaturatedDn { get; }

    /// <summary>Saturated values seen so far.</summary>
    public long Saturated => Interlocked.Read(ref _saturated);

    /// <summary>Where the coefficients came from, when that is worth a line in the provenance.</summary>
    public string? Note { get; }

    /// <summary>Whether a stored 0 means fill for a calibration (Landsat DNs and Level-2 products, ECOSTRESS, SDGSAT-1).</summary>
    public static bool ZeroIsFill(CalibrationKind c) =>
        c is CalibrationKind.Toa or CalibrationKind.BrightnessTemperature or CalibrationKind.SurfaceReflectance
            or CalibrationKind.SurfaceTemperature or CalibrationKind.EcostressLst or CalibrationKind.ModisLst
                or CalibrationKind.RadianceBrightness
                or CalibrationKind.RadianceToa;

    /// <summary>Resolves a band's calibration.</summary>
    /// <param name="recipe">The recipe.</param>
    /// <param name="band">The band.</param>
    /// <param name="mtl">The product metadata, when the recipe names one.</param>
    /// <param name="findFile">Finds a file of the product by glob, or returns null.</param>
    public static BandCalibration For(IngestRecipe recipe, RecipeBand band, ProductMetadata? mtl, Func<string, string?> findFile)
    {
        var hint = $"{recipe.Path}";
        switch (band.Calibration)
        {
            case CalibrationKind.Toa:
                {
                    var m = RequireMtl(recipe, band, mtl);
                    var (mult, add) = LandsatCalibration.Reflectance(m, band.LandsatBand!);
                    return new BandCalibration(mult, add, null, LandsatCalibration.SaturatedDn(m, band.LandsatBand!));
                }

            case CalibrationKind.BrightnessTemperature:
                {
                    var m = RequireMtl(recipe, band, mtl);
                    return new BandCalibration(1, 0, LandsatCalibration.Thermal(m, band.LandsatBand!,
                        recipe.HandbookThermalConstants, hint),
                        LandsatCalibration.SaturatedDn(m, band.LandsatBand!));
                }

            case CalibrationKind.SurfaceReflectance:
                return new BandCalibration(LandsatCalibration.SurfaceReflectanceScale, LandsatCalibration.SurfaceReflectanceOffset, null);
            case CalibrationKind.SurfaceTemperature:
                return new BandCalibration(LandsatCalibration.SurfaceTemperatureScale, LandsatCalibration.SurfaceTemperatureOffset, null);
            case CalibrationKind.EcostressLst or CalibrationKind.ModisLst:
                return new BandCalibration(0.02, 0, null);
            case CalibrationKind.Linear:
                {
                    var (gain, offset) = LstUnits.KelvinLinear(LstUnits.TryParse(band.Unit) ?? TemperatureUnit.Kelvin);
                    return new BandCalibration(band.Scale * gain, (band.Offset * gain) + offset, null);
                }
            case CalibrationKind.RadianceBrightness:
                {
                    var (gain, bias, _, note) = Radiometric(recipe, band, findFile);
                    var lambda = band.Radiance!.WavelengthMicrons!.Value;
                    var (k1, k2) = band.Radiance.Thermal ?? ThermalPhysics.PlanckConstants(lambda);
                    var (kind, detail) = band.Radiance.ThermalSource is { } s && s.IndexOf(' ') is > 0 and var at
                        ? (s[..at], s[(at + 1)..].Trim('(', ')'))
                        : ("planck", string.Create(CultureInfo.InvariantCulture, $"Planck's law at {lambda:0.###} um"));
                    var source = string.Create(CultureInfo.InvariantCulture, $"{kind}: K1 {k1:0.####}, K2 {k2:0.####} ({detail})");
                    var thermal = new ThermalCoefficients(gain, bias, k1, k2, lambda * 1e-6) { Source = source };
                    return new BandCalibration(1, 0, thermal, null, $"{note}; {source}");
                }

            case CalibrationKind.RadianceToa:
                {
                    var (gain, bias, esun, note) = Radiometric(recipe, band, findFile);
                    var m = RequireMtl(recipe, band, mtl);
                    var elevation = SunElevation(m);
                    var doy = m.DayOfYear() ?? throw new DataException($"{m.Path}: has no acquisition date (CenterTime, " +
                        $"StartTime or DATE_ACQUIRED), needed for the Earth-Sun distance");
                    var d = LandsatCalibration.EarthSunDistance(doy);
                    var k = Math.PI * d * d / (esun * Math.Sin(elevation * Math.PI / 180));
                    return new BandCalibration(gain * k, bias * k, null, null, note);
                }

            default:
                return new BandCalibration(1, 0, null);
        }
    }

    private static double SunElevation(ProductMetadata m)
    {
        foreach (var key in new[] { "SunElevation", "SolarElevation", "SUN_ELEVATION" })
        {
            if (m.GetNumber(key) is { } e)
            {
                return e;
            }
        }

        foreach (var key in new[] { "SolarZenith", "SunZenith", "SOLAR_ZENITH" })
        {
            if (m.GetNumber(key) is { } z)
            {
                return 90 - z;
            }
        }

        throw new DataException($"{m.Path}: has no sun elevation (SunElevation, SolarElevation or SolarZenith), needed for " +
            $"top-of-atmosphere reflectance");
    }

    /// <summary>Gain, bias and ESUN of a radiance band: from the product's calibration file where it gives them,
    /// else the recipe's published defaults; ESUN from the recipe, else a black-body estimate over the band edges.</summary>
    private static (double Gain, double Bias, double Esun, string Note) Radiometric(IngestRecipe recipe, RecipeBand band,
        Func<string, string?> findFile)
    {
        var spec = band.Radiance!;
        CalibrationEntry? fromFile = null;
        string? file = null;
        if (spec.CalibrationFile is { } glob && findFile(glob) is { } found)
        {
            file = found;
            fromFile = CalibrationFile.Read(found).GetValueOrDefault(band.Band);
        }

        var gain = fromFile?.Gain ?? spec.Gain;
        var bias = fromFile?.Bias ?? spec.Bias;
        if (gain is null || bias is null)
        {
            throw new DataException(file is null
                ? $"{recipe.Path}:{band.Line}: band '{band.Name}': no calibration file matches '{spec.CalibrationFile}' and the " +
                    $"recipe gives no gain/bias; add the product's calibration file or 'gain' and 'bias'"
                : $"{file}: has no Gain/Bias for band {band.Band} (band '{band.Name}'); give 'gain' and 'bias' in " +
                    $"{recipe.Path}:{band.Line}");
        }

        var esun = fromFile?.Esun ?? spec.Esun;
        var inv = CultureInfo.InvariantCulture;
        var esunNote = "";
        if (band.Calibration == CalibrationKind.RadianceToa && esun is null)
        {
            if (spec.BandNm is not { } edges)
            {
                throw new DataException($"{recipe.Path}:{band.Line}: band '{band.Name}': neither the product nor the recipe " +
                    $"gives ESUN; add 'esun' or 'band_nm'");
            }

            esun = ThermalPhysics.BlackBodyEsun(edges[0], edges[1]);
            esunNote = string.Create(inv, $"; ESUN {esun:0.#} W/(m2 um) estimated from a 5778 K black body over {edges[0]}-{edges[1]} nm");
        }
        else if (esun is not null)
        {
            esunNote = string.Create(inv, $"; ESUN {esun} W/(m2 um)");
        }

        var source = fromFile?.Gain is not null ? $"calibration file {Path.GetFileName(file)}" : "recipe defaults (no calibration file)";
        return (gain.Value, bias.Value, esun ?? 0, string.Create(inv, $"gain {gain} bias {bias} from {source}{esunNote}"));
    }

    private static ProductMetadata RequireMtl(IngestRecipe recipe, RecipeBand band, ProductMetadata? mtl) =>
        mtl ?? throw new UsageException($"{recipe.Path}:{band.Line}: band '{band.Name}' calibrates from the product metadata, " +
            $"but the recipe names no 'metadata' file");

    public void Apply(Span<float> values)
    {
        if (SaturatedDn is { } s)
        {
            var limit = (float)s;
            var count = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] >= limit)
                {
                    values[i] = float.NaN;
                    count++;
                }
            }

            Interlocked.Add(ref _saturated, count);
        }

        if (Thermal is { } t)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = float.IsNaN(values[i]) ? float.NaN : LandsatCalibration.BrightnessTemperature(values[i], t);
            }

            return;
        }

        if (Mult == 1 && Add == 0)
        {
            return;
        }

        var m = (float)Mult;
        var a = (float)Add;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = values[i] * m + a;
        }
    }
}
