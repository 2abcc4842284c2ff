using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

public class BadInputTests
{
    private static string SmallRaster(TempDir dir)
    {
        var path = dir.File("ok.tif");
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 512, 512);
        using var w = GeoTiffWriter.Create(path, grid, 1, options: new GeoTiffOptions { Compression = TiffCompression.None });
        w.Write(1, grid.Extent, GeoTiffRoundTripTests.RandomValues(512 * 512, 1));
        w.Commit();
        return path;
    }

    [Fact]
    public void A_missing_file_is_a_usage_error_naming_it()
    {
        var e = Assert.Throws<UsageException>(() => RasterDataset.Open("/nonexistent/scene.tif"));
        Assert.Equal("/nonexistent/scene.tif: no such file", e.Message);
    }

    [Fact]
    public void A_text_file_is_a_data_error_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.tif"), "this is not a raster\n");
        var e = Assert.Throws<DataException>(() => RasterDataset.Open(dir.File("notes.tif")));
        Assert.StartsWith(dir.File("notes.tif") + ": not a raster GDAL can read", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_truncated_geotiff_fails_on_read_with_the_file_named()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(SmallRaster(dir));
        File.WriteAllBytes(dir.File("cut.tif"), bytes.AsSpan(0, bytes.Length / 3).ToArray());
        var e = Assert.ThrowsAny<DataException>(() =>
        {
            using var ds = RasterDataset.Open(dir.File("cut.tif"));
            BandStatistics.Compute(ds.GetBand(1));
        });
        Assert.Contains(dir.File("cut.tif"), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_band_out_of_range_is_a_usage_error(int band)
    {
        using var dir = new TempDir();
        using var ds = RasterDataset.Open(SmallRaster(dir));
        var e = Assert.Throws<UsageException>(() => ds.GetBand(band));
        Assert.Contains($"band {band} does not exist (the raster has 1 band", e.Message);
        Assert.Contains("ok.tif", e.Message);
    }

    [Fact]
    public void A_window_outside_the_raster_is_refused()
    {
        using var dir = new TempDir();
        using var ds = RasterDataset.Open(SmallRaster(dir));
        Assert.Throws<UsageException>(() => ds.GetBand(1).Read(new PixelWindow(500, 0, 20, 1), new float[20]));
    }

    [Fact]
    public void An_unknown_epsg_code_is_a_usage_error()
    {
        Assert.Throws<UsageException>(() => Crs.FromEpsg(999999));
    }
}
