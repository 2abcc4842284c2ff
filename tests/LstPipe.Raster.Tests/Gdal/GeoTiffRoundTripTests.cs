using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

public class GeoTiffRoundTripTests
{
    internal static readonly GeoTransform Utm = GeoTransform.NorthUp(399960, 4400040, 30);

    internal static float[] RandomValues(int n, int seed, double nodataFraction = 0, float nodata = -9999)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (var i = 0; i < n; i++)
        {
            var r = rng.NextDouble();
            v[i] = r < nodataFraction / 2 ? nodata : r < nodataFraction ? float.NaN : (float)(250 + 70 * rng.NextDouble());
        }

        return v;
    }

    [Theory]
    [InlineData(TiffCompression.None)]
    [InlineData(TiffCompression.Deflate)]
    [InlineData(TiffCompression.Zstd)]
    [InlineData(TiffCompression.Lzw)]
    public void Values_georeference_and_band_metadata_survive_a_round_trip(TiffCompression codec)
    {
        using var dir = new TempDir();
        var crs = Crs.FromEpsg(32650);
        var grid = new RasterGrid(crs.Wkt, Utm, 300, 170);
        var bands = Enumerable.Range(0, 3).Select(b => RandomValues(300 * 170, b, 0.1)).ToArray();
        var path = dir.File("r.tif");
        using (var w = GeoTiffWriter.Create(path, grid, 3, RasterDataType.Float32, -9999, ["dem", "red", "nir"],
                   new GeoTiffOptions { Compression = codec, TileSize = 64 }))
        {
            // Written in two overlapping passes and out of order, to prove windows land where they belong.
            foreach (var strip in grid.Extent.Strips(64).Reverse())
            {
                for (var b = 0; b < 3; b++)
                {
                    w.Write(b + 1, strip, bands[b].AsSpan(strip.Y * 300, (int)strip.Area));
                }
            }

            Assert.False(File.Exists(path));
            w.Commit();
        }

        using var ds = RasterDataset.Open(path);
        Assert.Equal((300, 170, 3), (ds.Width, ds.Height, ds.BandCount));
        Assert.Equal(Utm, ds.GeoTransform);
        Assert.Equal(32650, ds.Crs!.Epsg);
        for (var b = 0; b < 3; b++)
        {
            var band = ds.GetBand(b + 1);
            Assert.Equal(-9999, band.NoData);
            Assert.Equal(new[] { "dem", "red", "nir" }[b], band.Description);
            var back = new float[300 * 170];
            band.Read(ds.Extent, back);
            Assert.Equal(bands[b].Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Read_with_mask_marks_nodata_and_nan_invalid()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, Utm, 4, 1);
        using (var w = GeoTiffWriter.Create(dir.File("m.tif"), grid, 1, noData: -9999))
        {
            w.Write(1, grid.Extent, [1f, -9999f, float.NaN, 4f]);
            w.Commit();
        }

        using var ds = RasterDataset.Open(dir.File("m.tif"));
        var values = new float[4];
        var valid = new byte[4];
        ds.GetBand(1).Read(ds.Extent, values, valid);
        Assert.Equal(new byte[] { 1, 0, 0, 1 }, valid);
    }

    [Fact]
    public void A_writer_disposed_without_commit_leaves_nothing()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, Utm, 32, 32);
        using (var w = GeoTiffWriter.Create(dir.File("x.tif"), grid, 1))
        {
            w.Write(1, new PixelWindow(0, 0, 32, 16), new float[32 * 16]);
        }

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Statistics_are_exact_over_valid_pixels()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, Utm, 50, 40);
        var values = RandomValues(2000, 7, 0.2);
        using (var w = GeoTiffWriter.Create(dir.File("s.tif"), grid, 1, noData: -9999))
        {
            w.Write(1, grid.Extent, values);
            w.Commit();
        }

        using var ds = RasterDataset.Open(dir.File("s.tif"));
        var s = BandStatistics.Compute(ds.GetBand(1));
        var valid = values.Where(v => !float.IsNaN(v) && v != -9999f).Select(v => (double)v).ToArray();
        Assert.Equal(valid.Length, s.ValidCount);
        Assert.Equal(valid.Min(), s.Min);
        Assert.Equal(valid.Max(), s.Max);
        Assert.Equal(valid.Average(), s.Mean, 1e-9);
        var sd = Math.Sqrt(valid.Select(v => (v - valid.Average()) * (v - valid.Average())).Average());
        Assert.Equal(sd, s.StdDev, 1e-6);
    }
}
