using LstPipe.Core.Errors;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;

namespace LstPipe.Ingest.Calibration;

/// <summary>The resolved calibration of one recipe band: a linear map to physical units, or DN to brightness
/// temperature, applied in place to blocks of values (NaN stays NaN).</summary>
internal sealed class BandCalibration
{
    private BandCalibration(double mult, double add, ThermalCoefficients? thermal)
    {
        Mult = mult;
        Add = add;
        Thermal = thermal;
    }

    public double Mult { get; }

    public double Add { get; }

    public ThermalCoefficients? Thermal { get; }

    /// <summary>Whether a stored 0 means fill for a calibration (Landsat DNs and Level-2 products, ECOSTRESS).</summary>
    public static bool ZeroIsFill(CalibrationKind c) =>
        c is CalibrationKind.Toa or CalibrationKind.BrightnessTemperature or CalibrationKind.SurfaceReflectance
            or CalibrationKind.SurfaceTemperature or CalibrationKind.EcostressLst;

    public static BandCalibration For(IngestRecipe recipe, RecipeBand band, ProductMetadata? mtl)
    {
        var hint = $"{recipe.Path}";
        switch (band.Calibration)
        {
            case CalibrationKind.Toa:
                {
                    var (m, a) = LandsatCalibration.Reflectance(RequireMtl(recipe, band, mtl), band.LandsatBand!);
                    return new BandCalibration(m, a, null);
                }

            case CalibrationKind.BrightnessTemperature:
                return new BandCalibration(1, 0, LandsatCalibration.Thermal(RequireMtl(recipe, band, mtl), band.LandsatBand!, recipe.HandbookThermalConstants, hint));
            case CalibrationKind.SurfaceReflectance:
                return new BandCalibration(LandsatCalibration.SurfaceReflectanceScale, LandsatCalibration.SurfaceReflectanceOffset, null);
            case CalibrationKind.SurfaceTemperature:
                return new BandCalibration(LandsatCalibration.SurfaceTemperatureScale, LandsatCalibration.SurfaceTemperatureOffset, null);
            case CalibrationKind.EcostressLst:
                return new BandCalibration(0.02, 0, null);
            case CalibrationKind.Linear:
                return new BandCalibration(band.Scale, band.Offset + (band.Unit == "C" ? 273.15 : 0), null);
            default:
                return new BandCalibration(1, 0, null);
        }
    }

    private static ProductMetadata RequireMtl(IngestRecipe recipe, RecipeBand band, ProductMetadata? mtl) =>
        mtl ?? throw new UsageException($"{recipe.Path}:{band.Line}: band '{band.Name}' calibrates from the MTL, but the recipe names no 'metadata' file");

    public void Apply(Span<float> values)
    {
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
