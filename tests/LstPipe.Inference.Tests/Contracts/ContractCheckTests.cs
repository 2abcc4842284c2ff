using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Inference.Contracts;

namespace LstPipe.Inference.Tests.Contracts;

public class ContractCheckTests
{
    private static readonly DataContract Model = DataContract.GrokLst(4);

    private static InputChannel[] Named(params string[] names) => names.Select(n => new InputChannel(n, null)).ToArray();

    private static int[] Match(InputChannel[] input, out string? note) =>
        ContractCheck.MatchChannels(Model, input, "g.tif", "m.safetensors", "name them", out note);

    [Fact]
    public void Channels_in_the_model_s_order_match_as_they_are()
    {
        Assert.Equal(Enumerable.Range(0, 10), Match(Named([.. Model.ChannelNames]), out var note));
        Assert.Null(note);
    }

    [Fact]
    public void Channels_in_another_order_are_matched_by_name_and_said_so()
    {
        var names = Model.ChannelNames.Reverse().Append("slope").ToArray();
        var order = Match(Named(names), out var note);
        Assert.Equal(Enumerable.Range(0, 10).Reverse(), order);
        Assert.Contains("dem = band 10", note, StringComparison.Ordinal);
        Assert.Contains("not used by the model: slope", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "has no 'ndwi' channel")]
    [InlineData("unnamed", "band 3 has no name")]
    [InlineData("kind", "its 'red' is reflectance-toa; m.safetensors was trained on reflectance-surface 'red'")]
    public void A_channel_that_cannot_be_matched_is_refused_naming_both_sides(string what, string message)
    {
        var input = Named([.. Model.ChannelNames]);
        switch (what)
        {
            case "missing":
                input = input[..9];
                break;
            case "unnamed":
                input[2] = new InputChannel("", null);
                break;
            default:
                input[4] = new InputChannel("red", "reflectance-toa");
                break;
        }

        var e = Assert.Throws<UsageException>(() => Match(input, out _));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("g.tif: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_given_twice_is_refused_as_wrong_data()
    {
        var input = Named([.. Model.ChannelNames]);
        input[5] = new InputChannel("RED", null);
        var e = Assert.Throws<DataException>(() => Match(input, out _));
        Assert.Equal("g.tif: 2 guidance channels are named 'red'; name each channel once, after its contents", e.Message);
    }

    [Theory]
    [InlineData(30.0, true)]
    [InlineData(30.5, true)]
    [InlineData(29.0, false)]
    [InlineData(60.0, false)]
    public void The_pixel_size_must_be_the_truth_s_within_two_percent(double metres, bool fits)
    {
        void Check() => ContractCheck.CheckResolution(Model, metres, "g.tif", "m.safetensors", "resample it");
        if (fits)
        {
            Check();
        }
        else
        {
            Assert.Contains("was trained on 30 m truth", Assert.Throws<UsageException>(Check).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(240, 0, true)]
    [InlineData(60, 0, false)]
    [InlineData(0, 120 * 3, true)]
    public void Grids_nest_when_pixels_and_origins_are_whole_multiples(double dx, double dy, bool nested)
    {
        var lr = GeoTransform.NorthUp(500000, 4000000, 120);
        var sensor = GeoTransform.NorthUp(500000 + dx, 4000000 + dy, 240);
        Assert.Equal(nested, PredictInputs.Nested(sensor, lr));
        Assert.Equal(nested, PredictInputs.Nested(lr, sensor));
        Assert.False(PredictInputs.Nested(GeoTransform.NorthUp(500000, 4000000, 100), lr));
    }
}
