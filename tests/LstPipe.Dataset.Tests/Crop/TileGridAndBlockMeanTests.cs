using LstPipe.Core.Units;
using LstPipe.Dataset.Crop;

namespace LstPipe.Dataset.Tests.Crop;

public class TileGridAndBlockMeanTests
{
    [Fact]
    public void GrokLst_tiling_drops_edges_that_cannot_hold_a_tile()
    {
        var g = new TileGrid(1300, 1024, new Pixels(512), new Pixels(256));
        Assert.Equal((4, 3), (g.Columns, g.Rows));
        Assert.Equal(new PixelWindow(768, 512, 512, 512), g.Window(2, 3));
        Assert.Equal(1280, g.CoveredWidth);
        Assert.Equal(100.0 * 1280 / 1300, g.CoveragePercent, 9);
        Assert.Equal(0, new TileGrid(500, 2000, new Pixels(512), new Pixels(256)).Count);
    }

    [Fact]
    public void Block_mean_averages_valid_pixels_and_needs_enough_of_them()
    {
        float n = float.NaN;
        float[] fine =
        [
            1, 3, 5, n,
            5, 7, n, n,
            n, n, 2, 2,
            n, 9, 2, 2,
        ];
        var coarse = new float[4];
        BlockMean.Reduce(fine, 4, 2, coarse, minValidFraction: 0.5);
        Assert.Equal(4f, coarse[0]);
        Assert.True(float.IsNaN(coarse[1]));
        Assert.True(float.IsNaN(coarse[2]));
        Assert.Equal(2f, coarse[3]);

        BlockMean.Reduce(fine, 4, 2, coarse, minValidFraction: 0.25);
        Assert.Equal(5f, coarse[1]);
        Assert.Equal(9f, coarse[2]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void The_all_valid_fast_path_gives_the_same_bits_as_the_general_one(int scale)
    {
        var rng = new Random(scale);
        var fine = Enumerable.Range(0, 64 * 64).Select(_ => (float)(250 + 70 * rng.NextDouble())).ToArray();
        var general = new float[(64 / scale) * (64 / scale)];
        var fast = new float[general.Length];
        BlockMean.Reduce(fine, 64, scale, general, 0.5);
        BlockMean.Reduce(fine, 64, scale, fast, 0.5, allValid: true);
        Assert.Equal(general.Select(BitConverter.SingleToInt32Bits), fast.Select(BitConverter.SingleToInt32Bits));
    }
}
