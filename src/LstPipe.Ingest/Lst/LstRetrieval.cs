using System.Globalization;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Recipes;

namespace LstPipe.Ingest.Lst;

/// <summary>
/// Turns a strip of calibrated thermal bands into LST by the recipe's method: a ready surface temperature as it is;
/// one brightness temperature with the emissivity correction and, where the recipe gives the atmosphere, the
/// radiative transfer equation; or two brightness temperatures by the split window. Emissivity comes from the NDVI
/// of the red and NIR reflectance passed in (already averaged to the thermal resolution where the recipe asks).
/// </summary>
internal sealed class LstRetrieval(RecipeLst lst, ThermalCoefficients? thermal)
{
    /// <summary>Whether the method needs red and NIR reflectance for emissivity.</summary>
    public bool NeedsNdvi => lst.Method == "split-window" || lst.Emissivity == "sobrino2004";

    /// <summary>The provenance line that names the method.</summary>
    public string Description => lst.Method == "split-window"
        ? $"split window (Jimenez-Munoz et al. 2014 form, coefficients {lst.CoefficientsSource}: " +
            $"{string.Join(", ", lst.Coefficients.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)))}; " +
                $"water vapour {lst.WaterVapour?.ToString(System.Globalization.CultureInfo.InvariantCulture)} g/cm2; per-band " +
                    $"NDVI-threshold emissivity)"
        : !lst.FromBrightness ? "surface temperature as delivered"
        : lst.Atmosphere is { } a ? string.Create(CultureInfo.InvariantCulture, $"radiative transfer equation (transmittance " +
            $"{a.Transmittance}, " +
            $"upwelling {a.Upwelling}, downwelling {a.Downwelling} W/(m2 sr um)), emissivity {lst.Emissivity}")
        : $"emissivity correction only ({lst.Emissivity}), no atmospheric correction";

    /// <summary>Computes the strip.</summary>
    /// <param name="band">Calibrated values of the LST band (the ~11 um band of a split window).</param>
    /// <param name="band2">The ~12 um band of a split window, else empty.</param>
    /// <param name="red">Red reflectance for emissivity, else empty.</param>
    /// <param name="nir">NIR reflectance for emissivity, else empty.</param>
    /// <param name="output">LST in Kelvin (NaN where an input is nodata).</param>
    public void Compute(ReadOnlySpan<float> band, ReadOnlySpan<float> band2, ReadOnlySpan<float> red, ReadOnlySpan<float> nir,
        Span<float> output)
    {
        if (lst.Method == "split-window")
        {
            for (var i = 0; i < output.Length; i++)
            {
                var ndvi = Ndvi(red[i], nir[i]);
                var ei = Emissivity.SplitWindowBand(ndvi, red[i], longWave: false);
                var ej = Emissivity.SplitWindowBand(ndvi, red[i], longWave: true);
                output[i] = float.IsNaN(band[i]) || float.IsNaN(band2[i]) || float.IsNaN(ei) || float.IsNaN(ej)
                    ? float.NaN
                    : (float)ThermalPhysics.SplitWindow(band[i], band2[i], ei, ej, lst.WaterVapour!.Value, lst.Coefficients);
            }

            return;
        }

        if (!lst.FromBrightness || (lst.Emissivity == "none" && lst.Atmosphere is null))
        {
            band.CopyTo(output);
            return;
        }

        var c = thermal!.Value;
        for (var i = 0; i < output.Length; i++)
        {
            var e = lst.Emissivity == "sobrino2004" ? Emissivity.Sobrino2004(Ndvi(red[i], nir[i]), red[i]) : 1f;
            if (float.IsNaN(band[i]) || float.IsNaN(e))
            {
                output[i] = float.NaN;
            }
            else if (lst.Atmosphere is { } atmosphere)
            {
                output[i] = (float)ThermalPhysics.RadiativeTransfer(band[i], e, c, atmosphere);
            }
            else
            {
                output[i] = LandsatCalibration.EmissivityCorrected(band[i], e, c.Wavelength);
            }
        }
    }

    private static float Ndvi(float red, float nir)
    {
        var den = nir + red;
        return MathF.Abs(den) < 1e-12f ? float.NaN : (nir - red) / den;
    }
}
