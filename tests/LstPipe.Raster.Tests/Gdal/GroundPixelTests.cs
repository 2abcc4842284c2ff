using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

/// <summary>Pixel sizes on the ground against references computed outside the toolkit: GDAL's Python OSR to transform
/// the centre and one pixel step to WGS 84, and Vincenty's inverse formula on its ellipsoid for the distances; for Web
/// Mercator also by hand (30 cos(phi) / sqrt(1 - e2 sin2(phi)) east, 30 cos(phi) (1 - e2) / (1 - e2 sin2(phi))^1.5 north).</summary>
public class GroundPixelTests
{
    private static GroundPixel Of(int epsg, GeoTransform gt, int size) =>
        GroundPixel.Of(new RasterGrid(Crs.FromEpsg(epsg).Wkt, gt, size, size), "test grid");

    [Fact]
    public void Web_mercator_30_units_at_40_n_are_23_m_on_the_ground()
    {
        var (x, y) = (13_024_380.422813008, 4_865_942.279503175);
        var g = Of(3857, GeoTransform.NorthUp(x - (30 * 128), y + (30 * 128), 30), 256);
        Assert.Equal(23.013182, g.Width, 4);
        Assert.Equal(22.922526, g.Height, 3);
        Assert.Equal(Math.Sqrt(23.013182 * 22.922560), g.Metres, 3);
        Assert.False(g.MapUnitsAreGroundMetres());
        Assert.Equal(g.Metres, g.NominalMetres);
        Assert.Equal("30 map units (m) of EPSG:3857", g.MapSize("EPSG:3857"));
    }

    [Theory]
    [InlineData(32650, 399960, 4400040, 30, 30.008585, 30.008584, true)]
    [InlineData(4326, 116.9, 40.1, 0.0003, 25.636832, 33.310101, false)]
    public void Utm_near_its_central_meridian_stays_in_metres_and_a_geographic_grid_is_measured_at_its_centre(
        int epsg, double x, double y, double pixel, double width, double height, bool metric)
    {
        var g = Of(epsg, GeoTransform.NorthUp(x, y, pixel), epsg == 4326 ? 1000 : 256);
        Assert.Equal(width, g.Width, 4);
        Assert.Equal(height, g.Height, 4);
        Assert.Equal(metric, g.MapUnitsAreGroundMetres());
        Assert.Equal(metric ? pixel : g.Metres, g.NominalMetres, 9);
    }

    [Fact]
    public void A_sheared_equal_area_grid_keeps_its_area_away_from_its_central_meridian()
    {
        const string sinusoidal = "PROJCS[\"MODIS Sinusoidal\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137," +
            "298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Sinusoidal\"]," +
            "PARAMETER[\"longitude_of_center\",0],PARAMETER[\"false_easting\",0],PARAMETER[\"false_northing\",0]," +
            "UNIT[\"metre\",1]]";
        var grid = new RasterGrid(sinusoidal, GeoTransform.NorthUp(10_007_554.677, 4_447_802.079, 926.625433), 64, 64);
        var g = GroundPixel.Of(grid, "modis");
        Assert.True(g.Height > 1.3 * 926.6, $"a column step is sheared: {g.Height} m");
        Assert.Equal(926.6, g.Metres, 0);
    }

    [Theory]
    [InlineData(6931)]
    [InlineData(6932)]
    public void A_grid_centred_on_a_pole_is_measured_there(int epsg)
    {
        // Lambert azimuthal equal-area centred on the pole (EASE-Grid 2.0): true to scale at its centre, the pole.
        var g = Of(epsg, GeoTransform.NorthUp(-30 * 128, 30 * 128, 30), 256);
        Assert.Equal(30, g.Width, 3);
        Assert.Equal(30, g.Height, 3);
        Assert.True(g.MapUnitsAreGroundMetres());
        Assert.Equal(30, g.NominalMetres, 9);
    }
}
