using LstPipe.Ingest.Calibration;

namespace LstPipe.Ingest.Tests.Calibration;

public class CalibrationTests
{
    [Fact]
    public void Brightness_temperature_follows_the_planck_inversion()
    {
        var c = new ThermalCoefficients(3.3420E-04, 0.1, 774.8853, 1321.0789, 10.895e-6);
        const float dn = 25000;
        var radiance = 3.3420E-04 * dn + 0.1;
        var expected = 1321.0789 / Math.Log(774.8853 / radiance + 1);
        Assert.Equal(expected, LandsatCalibration.BrightnessTemperature(dn, c), 3);
        Assert.True(float.IsNaN(LandsatCalibration.BrightnessTemperature(-1000, c)));
    }

    [Fact]
    public void The_emissivity_correction_raises_temperature_by_the_single_channel_formula()
    {
        const float bt = 300;
        var lst = LandsatCalibration.EmissivityCorrected(bt, 0.97f, 10.895e-6);
        var expected = 300 / (1 + 10.895e-6 * 300 / 1.438e-2 * Math.Log(0.97));
        Assert.Equal(expected, lst, 3);
        Assert.InRange(lst - bt, 2.0, 2.2);
        Assert.Equal(bt, LandsatCalibration.EmissivityCorrected(bt, 1f, 10.895e-6));
    }

    [Theory]
    [InlineData(-0.2f, 0.1f, 0.991f)]
    [InlineData(0.1f, 0.2f, 0.979f - 0.035f * 0.2f)]
    [InlineData(0.35f, 0.1f, 0.987f)]
    [InlineData(0.2f, 0.1f, 0.986f)]
    [InlineData(0.5f, 0.1f, 0.99f)]
    [InlineData(0.8f, 0.1f, 0.99f)]
    public void Sobrino_2004_thresholds_give_the_published_emissivities(float ndvi, float red, float expected) =>
        Assert.Equal(expected, Emissivity.Sobrino2004(ndvi, red), 5);

    [Fact]
    public void Earth_sun_distance_is_near_its_extremes_at_perihelion_and_aphelion()
    {
        Assert.InRange(LandsatCalibration.EarthSunDistance(3), 0.983, 0.984);
        Assert.InRange(LandsatCalibration.EarthSunDistance(186), 1.016, 1.0168);
    }
}
