using LstPipe.Core.Errors;
using LstPipe.Ingest.Metadata;

namespace LstPipe.Ingest.Calibration;

/// <summary>A Landsat sensor, as named by the MTL's SPACECRAFT_ID and SENSOR_ID.</summary>
public enum LandsatSensor
{
    /// <summary>Landsat 4/5 Thematic Mapper.</summary>
    Tm,

    /// <summary>Landsat 7 Enhanced Thematic Mapper Plus.</summary>
    Etm,

    /// <summary>Landsat 8/9 Operational Land Imager and Thermal Infrared Sensor.</summary>
    OliTirs,
}

/// <summary>
/// Radiometric calibration of Landsat Level-1 digital numbers and Collection 2 Level-2 products:
/// DN to radiance (RADIANCE_MULT/ADD), radiance to brightness temperature (K1/K2), DN to top-of-atmosphere
/// reflectance (REFLECTANCE_MULT/ADD corrected for the sun elevation, or from radiance with the solar irradiance
/// tables of Chander et al. 2009 where the MTL has no reflectance rescaling), and the Collection 2 Level-2 scale
/// factors (surface reflectance 2.75e-5 and -0.2; surface temperature 0.00341802 and 149.0 K).
/// </summary>
public static class LandsatCalibration
{
    /// <summary>Collection 2 Level-2 surface reflectance: reflectance = DN * 2.75e-5 - 0.2.</summary>
    public const double SurfaceReflectanceScale = 0.0000275;

    /// <summary>Collection 2 Level-2 surface reflectance offset.</summary>
    public const double SurfaceReflectanceOffset = -0.2;

    /// <summary>Collection 2 Level-2 surface temperature: Kelvin = DN * 0.00341802 + 149.0.</summary>
    public const double SurfaceTemperatureScale = 0.00341802;

    /// <summary>Collection 2 Level-2 surface temperature offset (K).</summary>
    public const double SurfaceTemperatureOffset = 149.0;

    /// <summary>Second radiation constant h*c/k_B in metre-kelvin, used by the emissivity correction.</summary>
    public const double Rho = 1.438e-2;

    /// <summary>The sensor named by an MTL.</summary>
    /// <exception cref="DataException">The MTL names no Landsat sensor this tool knows.</exception>
    public static LandsatSensor SensorOf(ProductMetadata mtl)
    {
        var sensor = mtl.Get("SENSOR_ID") ?? "";
        return sensor switch
        {
            "TM" => LandsatSensor.Tm,
            "ETM" or "ETM+" => LandsatSensor.Etm,
            "OLI_TIRS" or "OLI" or "TIRS" => LandsatSensor.OliTirs,
            _ => throw new DataException($"{mtl.Path}: SENSOR_ID '{sensor}' is not a Landsat sensor this tool knows (TM, ETM, OLI_TIRS)"),
        };
    }

    /// <summary>A readable sensor name, for example <c>Landsat 8 OLI/TIRS</c>.</summary>
    public static string DisplayName(ProductMetadata mtl)
    {
        var craft = (mtl.Get("SPACECRAFT_ID") ?? "Landsat").Replace("LANDSAT_", "Landsat ", StringComparison.Ordinal);
        var sensor = (mtl.Get("SENSOR_ID") ?? "").Replace("OLI_TIRS", "OLI/TIRS", StringComparison.Ordinal)
            .Replace("ETM", "ETM+", StringComparison.Ordinal);
        return $"{craft} {sensor}".Trim();
    }

    /// <summary>Whether a Landsat band id names a thermal band of some sensor (TM/ETM+ 6, 6_VCID_1, 6_VCID_2; TIRS 10,
    /// 11); recipes name band ids before the MTL tells the sensor.</summary>
    public static bool IsThermalBand(string band) => band is "10" or "11" || band.StartsWith('6');

    /// <summary>Effective wavelength of a thermal band in metres, for the single-channel emissivity correction:
    /// TM B6 11.457 um, ETM+ B6 11.335 um, TIRS B10 10.895 um, TIRS B11 12.005 um.</summary>
    public static double ThermalWavelength(LandsatSensor sensor, string band) => (sensor, band) switch
    {
        (LandsatSensor.OliTirs, "10") => 10.895e-6,
        (LandsatSensor.OliTirs, "11") => 12.005e-6,
        (LandsatSensor.Etm, _) => 11.335e-6,
        (LandsatSensor.Tm, _) => 11.457e-6,
        _ => throw new ArgumentException($"band {band} is not thermal"),
    };

    /// <summary>The handbook thermal constants (K1 in W/(m2 sr um), K2 in K) where the MTL predates them, by the MTL's
    /// SENSOR_ID and SPACECRAFT_ID: Landsat 4 TM 671.62 / 1284.30, Landsat 5 TM 607.76 / 1260.56, Landsat 7 ETM+
    /// 666.09 / 1282.71 (Chander et al. 2009, table 5); null for other sensors, and for a TM whose spacecraft the MTL
    /// does not name.</summary>
    public static (double K1, double K2, string Name)? HandbookThermalConstants(ProductMetadata mtl) =>
        (SensorOf(mtl), mtl.Get("SPACECRAFT_ID")) switch
        {
            (LandsatSensor.Etm, _) => WithName("landsat7-etm"),
            (LandsatSensor.Tm, "LANDSAT_4") => WithName("landsat4-tm"),
            (LandsatSensor.Tm, "LANDSAT_5") => WithName("landsat5-tm"),
            _ => null,
        };

    private static (double K1, double K2, string Name) WithName(string name) =>
        (NamedThermalConstants[name].K1, NamedThermalConstants[name].K2, name);

    /// <summary>Named handbook thermal constants for a radiance band of a sensor the project knows: K1 (W/(m2 sr um)),
    /// K2 (K) and the band's effective wavelength (um): <c>landsat4-tm</c> 671.62 / 1284.30, <c>landsat5-tm</c>
    /// 607.76 / 1260.56 and <c>landsat7-etm</c> 666.09 / 1282.71 (Chander et al. 2009, table 5); <c>landsat8-b10</c>
    /// 774.8853 / 1321.0789, <c>landsat8-b11</c> 480.8883 / 1201.1442, <c>landsat9-b10</c> 799.0284 / 1329.2405 and
    /// <c>landsat9-b11</c> 475.6581 / 1198.3494 (the constants of the Landsat 8/9 MTL files).</summary>
    public static IReadOnlyDictionary<string, (double K1, double K2, double WavelengthMicrons)> NamedThermalConstants { get; } =
        new Dictionary<string, (double, double, double)>
        {
            ["landsat4-tm"] = (671.62, 1284.30, 11.457),
            ["landsat5-tm"] = (607.76, 1260.56, 11.457),
            ["landsat7-etm"] = (666.09, 1282.71, 11.335),
            ["landsat8-b10"] = (774.8853, 1321.0789, 10.895),
            ["landsat8-b11"] = (480.8883, 1201.1442, 12.005),
            ["landsat9-b10"] = (799.0284, 1329.2405, 10.895),
            ["landsat9-b11"] = (475.6581, 1198.3494, 12.005),
        };

    /// <summary>Mean exoatmospheric solar irradiance (W/(m2 um)) of a reflective band, Chander et al. 2009 table 3.</summary>
    public static double? SolarIrradiance(LandsatSensor sensor, string band) => (sensor, band) switch
    {
        (LandsatSensor.Etm, "1") => 1997,
        (LandsatSensor.Etm, "2") => 1812,
        (LandsatSensor.Etm, "3") => 1533,
        (LandsatSensor.Etm, "4") => 1039,
        (LandsatSensor.Etm, "5") => 230.8,
        (LandsatSensor.Etm, "7") => 84.90,
        (LandsatSensor.Etm, "8") => 1362,
        (LandsatSensor.Tm, "1") => 1983,
        (LandsatSensor.Tm, "2") => 1796,
        (LandsatSensor.Tm, "3") => 1536,
        (LandsatSensor.Tm, "4") => 1031,
        (LandsatSensor.Tm, "5") => 220.0,
        (LandsatSensor.Tm, "7") => 83.44,
        _ => null,
    };

    /// <summary>Earth-Sun distance in astronomical units for a day of the year.</summary>
    public static double EarthSunDistance(int dayOfYear) =>
        1 - 0.01672 * Math.Cos(0.9856 * (dayOfYear - 4) * Math.PI / 180);

    /// <summary>DN to brightness temperature in Kelvin: L = M * DN + A; T = K2 / ln(K1 / L + 1).</summary>
    public static float BrightnessTemperature(float dn, in ThermalCoefficients c)
    {
        var radiance = c.RadianceMult * dn + c.RadianceAdd;
        return radiance > 0 ? (float)(c.K2 / Math.Log(c.K1 / radiance + 1)) : float.NaN;
    }

    /// <summary>Brightness temperature to LST with the single-channel emissivity correction
    /// T / (1 + (lambda T / rho) ln(epsilon)).</summary>
    public static float EmissivityCorrected(float brightness, float emissivity, double wavelength) =>
        (float)(brightness / (1 + wavelength * brightness / Rho * Math.Log(emissivity)));

    /// <summary>Reads the thermal coefficients of a band from the MTL; <see cref="ThermalCoefficients.Source"/> says
    /// which K1/K2 were used: <c>mtl: ...</c> or <c>handbook: ...</c>, with the values.</summary>
    /// <param name="mtl">The metadata.</param>
    /// <param name="band">Band id (<c>10</c>, <c>6_VCID_1</c>, ...).</param>
    /// <param name="allowHandbook">Use the handbook K1/K2 when the MTL lacks them (older TM/ETM+ products).</param>
    /// <param name="recipeHint">Where to change the recipe, for the error message.</param>
    /// <exception cref="DataException">A constant is missing.</exception>
    public static ThermalCoefficients Thermal(ProductMetadata mtl, string band, bool allowHandbook, string recipeHint)
    {
        var sensor = SensorOf(mtl);
        var (mult, add) = RadianceRescaling(mtl, band, sensor);
        var (k1Key, k2Key) = ($"K1_CONSTANT_BAND_{band}", $"K2_CONSTANT_BAND_{band}");
        var (k1, k2) = (mtl.GetNumber(k1Key), mtl.GetNumber(k2Key));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string source;
        if (k1 is not null && k2 is not null)
        {
            source = string.Create(inv, $"mtl: K1 {k1}, K2 {k2} ({k1Key}, {k2Key} of {Path.GetFileName(mtl.Path)})");
        }
        else if (allowHandbook && HandbookThermalConstants(mtl) is { } h)
        {
            (k1, k2) = (h.K1, h.K2);
            source = string.Create(inv, $"handbook: K1 {h.K1}, K2 {h.K2} ({h.Name}, Chander et al. 2009 table 5; " +
                $"{Path.GetFileName(mtl.Path)} has no {k1Key})");
        }
        else
        {
            throw new DataException(
                $"{mtl.Path}: has no thermal constants {k1Key} / {k2Key}" +
                (allowHandbook || sensor == LandsatSensor.OliTirs ? "" : $"; set 'thermal_constants: handbook' in {recipeHint} to " +
                    $"use the published {sensor} values"));
        }

        return new ThermalCoefficients(mult, add, k1.Value, k2!.Value, ThermalWavelength(sensor, band)) { Source = source };
    }

    /// <summary>
    /// DN to radiance of a band: L = Mult * DN + Add. TM and ETM+ MTLs round RADIANCE_MULT (0.055 where the band's
    /// LMAX/LMIN give 0.055374, about 0.4 K), so for those sensors the exact rescaling
    /// (LMAX - LMIN) / (QCALMAX - QCALMIN) and LMIN - Mult * QCALMIN is used whenever the MTL has the four values
    /// (RADIANCE_MAXIMUM/MINIMUM and QUANTIZE_CAL_MAX/MIN, or the older LMAX/LMIN/QCALMAX/QCALMIN names).
    /// </summary>
    public static (double Mult, double Add) RadianceRescaling(ProductMetadata mtl, string band, LandsatSensor sensor)
    {
        if (sensor is LandsatSensor.Tm or LandsatSensor.Etm && RadianceRange(mtl, band) is var (lmax, lmin, qmax, qmin) && qmax > qmin)
        {
            var m = (lmax - lmin) / (qmax - qmin);
            return (m, lmin - m * qmin);
        }

        return (mtl.Require($"RADIANCE_MULT_BAND_{band}", $"band {band} radiance"), mtl.Require($"RADIANCE_ADD_BAND_{band}",
            $"band {band} radiance"));
    }

    /// <summary>The largest valid (unsaturated) DN of a TM/ETM+ band: QUANTIZE_CAL_MAX, else 255; null for OLI/TIRS.</summary>
    public static double? SaturatedDn(ProductMetadata mtl, string band) => SensorOf(mtl) is LandsatSensor.Tm or LandsatSensor.Etm
        ? RadianceRange(mtl, band)?.QcalMax ?? 255
        : null;

    private static (double LMax, double LMin, double QcalMax, double QcalMin)? RadianceRange(ProductMetadata mtl, string band)
    {
        var old = band.Replace("_VCID_", "", StringComparison.Ordinal);
        double? Get(string modern, string legacy) => mtl.GetNumber($"{modern}_BAND_{band}") ?? mtl.GetNumber($"{legacy}_BAND{old}");
        return (Get("RADIANCE_MAXIMUM", "LMAX"), Get("RADIANCE_MINIMUM", "LMIN"), Get("QUANTIZE_CAL_MAX", "QCALMAX"),
            Get("QUANTIZE_CAL_MIN", "QCALMIN")) is ({ } a, { } b, { } c, { } d)
            ? (a, b, c, d)
            : null;
    }

    /// <summary>Reads the TOA reflectance coefficients of a reflective band: reflectance = Mult * DN + Add.</summary>
    /// <exception cref="DataException">The MTL has neither reflectance rescaling nor what the radiance route needs.</exception>
    public static (double Mult, double Add) Reflectance(ProductMetadata mtl, string band)
    {
        var elevation = mtl.Require("SUN_ELEVATION", $"band {band} top-of-atmosphere reflectance");
        var sin = Math.Sin(elevation * Math.PI / 180);
        if (mtl.GetNumber($"REFLECTANCE_MULT_BAND_{band}") is { } m && mtl.GetNumber($"REFLECTANCE_ADD_BAND_{band}") is { } a)
        {
            return (m / sin, a / sin);
        }

        var sensor = SensorOf(mtl);
        var esun = SolarIrradiance(sensor, band)
                   ?? throw new DataException($"{mtl.Path}: has no REFLECTANCE_MULT_BAND_{band} and band {band} of {sensor} has " +
                       $"no tabulated solar irradiance");
        var doy = mtl.DayOfYear() ?? throw new DataException($"{mtl.Path}: has no DATE_ACQUIRED, needed for the Earth-Sun distance");
        var (rm, ra) = RadianceRescaling(mtl, band, sensor);
        var d = EarthSunDistance(doy);
        var k = Math.PI * d * d / (esun * sin);
        return (rm * k, ra * k);
    }
}

/// <summary>The coefficients that turn a thermal band's DN into brightness temperature.</summary>
/// <param name="RadianceMult">RADIANCE_MULT.</param>
/// <param name="RadianceAdd">RADIANCE_ADD.</param>
/// <param name="K1">K1 (W/(m2 sr um)).</param>
/// <param name="K2">K2 (K).</param>
/// <param name="Wavelength">Effective wavelength in metres.</param>
public readonly record struct ThermalCoefficients(double RadianceMult, double RadianceAdd, double K1, double K2, double Wavelength)
{
    /// <summary>Which K1/K2 these are, for provenance: <c>mtl</c>, <c>handbook</c>, <c>recipe</c> or <c>planck</c>,
    /// then the values and where they come from.</summary>
    public string? Source { get; init; }
}
