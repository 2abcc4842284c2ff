using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Tests.Gdal;

namespace LstPipe.Raster.Tests.Checks;

public class LstCheckTests
{
    private static LstPlace Place(TemperatureUnit unit = TemperatureUnit.Kelvin) => new("lst.tif", 4, 10, unit, "fix it");

    [Fact]
    public void A_kelvin_tile_with_nodata_passes_unchanged()
    {
        float[] tile = [290, float.NaN, 300.5f, 150, 400, 310];
        LstCheck.Tile(tile, 3, "t.mat");
        Assert.Equal([290, float.NaN, 300.5f, 150, 400, 310], tile);
    }

    [Theory]
    [InlineData(float.PositiveInfinity, "t.mat: the LST at row 1, column 1 is +Infinity, neither a temperature nor nodata; mask it as nodata (NaN) or fix what wrote it")]
    [InlineData(float.NegativeInfinity, "t.mat: the LST at row 1, column 1 is -Infinity, neither a temperature nor nodata; mask it as nodata (NaN) or fix what wrote it")]
    [InlineData(600f, "t.mat: holds an LST of 600 K at row 1, column 1 (values 290 to 600 K), outside the 150-400 K of any land " +
        "surface (it is not a land-surface temperature in Kelvin, Celsius or Fahrenheit); fix it")]
    public void A_non_finite_or_implausible_tile_value_is_named_with_its_pixel(float bad, string message)
    {
        float[] tile = [290, 300, float.NaN, 295, bad, 310];
        Assert.Equal(message, Assert.Throws<DataException>(() => LstCheck.Tile(tile, 3, "t.mat", "fix it")).Message);
    }

    [Theory]
    [InlineData(new float[] { 20, 35, 41 }, "(it looks like degrees Celsius or Fahrenheit)")]
    [InlineData(new float[] { -150, 35, 41 }, "(it looks like degrees Fahrenheit)")]
    [InlineData(new float[] { 62, 98, 90 }, "(it looks like degrees Celsius or Fahrenheit)")]
    [InlineData(new float[] { 62, 98, 180 }, "(it looks like degrees Fahrenheit)")]
    public void The_unit_hint_is_judged_on_the_whole_range_not_the_first_bad_value(float[] tile, string hint) =>
        Assert.Contains(hint, Assert.Throws<DataException>(() => LstCheck.Tile(tile, 3, "t.mat")).Message, StringComparison.Ordinal);

    [Fact]
    public void Rows_replace_a_numeric_nodata_convert_to_kelvin_and_refuse_nan_that_is_not_nodata()
    {
        float[] rows = [-9999, 20, 31.5f, -9999];
        LstCheck.Rows(rows, -9999, Place(TemperatureUnit.Celsius));
        Assert.Equal([float.NaN, 293.15f, 304.65f, float.NaN], rows);

        float[] f = [68, 212 - 180];
        LstCheck.Rows(f, null, Place(TemperatureUnit.Fahrenheit));
        Assert.Equal(293.15f, f[0], 3);
        Assert.Equal(273.15f, f[1], 3);

        float[] nan = [290, 291, 292, 293, 294, float.NaN];
        var e = Assert.Throws<DataException>(() => LstCheck.Rows(nan, -9999, Place()));
        Assert.Equal("lst.tif: the LST at row 11, column 1 is NaN (the band's nodata is a number), neither a temperature nor nodata; " +
            "mask it as nodata (NaN) or fix what wrote it", e.Message);
    }

    [Fact]
    public void Kelvin_values_declared_celsius_are_named_kelvin_and_the_unit_option_makes_it_a_usage_error()
    {
        float[] rows = [290, 300];
        var e = Assert.Throws<UsageException>(() => LstCheck.Rows(rows, null, Place(TemperatureUnit.Celsius) with { UnitOption = "--lst-units" }));
        Assert.Equal("lst.tif: holds an LST of 290 C (563.15 K) at row 10, column 0 (values 290 to 300 C), outside the 150-400 K of " +
            "any land surface (it looks like Kelvin); pass --lst-units K", e.Message);
    }

    [Fact]
    public void A_band_is_judged_on_the_range_of_every_strip()
    {
        using var dir = new TempDir();
        var path = dir.File("f.tif");
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 1024, 1100);
        var values = Enumerable.Repeat(70f, 1024 * 1100).ToArray();
        values[^1] = 180;
        using (var w = GeoTiffWriter.Create(path, grid, 1, RasterDataType.Float32, -9999, ["lst"]))
        {
            w.Write(1, grid.Extent, values);
            w.Commit();
        }

        using var d = RasterDataset.Open(path);
        var e = Assert.Throws<DataException>(() => LstCheck.Band(d, 1, new LstPlace(path, 0, 0, TemperatureUnit.Kelvin, "fix it")));
        Assert.Equal($"{path}: holds an LST of 70 K at row 0, column 0 (values 70 to 180 K), outside the 150-400 K of any land surface " +
            "(it looks like degrees Fahrenheit); fix it", e.Message);
    }

    [Fact]
    public void A_few_outliers_of_a_strip_become_nodata_and_a_wrong_unit_is_left_to_be_refused()
    {
        var strip = Enumerable.Repeat(300f, 400).ToArray();
        (strip[3], strip[7], strip[9]) = (409.1f, float.NaN, 140f);
        Assert.Equal(2, LstCheck.MaskOutliers(strip));
        Assert.True(float.IsNaN(strip[3]) && float.IsNaN(strip[9]) && float.IsNaN(strip[7]));
        Assert.Equal(397, strip.Count(v => v == 300f));

        var hot = Enumerable.Repeat(590f, 200).ToArray();
        Assert.Equal(0, LstCheck.MaskOutliers(hot));
        Assert.All(hot, v => Assert.Equal(590f, v));
        var inf = new[] { 300f, float.PositiveInfinity };
        Assert.Equal(0, LstCheck.MaskOutliers(inf));
        Assert.True(float.IsPositiveInfinity(inf[1]));
    }
}
