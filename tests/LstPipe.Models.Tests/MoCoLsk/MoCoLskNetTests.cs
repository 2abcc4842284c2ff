using LstPipe.Models.MoCoLsk;
using LstPipe.Torch;
using LstPipe.Torch.IO;
using LstPipe.Torch.Optim;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Models.Tests.MoCoLsk;

[Collection(SeededTorch.Name)]
public class MoCoLskNetTests
{
    private static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Meta) LoadGolden(int scale) =>
        SafeTensors.Load(Path.Combine(RepoPaths.Shared, "golden", $"mocolsk_x{scale}_small.safetensors"));

    private static Dictionary<string, Tensor> WithPrefix(Dictionary<string, Tensor> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    private static MoCoLskNet SmallNet(int scale) =>
        new(new MoCoLskOptions { Scale = scale, NumFeats = 8, NResblocks = 1, Reduction = 4 });

    [SharedGoldenTheory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void The_forward_pass_and_loss_reproduce_the_reference(int scale)
    {
        var (golden, _) = LoadGolden(scale);
        using var net = SmallNet(scale);
        net.LoadStateDict(WithPrefix(golden, "param."));
        using var scope = Torch.Torch.NewDisposeScope();
        var sr = net.Forward(golden["input.lr_lst"], golden["input.hr_guidance"]);
        TensorAssert.Close(golden["output.sr_lst"], sr, 1e-4, 0, "sr_lst");
        var loss = L1Loss(sr, golden["input.hr_lst"]);
        TensorAssert.Close(golden["output.l1_loss"], loss.Reshape(1), 1e-4, 0, "l1_loss");
    }

    [SharedGoldenFact]
    public void Gradients_and_one_adamw_step_at_x2_reproduce_the_reference()
    {
        var (golden, _) = LoadGolden(2);
        using var net = SmallNet(2);
        net.LoadStateDict(WithPrefix(golden, "param."));
        using var optimizer = new AdamW(net.Parameters(), lr: 1e-4, weightDecay: 1e-5);
        using (var scope = Torch.Torch.NewDisposeScope())
        {
            var loss = L1Loss(net.Forward(golden["input.lr_lst"], golden["input.hr_guidance"]), golden["input.hr_lst"]);
            loss.Backward();
        }

        var grads = WithPrefix(golden, "grad.");
        foreach (var (name, p) in net.NamedParameters())
        {
            using var g = p.Grad;
            if (grads.TryGetValue(name, out var expected))
            {
                Assert.NotNull(g);
                TensorAssert.Close(expected, g!, 1e-3, 1e-6, "grad." + name);
            }
            else
            {
                Assert.True(g is null, $"{name} has a gradient but the reference has none");
                Assert.Contains(".dynamic_mlp.", name);
            }
        }

        optimizer.Step();
        foreach (var (name, expected) in WithPrefix(golden, "step1."))
        {
            TensorAssert.Close(expected, net.StateDict()[name], 0, 1e-6, "step1." + name);
        }
    }

    [Theory]
    [InlineData(2, 20_011_833)]
    [InlineData(4, 25_430_841)]
    [InlineData(8, 40_913_721)]
    public void The_default_configuration_has_the_reference_parameter_count(int scale, long count)
    {
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = scale });
        Assert.Equal(count, net.ParameterCount);
    }

    [Fact]
    public void Training_the_dynamic_mlp_gives_it_gradients_and_per_sample_kernels()
    {
        Torch.Torch.ManualSeed(1);
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 2, NumFeats = 8, NResblocks = 1, Reduction = 4, TrainDynamicMlp = true });
        using var scope = Torch.Torch.NewDisposeScope();
        var lr = Torch.Torch.Randn([2, 1, 8, 8]) * 3.0 + 290.0;
        var gui = Torch.Torch.Randn([2, 10, 16, 16]);
        var sr = net.Forward(lr, gui);
        Assert.Equal([2L, 1L, 16L, 16L], sr.Shape);
        L1Loss(sr, Torch.Torch.Full([2, 1, 16, 16], 290)).Backward();
        var (name, p) = net.NamedParameters().First(n => n.Name.Contains(".dynamic_mlp.conv1.weight", StringComparison.Ordinal));
        Assert.NotNull(p.Grad);
    }
}
