namespace LstPipe.Ingest.Calibration;

/// <summary>The thermal sensors ingest knows, for their native (as recorded, before any resampling) resolution.</summary>
public enum ThermalSensor
{
    /// <summary>Landsat 4/5 Thematic Mapper band 6: 120 m.</summary>
    LandsatTm,

    /// <summary>Landsat 7 ETM+ band 6: 60 m.</summary>
    LandsatEtm,

    /// <summary>Landsat 8/9 TIRS bands 10 and 11: 100 m.</summary>
    LandsatTirs,

    /// <summary>ECOSTRESS PHyTIR: about 70 m (69 m x 38 m at nadir, gridded at 70 m).</summary>
    Ecostress,

    /// <summary>SDGSAT-1 Thermal Infrared Spectrometer: 30 m.</summary>
    SdgsatTis,

    /// <summary>MODIS (Terra, Aqua) daily LST, MOD11A1/MYD11A1: 926.625 m, the 1 km sinusoidal grid's pixel (1200 pixels
    /// per 1,111,950.5 m tile).</summary>
    Modis,
}

/// <summary>
/// Thermal-infrared physics shared by every LST method: native sensor resolutions, Planck's law in band form
/// (K1/K2), the single-channel radiative transfer equation and the split-window equation.
/// </summary>
public static class ThermalPhysics
{
    /// <summary>First radiation constant for spectral radiance, 2 h c^2, in W um^4 / (m2 sr).</summary>
    public const double C1 = 1.191042e8;

    /// <summary>Second radiation constant h c / k, in um K.</summary>
    public const double C2 = 1.4387770e4;

    /// <summary>The pixel of MODIS's 1 km sinusoidal grid: a 10-degree tile (1,111,950.5 m on the 6,371,007.181 m sphere)
    /// over 1200 pixels.</summary>
    public const double ModisPixelMetres = 926.625433;

    /// <summary>The native resolution of a sensor's thermal band in metres (USGS Landsat handbooks; ECOSTRESS
    /// L2 LSTE user guide; SDGSAT-1 TIS specification).</summary>
    public static double NativeResolutionMetres(ThermalSensor sensor) => sensor switch
    {
        ThermalSensor.LandsatTm => 120,
        ThermalSensor.LandsatEtm => 60,
        ThermalSensor.LandsatTirs => 100,
        ThermalSensor.Ecostress => 70,
        ThermalSensor.SdgsatTis => 30,
        ThermalSensor.Modis => ModisPixelMetres,
        _ => throw new ArgumentOutOfRangeException(nameof(sensor)),
    };

    /// <summary>The thermal sensor of a Landsat instrument.</summary>
    public static ThermalSensor Of(LandsatSensor sensor) => sensor switch
    {
        LandsatSensor.Tm => ThermalSensor.LandsatTm,
        LandsatSensor.Etm => ThermalSensor.LandsatEtm,
        _ => ThermalSensor.LandsatTirs,
    };

    /// <summary>Planck's K1 (W/(m2 sr um)) and K2 (K) of a monochromatic band at <paramref name="wavelengthMicrons"/>:
    /// K1 = c1 / lambda^5, K2 = c2 / lambda, so that T = K2 / ln(K1 / L + 1).</summary>
    public static (double K1, double K2) PlanckConstants(double wavelengthMicrons) =>
        (C1 / Math.Pow(wavelengthMicrons, 5), C2 / wavelengthMicrons);

    /// <summary>Radiance of a brightness temperature: L = K1 / (exp(K2 / T) - 1).</summary>
    public static double Radiance(double brightness, double k1, double k2) => k1 / (Math.Exp(k2 / brightness) - 1);

    /// <summary>Brightness temperature of a radiance: T = K2 / ln(K1 / L + 1); NaN for a radiance that is not positive.</summary>
    public static double Brightness(double radiance, double k1, double k2) => radiance > 0 ? k2 / Math.Log(k1 / radiance + 1) : double.NaN;

    /// <summary>
    /// Single-channel LST from the radiative transfer equation L = tau (eps B(Ts) + (1 - eps) Ld) + Lu: the surface
    /// radiance eps B(Ts) = (L - Lu) / tau - (1 - eps) Ld is turned into a brightness temperature Tb, and the
    /// emissivity is removed with Ts = Tb / (1 + (lambda Tb / rho) ln eps). With tau = 1 and no path radiance this is
    /// exactly the emissivity-only correction of <see cref="LandsatCalibration.EmissivityCorrected"/>.
    /// </summary>
    /// <param name="brightness">At-sensor brightness temperature (K).</param>
    /// <param name="emissivity">Surface emissivity (1 for none).</param>
    /// <param name="c">The band's K1, K2 and effective wavelength.</param>
    /// <param name="atmosphere">Transmittance and path radiances of the scene.</param>
    public static double RadiativeTransfer(double brightness, double emissivity, in ThermalCoefficients c, in Atmosphere atmosphere)
    {
        var tb = brightness;
        if (atmosphere != Atmosphere.None)
        {
            var atSensor = Radiance(brightness, c.K1, c.K2);
            var surface = (atSensor - atmosphere.Upwelling) / atmosphere.Transmittance - (1 - emissivity) * atmosphere.Downwelling;
            tb = Brightness(surface, c.K1, c.K2);
        }

        return tb / (1 + c.Wavelength * tb / LandsatCalibration.Rho * Math.Log(emissivity));
    }

    /// <summary>
    /// The split-window equation of Jimenez-Munoz et al. (2014): Ts = Ti + c1 (Ti - Tj) + c2 (Ti - Tj)^2 + c0
    /// + (c3 + c4 w)(1 - eps) + (c5 + c6 w) deps, with eps = (eps_i + eps_j) / 2 and deps = eps_i - eps_j.
    /// </summary>
    /// <param name="ti">Brightness temperature of the ~11 um band (K).</param>
    /// <param name="tj">Brightness temperature of the ~12 um band (K).</param>
    /// <param name="ei">Emissivity in the ~11 um band.</param>
    /// <param name="ej">Emissivity in the ~12 um band.</param>
    /// <param name="waterVapour">Column water vapour in g/cm2.</param>
    /// <param name="c">Coefficients c0 to c6.</param>
    public static double SplitWindow(double ti, double tj, double ei, double ej, double waterVapour, IReadOnlyList<double> c)
    {
        var d = ti - tj;
        var eps = (ei + ej) / 2;
        var deps = ei - ej;
        return ti + c[1] * d + c[2] * d * d + c[0] + (c[3] + c[4] * waterVapour) * (1 - eps) + (c[5] + c[6] * waterVapour) * deps;
    }

    /// <summary>Split-window coefficients c0..c6 for Landsat 8 TIRS bands 10/11, Jimenez-Munoz, Sobrino, Skokovic,
    /// Mattar and Cristobal (2014), IEEE GRSL 11(10), 1840-1843, table II.</summary>
    public static IReadOnlyList<double> JimenezMunoz2014 { get; } = [-0.268, 1.378, 0.183, 54.30, -2.238, -129.20, 16.40];

    /// <summary>Sun radius over one astronomical unit, squared: the solid-angle factor of the solar disc.</summary>
    private const double SunDiscFactor = 6.957e8 / 1.495978707e11 * (6.957e8 / 1.495978707e11);

    /// <summary>An estimate of a band's mean exoatmospheric solar irradiance (W/(m2 um)) from the Sun as a 5778 K
    /// black body, averaged over the band edges (nm): within about 10% of measured solar spectra in the visible
    /// the blue; used only where neither the product nor the recipe gives ESUN.</summary>
    public static double BlackBodyEsun(double lowerNm, double upperNm)
    {
        const int steps = 200;
        double sum = 0;
        for (var i = 0; i < steps; i++)
        {
            var lambda = (lowerNm + (upperNm - lowerNm) * (i + 0.5) / steps) / 1000;
            sum += C1 / Math.Pow(lambda, 5) / (Math.Exp(C2 / (lambda * 5778)) - 1);
        }

        return Math.PI * SunDiscFactor * sum / steps;
    }
}

/// <summary>Atmospheric parameters of one thermal band for one scene, as NASA's atmospheric correction parameter
/// calculator gives them.</summary>
/// <param name="Transmittance">Band-effective transmittance tau, in (0, 1].</param>
/// <param name="Upwelling">Upwelling (path) radiance Lu, W/(m2 sr um).</param>
/// <param name="Downwelling">Downwelling sky radiance Ld, W/(m2 sr um).</param>
public readonly record struct Atmosphere(double Transmittance, double Upwelling, double Downwelling)
{
    /// <summary>No atmosphere: tau 1, no path radiance.</summary>
    public static Atmosphere None => new(1, 0, 0);
}
