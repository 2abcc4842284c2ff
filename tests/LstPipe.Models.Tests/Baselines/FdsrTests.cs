using LstPipe.Models.Baselines;
using LstPipe.Models.Checkpoints;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace LstPipe.Models.Tests.Baselines;

[Collection(SeededTorch.Name)]
public class FdsrTests
{
    [Fact]
    public void Has_the_size_of_the_paper() =>
        Assert.Equal(642_577, new Fdsr(4, 10, 300, 15).ParameterCount);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Output_and_gradients_match_an_independent_pytorch_fdsr_loading_our_weights_strictly(int scale)
    {
        using var dir = new TempDir();
        manual_seed(7);
        const double mean = 301.5, std = 12.25;
        using var net = new Fdsr(scale, 10, mean, std);
        using var scope = NewDisposeScope();
        var tensors = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var lst = (randn(2, 1, 32 / scale, 32 / scale) * 8) + 300;
        var gui = randn(2, 10, 32, 32);
        var hr = (randn(2, 1, 32, 32) * 8) + 300;
        tensors["input.lr_lst"] = lst;
        tensors["input.hr_guidance"] = gui;
        tensors["input.hr_lst"] = hr;
        SafeTensors.Save(dir.File("in.safetensors"), tensors);

        var r = Processes.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "LstPipe.Models.Tests", "Baselines", "fdsr_reference.py"),
            dir.File("in.safetensors"), dir.File("out.safetensors"), $"{scale}", $"{mean}", $"{std}"]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var (reference, _) = SafeTensors.Load(dir.File("out.safetensors"));

        var sr = net.call(lst, gui);
        var loss = l1_loss(sr, hr);
        loss.backward();
        TensorAssert.Close(reference["output.sr_lst"], sr, 1e-5, 1e-4, "sr_lst");
        TensorAssert.Close(reference["output.l1_loss"], loss.reshape(1), 1e-5, 0, "l1_loss");
        foreach (var (name, p) in net.named_parameters())
        {
            if (reference.TryGetValue("grad." + name, out var grad))
            {
                TensorAssert.Close(grad, p.grad!, 1e-3, 1e-6, "grad." + name);
            }
            else
            {
                Assert.True(p.grad is null, name + " has a gradient that PyTorch does not");
            }
        }

        Assert.Equal(net.named_parameters().Count(p => p.parameter.grad is not null), reference.Keys.Count(k => k.StartsWith("grad.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Sizes_that_are_not_multiples_of_eight_are_a_usage_error()
    {
        using var net = new Fdsr(2, 10, 300, 15);
        using var scope = NewDisposeScope();
        var e = Assert.Throws<Core.Errors.UsageException>(() => net.call(full(1, 1, 6, 6, 290f), randn(1, 10, 12, 12)));
        Assert.Contains("multiples of 8", e.Message);
    }
}
