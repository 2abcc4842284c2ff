using LstPipe.Models.MoCoLsk;
using LstPipe.Torch;

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
        Torch.Torch.ManualSeed(2);
        using var net = new ModelSpec { Name = name, MoCoLsk = new MoCoLskOptions { Scale = 2 } }.Create();
        using var scope = Torch.Torch.NewDisposeScope();
        var y = net.Forward(Torch.Torch.Full([1, 1, 8, 8], 290), Torch.Torch.Randn([1, 10, 16, 16]));
        Assert.Equal([1L, 1L, 16L, 16L], y.Shape);
        Assert.InRange(y.Mean().Item(), 250, 330);
    }

    [Fact]
    public void An_unknown_model_is_a_usage_error() =>
        Assert.Throws<Core.Errors.UsageException>(() => new ModelSpec { Name = "unet" }.Create());
}
