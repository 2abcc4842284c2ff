using LstPipe.Models.Checkpoints;
using LstPipe.Models.MoCoLsk;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace LstPipe.Models.Tests.MoCoLsk;

[Collection(SeededTorch.Name)]
public class MoCoLskNetTests
{
    private static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Meta) LoadGolden(int scale) =>
        SafeTensors.Load(Path.Combine(RepoPaths.Golden, $"mocolsk_x{scale}_small.safetensors"));

    private static Dictionary<string, Tensor> WithPrefix(Dictionary<string, Tensor> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    /// <summary>The golden files' network: the original code's batched forward, one kernel averaged over the batch of two.</summary>
    private static MoCoLskNet SmallNet(int scale, bool batchMeanKernel = true) =>
        new(new MoCoLskOptions { Scale = scale, NumFeats = 8, NResblocks = 1, Reduction = 4, BatchMeanKernel = batchMeanKernel });

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void The_forward_pass_and_loss_reproduce_the_reference(int scale)
    {
        var (golden, _) = LoadGolden(scale);
        using var net = SmallNet(scale);
        net.LoadStrict(WithPrefix(golden, "param."), "golden");
        using var scope = NewDisposeScope();
        var sr = net.call(golden["input.lr_lst"], golden["input.hr_guidance"]);
        TensorAssert.Close(golden["output.sr_lst"], sr, 1e-4, 0, "sr_lst");
        var loss = l1_loss(sr, golden["input.hr_lst"]);
        TensorAssert.Close(golden["output.l1_loss"], loss.reshape(1), 1e-4, 0, "l1_loss");
    }

    /// <summary>
    /// The gradients are compared in float64 with the float64 gradients of <c>tests/golden/make_golden.py</c>. In float32
    /// they cannot be compared element by element on every CPU: an activation whose input lies within float32 rounding
    /// of its kink (a LeakyReLU input of 3.3e-9 against 0.19 in ../shared/golden's x2 case) takes the side that the
    /// convolution's summation order gives it, which differs between CPUs (AVX-512 and AVX2 kernels), and moves the
    /// gradients behind it by up to 2.4e-2 of a tensor's norm. Float64 leaves no input that close (the same
    /// gradients agree within 6e-8 of each tensor's largest). Float32, what training runs in, is held to the float64
    /// gradients over all parameters together: a kink moved them by 6e-5 at most, a wrong network by far more.
    /// </summary>
    [Fact]
    public void Gradients_and_one_adamw_step_at_x2_reproduce_the_reference()
    {
        var (golden, _) = SafeTensors.Load(Path.Combine(RepoPaths.MadeGolden, "mocolsk_x2_small.safetensors"));
        var grads = WithPrefix(golden, "grad.");
        var exact = Gradients(golden, ScalarType.Float64);
        Assert.Empty(grads.Keys.Except(exact.Keys));
        foreach (var (name, g) in exact)
        {
            if (grads.TryGetValue(name, out var expected))
            {
                Assert.NotNull(g);
                TensorAssert.Close(expected, g!, 1e-5, 1e-7 * expected.abs().max().item<float>(), "grad." + name);
            }
            else
            {
                Assert.True(g is null, $"{name} has a gradient but the reference has none");
                Assert.Contains(".dynamic_mlp.", name);
            }
        }

        var single = Gradients(golden, ScalarType.Float32);
        var (distance, norm) = (0.0, 0.0);
        foreach (var (name, expected) in grads)
        {
            var (e, a) = (TensorAssert.Doubles(expected), TensorAssert.Doubles(single[name]!));
            distance += e.Zip(a, (x, y) => (x - y) * (x - y)).Sum();
            norm += e.Sum(x => x * x);
        }

        Assert.True(Math.Sqrt(distance / norm) < 1e-3, $"float32 gradients {Math.Sqrt(distance / norm):E2} of their norm from the reference's");

        // The step is checked on the reference's own gradients: Adam's first step is lr * g / (|g| + eps), so a
        // gradient near eps that differs in its last bits (libtorch 2.10 here, 1.13 there) moves it by more than 1e-6.
        using var net = SmallNet(2);
        net.LoadStrict(WithPrefix(golden, "param."), "golden");
        using var optimizer = optim.AdamW(net.parameters(), lr: 1e-4, weight_decay: 1e-5);
        using (no_grad())
        {
            foreach (var (name, p) in net.named_parameters())
            {
                if (grads.TryGetValue(name, out var expected))
                {
                    p.grad = expected.clone();
                }
            }
        }

        optimizer.step();
        var after = net.state_dict();
        foreach (var (name, expected) in WithPrefix(golden, "step1."))
        {
            TensorAssert.Close(expected, after[name], 0, 1e-6, "step1." + name);
        }
    }

    /// <summary>Every parameter's gradient of the golden L1 loss, the network and inputs cast to <paramref name="dtype"/>.</summary>
    private static Dictionary<string, Tensor?> Gradients(Dictionary<string, Tensor> golden, ScalarType dtype)
    {
        using var net = SmallNet(2);
        net.LoadStrict(WithPrefix(golden, "param."), "golden");
        net.to(dtype);
        using (var scope = NewDisposeScope())
        {
            var sr = net.call(golden["input.lr_lst"].to(dtype), golden["input.hr_guidance"].to(dtype));
            l1_loss(sr, golden["input.hr_lst"].to(dtype)).backward();
        }

        return net.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.detach().clone().DetachFromDisposeScope());
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
    public void Parameter_names_are_the_originals()
    {
        using var net = SmallNet(4);
        var names = net.state_dict().Keys.ToHashSet();
        Assert.Contains("lst_stem.weight", names);
        Assert.Contains("bridges.0.dlsk.conv_spatial0.weight", names);
        Assert.Contains("bridges.3.dlsk.dynamic_mlp.conv2.0.dynamic_conv.get_weight.weight", names);
        Assert.Contains("decoder.1.conv_1.1.weight", names);
        Assert.Contains("proj_head.2.bias", names);
        var reference = Processes.Run("/usr/bin/python3", ["-c",
            "import sys; sys.path.insert(0, sys.argv[1]); from mocolsk_reference import MoCoLsk; print('\\n'.join(MoCoLsk(4, f=8, n=1, r=4).state_dict().keys()))",
            Path.Combine(RepoPaths.Root, "bench", "train")]);
        Assert.True(reference.ExitCode == 0, reference.StdErr);
        Assert.Equal(reference.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Training_the_dynamic_mlp_gives_it_gradients_and_per_sample_kernels()
    {
        manual_seed(1);
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 2, NumFeats = 8, NResblocks = 1, Reduction = 4, TrainDynamicMlp = true });
        using var scope = NewDisposeScope();
        var lr = randn(2, 1, 8, 8) * 3.0 + 290.0;
        var gui = randn(2, 10, 16, 16);
        var sr = net.call(lr, gui);
        Assert.Equal([2L, 1L, 16L, 16L], sr.shape);
        l1_loss(sr, full(2, 1, 16, 16, 290f)).backward();
        var (name, p) = net.named_parameters().First(n => n.name.Contains(".dynamic_mlp.conv1.weight", StringComparison.Ordinal));
        Assert.NotNull(p.grad);
    }

    [Fact]
    public void A_batch_gives_each_sample_its_own_kernel_so_it_equals_one_sample_at_a_time()
    {
        var (golden, _) = LoadGolden(4);
        using var scope = NewDisposeScope();
        var (lr, gui) = (cat([golden["input.lr_lst"], golden["input.lr_lst"].flip(3) * 1.1 - 20], 0),
            cat([golden["input.hr_guidance"], golden["input.hr_guidance"].flip(3) * -3 + 1], 0));
        using var net = SmallNet(4, batchMeanKernel: false);
        net.LoadStrict(WithPrefix(golden, "param."), "golden");
        using var shared = SmallNet(4);
        shared.LoadStrict(WithPrefix(golden, "param."), "golden");
        using var noGrad = no_grad();
        var batched = net.call(lr, gui);
        var one = cat(Enumerable.Range(0, (int)lr.shape[0]).Select(i => net.call(lr.narrow(0, i, 1), gui.narrow(0, i, 1))).ToArray(), 0);
        TensorAssert.Close(one, batched, 1e-4, 0, "batch of 4 against 4 of 1");
        var apart = (shared.call(lr, gui) - one).abs().max().item<float>();
        var same = (batched - one).abs().max().item<float>();
        Assert.True(apart > 10 * same && apart > 5e-4, $"the batch-mean kernel is {apart:E2} K from per-sample kernels, a batch {same:E2} K from one at a time");
    }

    [Fact]
    public void Bfloat16_runs_the_body_and_keeps_the_kelvin_path_in_float32()
    {
        var (golden, _) = LoadGolden(4);
        using var scope = NewDisposeScope();
        using var net = SmallNet(4, batchMeanKernel: false);
        net.LoadStrict(WithPrefix(golden, "param."), "golden");
        using var noGrad = no_grad();
        var fp32 = net.call(golden["input.lr_lst"], golden["input.hr_guidance"]);
        net.UsePrecision(ScalarType.BFloat16);
        Assert.All(net.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        var bf16 = net.call(golden["input.lr_lst"], golden["input.hr_guidance"]);
        Assert.Equal(ScalarType.Float32, bf16.dtype);
        var diff = (bf16 - fp32).abs();
        Assert.True(diff.max().item<float>() > 0, "bfloat16 gave float32's output bit for bit: the body did not run in bfloat16");
        // The output in bfloat16 would be quantized to 1-2 K near 300 K; the body alone moves it by far less.
        Assert.True(diff.mean().item<float>() < 0.05, $"bfloat16 moved the output by {diff.mean().item<float>():0.0000} K on average");
    }
}
