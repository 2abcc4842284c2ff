using LstPipe.Models.MoCoLsk;
using static TorchSharp.torch;

namespace LstPipe.Models.Tests.Baselines;

[Collection(SeededTorch.Name)]
public class BaselineTests
{
    [Theory]
    [InlineData("srcnn", 8_129)]
    [InlineData("djf", 110_755)]
    [InlineData("fdsr", 642_577)]
    public void Baselines_have_the_sizes_of_their_papers(string name, long parameters)
    {
        using var net = new ModelSpec { Name = name, MoCoLsk = new MoCoLskOptions { Scale = 4 } }.Create();
        Assert.Equal(parameters, net.ParameterCount);
    }

    [Theory]
    [InlineData("srcnn")]
    [InlineData("djf")]
    [InlineData("fdsr")]
    public void Baselines_map_lr_kelvin_and_guidance_to_hr_kelvin(string name)
    {
        manual_seed(2);
        using var net = new ModelSpec { Name = name, MoCoLsk = new MoCoLskOptions { Scale = 2 } }.Create();
        using var scope = NewDisposeScope();
        var y = net.call(full(1, 1, 8, 8, 290f), randn(1, 10, 16, 16));
        Assert.Equal([1L, 1L, 16L, 16L], y.shape);
        Assert.InRange(y.mean().item<float>(), 250, 330);
    }

    [Fact]
    public void An_unknown_model_is_a_usage_error() =>
        Assert.Throws<Core.Errors.UsageException>(() => new ModelSpec { Name = "unet" }.Create());
}
