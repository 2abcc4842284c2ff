using LstPipe.Core.Units;

namespace LstPipe.Core.Tests.Units;

public class PixelWindowTests
{
    [Fact]
    public void Coarsen_divides_offsets_and_sizes()
    {
        var w = new PixelWindow(256, 512, 512, 512);
        Assert.Equal(new PixelWindow(32, 64, 64, 64), w.Coarsen(new ScaleFactor(8)));
    }

    [Fact]
    public void Coarsen_rejects_windows_off_the_coarse_grid()
    {
        Assert.Throws<ArgumentException>(() => new PixelWindow(3, 0, 8, 8).Coarsen(new ScaleFactor(2)));
    }

    [Fact]
    public void Strips_cover_the_window_exactly_once()
    {
        var w = new PixelWindow(5, 7, 10, 23);
        var strips = w.Strips(8).ToList();
        Assert.Equal([8, 8, 7], strips.Select(s => s.Height));
        Assert.All(strips, s => Assert.Equal((5, 10), (s.X, s.Width)));
        Assert.Equal(w.Area, strips.Sum(s => s.Area));
        Assert.Equal(30, strips[^1].Bottom);
    }

    [Fact]
    public void Overlap_and_intersection_agree()
    {
        var a = new PixelWindow(0, 0, 512, 512);
        var b = new PixelWindow(256, 256, 512, 512);
        var c = new PixelWindow(512, 0, 10, 10);
        Assert.True(a.Overlaps(b));
        Assert.Equal(new PixelWindow(256, 256, 256, 256), a.Intersect(b));
        Assert.False(a.Overlaps(c));
        Assert.Null(a.Intersect(c));
    }

    [Theory]
    [InlineData(-1, 0, 1, 1)]
    [InlineData(0, 0, 0, 1)]
    [InlineData(0, 0, 1, -3)]
    public void Invalid_windows_are_refused(int x, int y, int w, int h)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PixelWindow(x, y, w, h));
    }
}
