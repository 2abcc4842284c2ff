using LstPipe.Core.Errors;
using LstPipe.Models.MoCoLsk;
using static TorchSharp.torch;

namespace LstPipe.Models.Tests;

[Collection(SeededTorch.Name)]
public class DownscalingNetworkTests
{
    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Non_finite_weights_are_refused_naming_the_file_and_the_tensor_and_nothing_is_loaded(float bad, string shown)
    {
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 2, NumFeats = 8, NResblocks = 1, Reduction = 4 });
        using var scope = NewDisposeScope();
        var state = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone() * 0.5);
        state["decoder.1.conv_1.0.weight"].view(-1)[7] = tensor(bad);
        var before = net.state_dict()["lst_stem.weight"].clone();
        var e = Assert.Throws<DataException>(() => net.LoadStrict(state, "ckpt.safetensors"));
        Assert.Equal($"ckpt.safetensors: tensor 'decoder.1.conv_1.0.weight' holds {shown} (element 7); the checkpoint is damaged or its training diverged", e.Message);
        Assert.True(before.allclose(net.state_dict()["lst_stem.weight"], 0, 0));
        state["decoder.1.conv_1.0.weight"].view(-1)[7] = tensor(0.25f);
        net.LoadStrict(state, "ckpt.safetensors");
        Assert.True(state["lst_stem.weight"].allclose(net.state_dict()["lst_stem.weight"], 0, 0));
    }
}
