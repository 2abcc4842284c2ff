using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

public class CloudOptimizedGeoTiffTests
{
    private static string Write(TempDir dir, string name, GeoTiffOptions options, float[][] bands, RasterGrid grid)
    {
        var path = dir.File(name);
        using var w = GeoTiffWriter.Create(path, grid, bands.Length, RasterDataType.Float32, -9999,
            [.. Enumerable.Range(0, bands.Length).Select(b => "band" + b)], options, unit: "K");
        foreach (var strip in grid.Extent.Strips(100))
        {
            for (var b = 0; b < bands.Length; b++)
            {
                w.Write(b + 1, strip, bands[b].AsSpan(strip.Y * grid.Width, (int)strip.Area));
            }
        }

        w.Commit();
        return path;
    }

    [Theory]
    [InlineData(TiffCompression.Deflate)]
    [InlineData(TiffCompression.Zstd)]
    [InlineData(TiffCompression.None)]
    public void A_published_geotiff_is_a_cog_by_gdalinfo_with_overviews_and_the_same_values_and_metadata(TiffCompression codec)
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 700, 530);
        var bands = Enumerable.Range(0, 2).Select(b => GeoTiffRoundTripTests.RandomValues(700 * 530, b, 0.1)).ToArray();
        var path = Write(dir, "cog.tif", GeoTiffOptions.Published with { Compression = codec, TileSize = 128 }, bands, grid);

        Assert.Equal("COG", GdalInfo.Layout(path));
        Assert.Equal(["cog.tif"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        using var json = GdalInfo.Json(path);
        var band = json.RootElement.GetProperty("bands")[1];
        Assert.Equal("band1", band.GetProperty("description").GetString());
        Assert.Equal(-9999, band.GetProperty("noDataValue").GetDouble());
        Assert.Equal("K", band.GetProperty("unit").GetString());
        Assert.Equal([350, 175, 87], band.GetProperty("overviews").EnumerateArray().Select(o => o.GetProperty("size")[0].GetInt32()));
        Assert.Equal([128, 128], band.GetProperty("block").EnumerateArray().Select(e => e.GetInt32()));

        using var ds = RasterDataset.Open(path);
        Assert.Equal(GeoTiffRoundTripTests.Utm, ds.GeoTransform);
        for (var b = 0; b < 2; b++)
        {
            var back = new float[700 * 530];
            ds.GetBand(b + 1).Read(ds.Extent, back);
            Assert.Equal(bands[b], back);
        }
    }

    [Fact]
    public void The_default_layout_stays_a_plain_tiled_geotiff_for_working_files()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 300, 300);
        var path = Write(dir, "plain.tif", GeoTiffOptions.Default, [new float[300 * 300]], grid);
        Assert.Null(GdalInfo.Layout(path));
    }

    [Fact]
    public void A_warp_to_a_published_layout_is_a_cog()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 600, 600);
        var source = Write(dir, "fine.tif", GeoTiffOptions.Default, [GeoTiffRoundTripTests.RandomValues(600 * 600, 3)], grid);
        using var ds = RasterDataset.Open(source);
        Warper.Warp(ds, dir.File("coarse.tif"), new WarpOptions
        {
            Target = grid.CoarsenCovering(new ScaleFactor(2)),
            Method = Resampling.Average,
            Output = GeoTiffOptions.Published with { TileSize = 128 },
        });
        Assert.Equal("COG", GdalInfo.Layout(dir.File("coarse.tif")));
        Assert.Equal(["coarse.tif", "fine.tif"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
