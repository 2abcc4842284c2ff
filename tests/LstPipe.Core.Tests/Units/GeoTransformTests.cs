using LstPipe.Core.Units;

namespace LstPipe.Core.Tests.Units;

public class GeoTransformTests
{
    private static readonly GeoTransform Utm = GeoTransform.NorthUp(399960, 4400040, 30);

    [Fact]
    public void Bounds_of_a_window_follow_the_affine_transform()
    {
        var b = Utm.BoundsOf(new PixelWindow(10, 20, 512, 256));
        Assert.Equal(new MapBounds(399960 + 300, 4400040 - 600 - 7680, 399960 + 300 + 15360, 4400040 - 600), b);
    }

    [Fact]
    public void A_coarsened_grid_covers_the_same_ground()
    {
        var grid = new RasterGrid("", Utm, 1024, 512);
        var coarse = grid.Coarsen(new ScaleFactor(4));
        Assert.Equal((256, 128), (coarse.Width, coarse.Height));
        Assert.Equal(120, coarse.Transform.PixelWidth);
        Assert.Equal(-120, coarse.Transform.PixelHeight);
        Assert.Equal(grid.Bounds, coarse.Bounds);
    }

    [Fact]
    public void A_covering_coarse_grid_rounds_a_size_that_does_not_divide_up()
    {
        var grid = new RasterGrid("", Utm, 250, 246);
        var coarse = grid.CoarsenCovering(new ScaleFactor(4));
        Assert.Equal((63, 62), (coarse.Width, coarse.Height));
        Assert.Equal(Utm.Coarsen(new ScaleFactor(4)), coarse.Transform);
        Assert.Equal(new RasterGrid("", Utm, 1024, 512).Coarsen(new ScaleFactor(4)), new RasterGrid("", Utm, 1024, 512).CoarsenCovering(new ScaleFactor(4)));
    }

    [Fact]
    public void Offset_moves_the_origin_to_a_window_corner()
    {
        var sub = new RasterGrid("", Utm, 100, 100).Window(new PixelWindow(4, 6, 10, 10));
        Assert.Equal(399960 + 120, sub.Transform.OriginX);
        Assert.Equal(4400040 - 180, sub.Transform.OriginY);
    }

    [Fact]
    public void Array_round_trip_keeps_every_term()
    {
        var gt = new GeoTransform(1, 2, 3, 4, 5, -6);
        Assert.Equal(gt, GeoTransform.FromArray(gt.ToArray()));
        Assert.False(gt.IsNorthUp);
        Assert.True(Utm.IsNorthUp);
    }

    [Fact]
    public void Near_transforms_differ_by_at_most_a_fraction_of_a_pixel()
    {
        var a = GeoTransform.NorthUp(1000, 2000, 30);
        Assert.True(a.IsNear(a with { OriginX = 1000 + 30e-7 }));
        Assert.False(a.IsNear(a with { OriginX = 1000 + 30e-5 }));
        Assert.False(a.IsNear(GeoTransform.NorthUp(1000, 2000, 60)));
        Assert.True(a.IsNear(a with { OriginY = 2000.001 }, 1e-4));
    }
}
