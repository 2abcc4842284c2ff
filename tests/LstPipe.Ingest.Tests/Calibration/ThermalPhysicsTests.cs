using LstPipe.Ingest.Calibration;

namespace LstPipe.Ingest.Tests.Calibration;

public class ThermalPhysicsTests
{
    private static readonly ThermalCoefficients Tirs10 = new(3.342e-4, 0.1, 774.8853, 1321.0789, 10.895e-6);

    [Fact]
    public void Radiative_transfer_lst_equals_the_value_worked_by_hand()
    {
        // At 300 K band 10 sees L = 774.8853 / (exp(1321.0789 / 300) - 1) = 9.59678; with tau 0.8, Lu 1.5, Ld 2.5 and
        // emissivity 0.97 the surface term is (9.59678 - 1.5) / 0.8 - 0.03 * 2.5 = 10.04597, its brightness
        // 1321.0789 / ln(774.8853 / 10.04597 + 1) = 303.10929 K, and 303.10929 / (1 + 10.895e-6 * 303.10929 / 1.438e-2
        // * ln 0.97) = 305.24446 K.
        var lst = ThermalPhysics.RadiativeTransfer(300, 0.97, Tirs10, new Atmosphere(0.8, 1.5, 2.5));
        Assert.Equal(305.24446, lst, 0.01);
        Assert.Equal(9.59678, ThermalPhysics.Radiance(300, Tirs10.K1, Tirs10.K2), 1e-4);
    }

    [Theory]
    [InlineData(300f, 0.97f)]
    [InlineData(255.5f, 0.991f)]
    [InlineData(312.25f, 0.9623f)]
    public void Transmittance_one_and_no_path_radiance_give_the_emissivity_only_lst_exactly(float brightness, float emissivity)
    {
        var rte = (float)ThermalPhysics.RadiativeTransfer(brightness, emissivity, Tirs10, Atmosphere.None);
        Assert.Equal(LandsatCalibration.EmissivityCorrected(brightness, emissivity, Tirs10.Wavelength), rte);
    }

    [Fact]
    public void A_humid_atmosphere_makes_the_corrected_lst_warmer_than_the_uncorrected()
    {
        var plain = LandsatCalibration.EmissivityCorrected(295, 0.98f, Tirs10.Wavelength);
        var corrected = ThermalPhysics.RadiativeTransfer(295, 0.98, Tirs10, new Atmosphere(0.7, 2.2, 3.6));
        Assert.InRange(corrected - plain, 2, 10);
    }

    [Fact]
    public void Split_window_equals_the_value_worked_by_hand()
    {
        // Ti 295, Tj 293.5 (difference 1.5), emissivities 0.975 / 0.98 (mean 0.9775, difference -0.005), w 2 g/cm2:
        // 295 + 1.378 * 1.5 + 0.183 * 2.25 - 0.268 + (54.30 - 2.238 * 2) * 0.0225 + (-129.20 + 16.40 * 2) * -0.005
        // = 295 + 2.067 + 0.41175 - 0.268 + 1.12104 + 0.482 = 298.81379 K.
        var lst = ThermalPhysics.SplitWindow(295, 293.5, 0.975, 0.98, 2.0, ThermalPhysics.JimenezMunoz2014);
        Assert.Equal(298.81379, lst, 0.01);
    }

    [Fact]
    public void Planck_constants_of_a_band_centre_match_the_tirs_constants_within_a_percent()
    {
        var (k1, k2) = ThermalPhysics.PlanckConstants(10.895);
        Assert.InRange(k1 / 774.8853, 0.95, 1.05);
        Assert.InRange(k2 / 1321.0789, 0.99, 1.01);
    }

    [Theory]
    [InlineData(630, 690, 1533)]
    [InlineData(775, 900, 1039)]
    public void Black_body_esun_is_within_ten_percent_of_the_tabulated_landsat_values(double lower, double upper, double tabulated)
    {
        Assert.InRange(ThermalPhysics.BlackBodyEsun(lower, upper) / tabulated, 0.9, 1.1);
    }

    [Theory]
    [InlineData(0.8f, 0.05f, 0.987f, 0.989f)]
    [InlineData(-0.1f, 0.05f, 0.991f, 0.991f)]
    [InlineData(0.1f, 0.2f, 0.9698f, 0.9766f)]
    public void Split_window_emissivities_follow_the_tirs_ndvi_thresholds(float ndvi, float red, float band10, float band11)
    {
        Assert.Equal(band10, Emissivity.SplitWindowBand(ndvi, red, longWave: false), 4);
        Assert.Equal(band11, Emissivity.SplitWindowBand(ndvi, red, longWave: true), 4);
    }
}
