using LstPipe.Core.Units;
using LstPipe.Ingest.Metadata;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Tests.Metadata;

public class ModisGranuleTests
{
    [SharedDataFact]
    public void The_subset_carries_the_granule_metadata()
    {
        var path = Directory.GetFiles(RepoPaths.Data("modis-mod11a1"), "*_LST_Day_1km.tif").Single();
        using var d = RasterDataset.Open(path);
        var g = ModisGranule.Read(d)!;
        Assert.Equal("MOD11A1", g.Product);
        Assert.Equal("MOD11A1.A2021227.h11v05.061.2021228105320", g.GranuleId);
        Assert.Equal(new DateOnly(2021, 8, 15), g.Date);
        Assert.Equal("MODIS Terra (MOD11A1)", g.Sensor);
    }

    [Theory]
    [InlineData("MYD11A1.061_LST_Day_1km_doy2020183_aid0001.tif", "MYD11A1", null, 2020, 7, 1)] // AppEEARS; 2020 is leap
    [InlineData("MYD11A1.A2019032.h08v05.061.2019033123456_LST_Day_1km.tif", "MYD11A1",
        "MYD11A1.A2019032.h08v05.061.2019033123456", 2019, 2, 1)]
    [InlineData("MOD11A1.A2021001.h11v05.006.2021002000000_LST_Day_1km.tif", "MOD11A1",
        "MOD11A1.A2021001.h11v05.006.2021002000000", 2021, 1, 1)]
    public void Without_metadata_the_file_name_gives_product_and_date(string name, string product, string? id, int y, int m, int day)
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(4326).Wkt, GeoTransform.NorthUp(-90, 40, 0.01), 4, 4);
        using (var w = GeoTiffWriter.Create(dir.File(name), grid, 1))
        {
            w.Write(1, grid.Extent, new float[16]);
            w.Commit();
        }

        using var d = RasterDataset.Open(dir.File(name));
        var g = ModisGranule.Read(d)!;
        Assert.Equal((product, new DateOnly(y, m, day)), (g.Product, g.Date));
        Assert.Equal(product.StartsWith("MYD", StringComparison.Ordinal) ? "Aqua" : "Terra", g.Platform);
        Assert.Equal(id, g.GranuleId);
    }

    [Fact]
    public void A_raster_naming_no_modis_product_gives_null()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(4326).Wkt, GeoTransform.NorthUp(-90, 40, 0.01), 4, 4);
        using (var w = GeoTiffWriter.Create(dir.File("lst.tif"), grid, 1))
        {
            w.Write(1, grid.Extent, new float[16]);
            w.Commit();
        }

        using var d = RasterDataset.Open(dir.File("lst.tif"));
        Assert.Null(ModisGranule.Read(d));
    }
}
