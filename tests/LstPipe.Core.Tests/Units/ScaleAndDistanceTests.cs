using LstPipe.Core.Units;

namespace LstPipe.Core.Tests.Units;

public class ScaleAndDistanceTests
{
    [Theory]
    [InlineData("4", 4)]
    [InlineData("x8", 8)]
    [InlineData(" X2 ", 2)]
    public void ScaleFactor_parses_plain_and_x_forms(string text, int expected)
    {
        Assert.Equal(expected, ScaleFactor.Parse(text).Value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("x")]
    [InlineData("2.5")]
    public void ScaleFactor_rejects_non_positive_or_non_integer(string text)
    {
        Assert.Throws<FormatException>(() => ScaleFactor.Parse(text));
    }

    [Fact]
    public void GrokLst_scales_give_the_published_resolutions_and_tile_sizes()
    {
        var labels = ScaleFactor.GrokLst.Select(s => GroundSamplingDistance.Base30m.Coarsen(s).Label);
        Assert.Equal(["30m", "60m", "120m", "240m"], labels);
        var tiles = ScaleFactor.GrokLst.Select(s => s.Coarsen(new Pixels(512)).Value);
        Assert.Equal([512, 256, 128, 64], tiles);
    }

    [Fact]
    public void Pixels_convert_to_ground_length()
    {
        Assert.Equal(new Metres(15360), new Pixels(512).On(GroundSamplingDistance.Base30m));
    }

    [Fact]
    public void Ground_sampling_distance_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GroundSamplingDistance.FromMetres(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroundSamplingDistance.FromMetres(double.NaN));
    }
}
