using LstPipe.Models.Baselines;
using LstPipe.Torch;
using LstPipe.Torch.IO;
using static LstPipe.Torch.NN.Functional;

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
        Torch.Torch.ManualSeed(7);
        const double mean = 301.5, std = 12.25;
        using var net = new Fdsr(scale, 10, mean, std);
        using var scope = Torch.Torch.NewDisposeScope();
        var tensors = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var lst = (Torch.Torch.Randn([2, 1, 32 / scale, 32 / scale]) * 8) + 300;
        var gui = Torch.Torch.Randn([2, 10, 32, 32]);
        var hr = (Torch.Torch.Randn([2, 1, 32, 32]) * 8) + 300;
        tensors["input.lr_lst"] = lst;
        tensors["input.hr_guidance"] = gui;
        tensors["input.hr_lst"] = hr;
        SafeTensors.Save(dir.File("in.safetensors"), tensors);

        var r = Processes.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "LstPipe.Models.Tests", "Baselines", "fdsr_reference.py"),
            dir.File("in.safetensors"), dir.File("out.safetensors"), $"{scale}", $"{mean}", $"{std}"]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var (reference, _) = SafeTensors.Load(dir.File("out.safetensors"));

        var sr = net.Forward(lst, gui);
        var loss = L1Loss(sr, hr);
        loss.Backward();
        TensorAssert.Close(reference["output.sr_lst"], sr, 1e-5, 1e-4, "sr_lst");
        TensorAssert.Close(reference["output.l1_loss"], loss.Reshape(1), 1e-5, 0, "l1_loss");
        foreach (var (name, p) in net.NamedParameters())
        {
            if (reference.TryGetValue("grad." + name, out var grad))
            {
                TensorAssert.Close(grad, p.Grad!, 1e-3, 1e-6, "grad." + name);
            }
            else
            {
                Assert.True(p.Grad is null, name + " has a gradient that PyTorch does not");
            }
        }

        Assert.Equal(net.NamedParameters().Count(p => p.Parameter.Grad is not null), reference.Keys.Count(k => k.StartsWith("grad.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Sizes_that_are_not_multiples_of_eight_are_a_usage_error()
    {
        using var net = new Fdsr(2, 10, 300, 15);
        using var scope = Torch.Torch.NewDisposeScope();
        var e = Assert.Throws<Core.Errors.UsageException>(() => net.Forward(Torch.Torch.Full([1, 1, 6, 6], 290), Torch.Torch.Randn([1, 10, 12, 12])));
        Assert.Contains("multiples of 8", e.Message);
    }
}
