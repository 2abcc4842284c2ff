namespace LstPipe.Ingest.Calibration;

/// <summary>
/// Land-surface emissivity from NDVI by the NDVI threshold method of Sobrino, Jimenez-Munoz and Paolini (2004),
/// "Land surface temperature retrieval from LANDSAT TM 5", Remote Sensing of Environment 90: water (NDVI &lt; 0)
/// 0.991; bare soil (NDVI &lt; 0.2) 0.979 - 0.035 * red reflectance; mixed (0.2 to 0.5) 0.986 + 0.004 * Pv with
/// Pv = ((NDVI - 0.2) / 0.3)^2; full vegetation (NDVI &gt; 0.5) 0.99.
/// </summary>
public static class Emissivity
{
    /// <summary>NDVI below which a pixel is bare soil.</summary>
    public const float SoilNdvi = 0.2f;

    /// <summary>NDVI above which a pixel is fully vegetated.</summary>
    public const float VegetationNdvi = 0.5f;

    /// <summary>The emissivity of one pixel, or NaN when an input is nodata.</summary>
    public static float Sobrino2004(float ndvi, float red)
    {
        if (float.IsNaN(ndvi))
        {
            return float.NaN;
        }

        if (ndvi < 0)
        {
            return 0.991f;
        }

        if (ndvi < SoilNdvi)
        {
            return float.IsNaN(red) ? float.NaN : 0.979f - 0.035f * Math.Clamp(red, 0f, 1f);
        }

        if (ndvi > VegetationNdvi)
        {
            return 0.99f;
        }

        var pv = (ndvi - SoilNdvi) / (VegetationNdvi - SoilNdvi);
        return 0.986f + 0.004f * pv * pv;
    }

    /// <summary>
    /// Per-band emissivity for a split window around 11 and 12 um (Landsat 8/9 TIRS bands 10 and 11; used for SDGSAT-1
    /// TIS bands 2 and 3, whose bands are close) by the NDVI threshold method with the TIRS values of Skokovic et al.
    /// (2014): bare soil (NDVI &lt; 0.2) 0.979 - 0.046 red (band 10) and 0.982 - 0.027 red (band 11); full vegetation
    /// (NDVI &gt; 0.5) 0.987 and 0.989; mixed pixels eps_v Pv + eps_s (1 - Pv) + (1 - eps_s)(1 - Pv) 0.55 eps_v with
    /// eps_s 0.971 / 0.977; water (NDVI &lt; 0) 0.991 in both bands (Sobrino et al. 2004).
    /// </summary>
    /// <param name="ndvi">NDVI of the pixel.</param>
    /// <param name="red">Red reflectance of the pixel.</param>
    /// <param name="longWave">False for the ~11 um band, true for the ~12 um band.</param>
    public static float SplitWindowBand(float ndvi, float red, bool longWave)
    {
        if (float.IsNaN(ndvi))
        {
            return float.NaN;
        }

        if (ndvi < 0)
        {
            return 0.991f;
        }

        var (soilA, soilB, soil, vegetation) = longWave ? (0.982f, 0.027f, 0.977f, 0.989f) : (0.979f, 0.046f, 0.971f, 0.987f);
        if (ndvi < SoilNdvi)
        {
            return float.IsNaN(red) ? float.NaN : soilA - soilB * Math.Clamp(red, 0f, 1f);
        }

        if (ndvi > VegetationNdvi)
        {
            return vegetation;
        }

        var pv = (ndvi - SoilNdvi) / (VegetationNdvi - SoilNdvi);
        pv *= pv;
        return vegetation * pv + soil * (1 - pv) + (1 - soil) * (1 - pv) * 0.55f * vegetation;
    }
}
