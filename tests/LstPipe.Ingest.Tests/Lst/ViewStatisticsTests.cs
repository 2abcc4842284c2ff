using LstPipe.Core.Units;
using LstPipe.Ingest.Lst;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Tests.Lst;

public class ViewStatisticsTests
{
    [Fact]
    public void Utc_is_local_solar_time_minus_longitude_over_15_over_kept_pixels_only()
    {
        // Pixel centres at longitudes -89.5 and -88.5 (geographic grid): local 10.5 h means 16.47 and 16.40 h UTC.
        var grid = new RasterGrid(Crs.FromEpsg(4326).Wkt, GeoTransform.NorthUp(-90, 40, 1), 2, 2);
        var stats = new ViewStatistics(grid);
        stats.Add(new PixelWindow(0, 0, 2, 1), [300f, 301f], [10.5f, 10.5f]);
        stats.Add(new PixelWindow(0, 1, 2, 1), [float.NaN, 302f], [12f, float.NaN]);
        Assert.Equal(2, stats.Count);
        Assert.Equal(10.5, stats.MeanLocalHours, 9);
        Assert.Equal(10.5 + ((89.5 + 88.5) / 2 / 15), stats.MeanUtcHours, 6);
    }

    [Fact]
    public void A_projected_grid_is_transformed_to_longitudes_and_no_pixel_gives_nan()
    {
        // UTM zone 16N: the central meridian, -87 degrees, at easting 500000.
        var grid = new RasterGrid(Crs.FromEpsg(32616).Wkt, GeoTransform.NorthUp(499_500, 3_400_500, 1000), 1, 1);
        var stats = new ViewStatistics(grid);
        Assert.True(double.IsNaN(stats.MeanUtcHours));
        stats.Add(grid.Extent, [300f], [11f]);
        Assert.Equal(11 + (87.0 / 15), stats.MeanUtcHours, 4);
    }
}
