using LstPipe.Core.Errors;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Scenes;

namespace LstPipe.Raster.Tests.Checks;

public class GuidanceCheckTests
{
    private const int Pixels = 64 * 64;

    /// <summary>The ten GrokLST channels of one 64 x 64 tile: reflectances that vary over the tile, and their indices
    /// by GrokLST's formulas.</summary>
    private static Dictionary<string, float[]> Tile()
    {
        var t = GuidanceChannel.GrokLstNames.ToDictionary(n => n, _ => new float[Pixels]);
        for (var i = 0; i < Pixels; i++)
        {
            var (x, y) = (i % 64 / 64f, i / 64 / 64f);
            var green = 0.06f + 0.04f * x;
            var (red, nir) = (0.04f + 0.1f * y * x, 0.15f + 0.3f * y);
            t["dem"][i] = 900 + 2000 * x;
            (t["deepblue"][i], t["blue"][i], t["green"][i], t["red"][i], t["vre"][i], t["nir"][i]) = (0.08f, 0.07f, green, red, 0.2f, nir);
            t["ndmvi"][i] = 0.1f + 0.5f * (nir - red) / (nir + red);
            t["ndvi"][i] = (nir - red) / (nir + red);
            t["ndwi"][i] = (green - nir) / (green + nir);
        }

        return t;
    }

    private static void Check(Dictionary<string, float[]> t) =>
        GuidanceCheck.Tile(GuidanceChannel.GrokLst, [.. GuidanceChannel.GrokLstNames.Select(n => t[n])], "g.mat");

    private static string Refused(Dictionary<string, float[]> t) => Assert.Throws<DataException>(() => Check(t)).Message;

    private static Dictionary<string, float[]> Swapped(string a, string b)
    {
        var t = Tile();
        (t[a], t[b]) = (t[b], t[a]);
        return t;
    }

    [Fact]
    public void Guidance_whose_indices_are_their_formulas_passes()
    {
        Check(Tile());
    }

    [Theory]
    [InlineData("nir", "ndvi", "'ndvi' is not (nir - red) / (nir + red)")]
    [InlineData("red", "nir", "'ndvi' is not (nir - red) / (nir + red)")]
    [InlineData("green", "ndwi", "'green' (reflectance-surface, -0.5 to 2) holds -0.7")]
    [InlineData("nir", "ndwi", "'nir' (reflectance-surface, -0.5 to 2) holds -0.7")]
    [InlineData("dem", "ndvi", "'ndvi' (index, -1.0001 to 1.0001) holds 900 to 2868.8 (1st to 99th percentile of 4096 sampled pixels)")]
    public void Two_channels_swapped_are_named(string a, string b, string fault)
    {
        var message = Refused(Swapped(a, b));
        Assert.StartsWith($"g.mat: '{a}' and '{b}' look swapped: {fault}", message, StringComparison.Ordinal);
        Assert.EndsWith("and every check passes with the two exchanged; name the channels after their contents (and check their scale)", message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_that_is_not_its_formula_and_no_exchange_mends_is_refused_with_its_median_difference()
    {
        var t = Tile();
        t["ndvi"] = [.. t["ndvi"].Select(v => v - 0.2f)];
        Assert.Equal("g.mat: 'ndvi' is not (nir - red) / (nir + red): the two differ by a median 0.2 over 4096 sampled pixels (tolerance 0.03); "
            + "name the channels after their contents (and check their scale)", Refused(t));
    }

    [Fact]
    public void An_index_within_the_tolerance_of_its_formula_passes_and_one_beyond_it_is_refused()
    {
        var t = Tile();
        t["ndwi"] = [.. t["ndwi"].Select(v => v + 0.029f)];
        Check(t);
        t["ndwi"] = [.. t["ndwi"].Select(v => v + 0.002f)];
        Assert.Contains("'ndwi' is not (green - nir) / (green + nir): the two differ by a median 0.031", Refused(t), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dem", 900.0, 3400.0, true)]
    [InlineData("dem", 0.02, 0.4, true)]
    [InlineData("blue", 0.01, 0.45, true)]
    [InlineData("blue", 900.0, 3400.0, false)]
    [InlineData("blue", -800.0, 0.2, false)]
    [InlineData("ndmvi", -0.3, 0.8, true)]
    [InlineData("ndmvi", 0.0, 3400.0, false)]
    public void Values_must_fit_the_kind_of_their_channel(string channel, double low, double high, bool fits)
    {
        var t = Tile();
        t[channel] = [.. Enumerable.Range(0, Pixels).Select(i => (float)(low + (high - low) * i / (Pixels - 1)))];
        if (fits)
        {
            Check(t);
        }
        else
        {
            Assert.StartsWith($"g.mat: '{channel}' (", Refused(t), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void One_percent_of_a_channel_beyond_its_range_and_nodata_pass()
    {
        var t = Tile();
        for (var i = 0; i < Pixels; i += 128)
        {
            t["blue"][i] = 40;
        }

        for (var i = 0; i < Pixels / 2; i++)
        {
            t["ndvi"][i] = float.NaN;
        }

        Check(t);
        for (var i = 0; i < Pixels; i += 50)
        {
            t["blue"][i] = 40;
        }

        Assert.Contains("'blue' (reflectance-surface, -0.5 to 2) holds", Refused(t), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sample_judges_as_the_values_it_was_taken_from()
    {
        var values = Enumerable.Range(0, 512 * 512).Select(i => (float)i).ToArray();
        var sample = GuidanceCheck.Sample(values);
        Assert.True(sample.Length <= GuidanceCheck.SamplePixels);
        Assert.Equal(sample, GuidanceCheck.Sample(sample));
        Assert.Equal(65f, sample[1]);
    }

    [Theory]
    [InlineData("twice", "g.json: 2 guidance channels are named 'ndvi'; name each channel once, after its contents")]
    [InlineData("unknown", "g.json: guidance channel 'ndvi' is of kind 'ratio', which lstpipe does not know; use one of elevation, ")]
    [InlineData("missing", "g.json: guidance channel 'ndvi' has no kind; give it one of elevation, ")]
    public void A_channel_list_with_a_name_twice_or_a_kind_unknown_or_missing_is_refused(string what, string message)
    {
        (string?, string?)[] channels = [("nir", "reflectance-toa"), ("ndvi", "index"), ("red", "reflectance-toa")];
        channels[what == "twice" ? 2 : 1] = what switch
        {
            "twice" => ("NDVI ", "index"),
            "unknown" => ("ndvi", "ratio"),
            _ => ("ndvi", " "),
        };
        Assert.StartsWith(message, Assert.Throws<DataException>(() => GuidanceCheck.Channels(channels, "g.json")).Message, StringComparison.Ordinal);
    }
}
