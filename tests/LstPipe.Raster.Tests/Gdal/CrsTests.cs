using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

public class CrsTests
{
    [Fact]
    public void Utm_from_epsg_is_projected_in_metres()
    {
        var crs = Crs.FromEpsg(32616);
        Assert.Equal(32616, crs.Epsg);
        Assert.True(crs.IsProjected);
        Assert.Equal(1.0, crs.MetresPerUnit);
        Assert.Equal("WGS 84 / UTM zone 16N", crs.Name);
        Assert.Equal("EPSG:32616", crs.Label);
    }

    [Fact]
    public void Wkt_round_trip_identifies_the_same_code()
    {
        var crs = Crs.FromWkt(Crs.FromEpsg(32719).Wkt);
        Assert.Equal(32719, crs.Epsg);
        Assert.True(crs.IsSameAs(Crs.FromEpsg(32719)));
        Assert.False(crs.IsSameAs(Crs.FromEpsg(32619)));
    }

    [Fact]
    public void Garbage_is_not_a_crs()
    {
        Assert.Throws<Core.Errors.DataException>(() => Crs.FromWkt("not a crs", "recipe.yaml"));
    }
}
