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
}
