using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

public class WarperTests
{
    private const float NoData = -9999;

    private static string WriteRaster(TempDir dir, string name, RasterGrid grid, float[] values)
    {
        var path = dir.File(name);
        using var w = GeoTiffWriter.Create(path, grid, 1, noData: NoData);
        w.Write(1, grid.Extent, values);
        w.Commit();
        return path;
    }

    private static float[] ReadAll(string path)
    {
        using var ds = RasterDataset.Open(path);
        var v = new float[ds.Width * ds.Height];
        ds.GetBand(1).Read(ds.Extent, v);
        return v;
    }

    [Fact]
    public void Average_from_30m_to_60m_is_the_2x2_mean_of_valid_pixels()
    {
        using var dir = new TempDir();
        const int w = 64, h = 48;
        var fine = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, w, h);
        var values = GeoTiffRoundTripTests.RandomValues(w * h, 11, 0.3, NoData);
        values[0] = values[1] = values[w] = values[w + 1] = NoData;
        var src = WriteRaster(dir, "fine.tif", fine, values);

        var coarse = fine.Coarsen(new ScaleFactor(2));
        Warper.Warp(src, dir.File("coarse.tif"), new WarpOptions { Target = coarse, Method = Resampling.Average, DestinationNoData = NoData });
        var result = ReadAll(dir.File("coarse.tif"));

        for (var r = 0; r < h / 2; r++)
        {
            for (var c = 0; c < w / 2; c++)
            {
                var block = new[] { values[(2 * r) * w + 2 * c], values[(2 * r) * w + 2 * c + 1], values[(2 * r + 1) * w + 2 * c], values[(2 * r + 1) * w + 2 * c + 1] }
                    .Where(v => !float.IsNaN(v) && v != NoData).Select(v => (double)v).ToArray();
                var got = result[r * (w / 2) + c];
                if (block.Length == 0)
                {
                    Assert.Equal(NoData, got);
                }
                else
                {
                    Assert.True(Math.Abs(block.Average() - got) < 1e-4, $"pixel ({c}, {r}): {got} vs mean {block.Average()}");
                }
            }
        }

        Assert.Equal(NoData, result[0]);
    }

    [Fact]
    public void Nearest_onto_the_same_grid_is_the_identity()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 40, 30);
        var values = GeoTiffRoundTripTests.RandomValues(1200, 3);
        var src = WriteRaster(dir, "a.tif", grid, values);
        Warper.Warp(src, dir.File("b.tif"), new WarpOptions { Target = grid, Method = Resampling.Nearest });
        Assert.Equal(values, ReadAll(dir.File("b.tif")));
    }

    [Theory]
    [InlineData(Resampling.Bilinear)]
    [InlineData(Resampling.Cubic)]
    public void Refining_a_linear_ramp_reproduces_the_ramp_inside(Resampling method)
    {
        using var dir = new TempDir();
        const int w = 32, h = 24;
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, w, h);
        static double Ramp(double col, double row) => 280 + 0.5 * col - 0.25 * row;
        var values = new float[w * h];
        for (var r = 0; r < h; r++)
        {
            for (var c = 0; c < w; c++)
            {
                values[r * w + c] = (float)Ramp(c + 0.5, r + 0.5);
            }
        }

        var src = WriteRaster(dir, "ramp.tif", grid, values);
        var fine = new RasterGrid(grid.CrsWkt, grid.Transform with { PixelWidth = 15, PixelHeight = -15 }, 2 * w, 2 * h);
        Warper.Warp(src, dir.File("fine.tif"), new WarpOptions { Target = fine, Method = method });
        var result = ReadAll(dir.File("fine.tif"));
        for (var r = 6; r < 2 * h - 6; r++)
        {
            for (var c = 6; c < 2 * w - 6; c++)
            {
                var expected = Ramp((c + 0.5) / 2, (r + 0.5) / 2);
                Assert.True(Math.Abs(expected - result[r * 2 * w + c]) < 1e-3, $"({c}, {r}): {result[r * 2 * w + c]} vs {expected}");
            }
        }
    }

    [Fact]
    public void A_raster_without_georeference_cannot_be_warped()
    {
        using var dir = new TempDir();
        var path = dir.File("plain.tif");
        using (var w = GeoTiffWriter.Create(path, new RasterGrid("", new GeoTransform(0, 1, 0, 0, 0, 1), 8, 8), 1))
        {
            w.Commit();
        }

        var target = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm, 8, 8);
        var e = Assert.Throws<Core.Errors.DataException>(() =>
            Warper.Warp(path, dir.File("out.tif"), new WarpOptions { Target = target }));
        Assert.Contains(path, e.Message);
        Assert.False(File.Exists(dir.File("out.tif")));
    }
}
