using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

/// <summary>South-up rasters (positive y pixel size, rows stored south first) read north first with the north-up
/// geotransform of the same ground, through every way the toolkit reads a GeoTIFF; rotated ones refused.</summary>
public class SouthUpTests
{
    private const int W = 40;
    private const int H = 24;

    /// <summary>The same values written north-up and south-up (rows in the opposite order, the transform flipped).</summary>
    private static (string NorthUp, string SouthUp, float[] Values) Pair(TempDir dir)
    {
        var values = GeoTiffRoundTripTests.RandomValues(W * H, 7);
        var wkt = Crs.FromEpsg(32650).Wkt;
        var north = new RasterGrid(wkt, GeoTiffRoundTripTests.Utm, W, H);
        var south = north with { Transform = GeoTiffRoundTripTests.Utm.FlipRows(H) };
        var flipped = Enumerable.Range(0, H).Reverse().SelectMany(r => values.Skip(r * W).Take(W)).ToArray();
        Write(dir.File("north.tif"), north, values);
        Write(dir.File("south.tif"), south, flipped);
        return (dir.File("north.tif"), dir.File("south.tif"), values);
    }

    private static void Write(string path, RasterGrid grid, float[] values)
    {
        using var w = GeoTiffWriter.Create(path, grid, 1);
        w.Write(1, grid.Extent, values);
        w.Commit();
    }

    private static float[] Read(string path, PixelWindow? window = null)
    {
        using var d = RasterDataset.Open(path);
        var win = window ?? d.Extent;
        var v = new float[win.Area];
        d.GetBand(1).Read(win, v);
        return v;
    }

    [Fact]
    public void A_south_up_raster_reads_north_first_with_the_north_up_geotransform()
    {
        using var dir = new TempDir();
        var (north, south, values) = Pair(dir);
        using (var d = RasterDataset.Open(south))
        {
            Assert.True(d.SouthUp);
            Assert.Equal(GeoTiffRoundTripTests.Utm, d.GeoTransform);
        }

        Assert.Equal(values, Read(south));
        var window = new PixelWindow(3, 5, 17, 11);
        Assert.Equal(Read(north, window), Read(south, window));
        Assert.Equal(Read(north, new PixelWindow(0, H - 1, W, 1)), Read(south, new PixelWindow(0, H - 1, W, 1)));
    }

    [Fact]
    public void Copying_and_warping_a_south_up_window_gives_the_north_up_values()
    {
        using var dir = new TempDir();
        var (north, south, _) = Pair(dir);
        var window = new PixelWindow(4, 2, 20, 9);
        using (var s = RasterDataset.Open(south))
        {
            Translator.CopyWindow(s, window, dir.File("copy.tif"));
        }

        Assert.Equal(Read(north, window), Read(dir.File("copy.tif")));

        using (var s = RasterDataset.Open(south))
        {
            var target = s.Grid.Window(window);
            Warper.Warp(s, dir.File("warped.tif"), new WarpOptions { Target = target, Method = Resampling.Nearest });
        }

        Assert.Equal(Read(north, window), Read(dir.File("warped.tif")));
    }

    [Fact]
    public void A_rotated_raster_is_refused_in_one_line_naming_it_and_gdalwarp()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTiffRoundTripTests.Utm with { RowRotation = 5, ColumnRotation = 5 }, W, H);
        Write(dir.File("rotated.tif"), grid, new float[W * H]);
        var e = Assert.Throws<DataException>(() => RasterDataset.Open(dir.File("rotated.tif")));
        Assert.StartsWith(dir.File("rotated.tif") + ": its geotransform", e.Message);
        Assert.Contains("gdalwarp -r near", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
