using LstPipe.Torch.NN;

namespace LstPipe.Torch.Tests.NN;

[Collection(SeededTorch.Name)]
public class ModuleTests
{
    private sealed class Net : Layer
    {
        public Net()
        {
            Body = RegisterModule("body", new Sequential(new Conv2d(2, 4, 3, padding: 1), Activations.LeakyReLU(0.2), new Conv2d(4, 2, 3, padding: 1)));
            Norm = RegisterModule("norm", new LayerNorm(2));
            Act = RegisterModule("act", new PReLU(2));
        }

        public Sequential Body { get; }

        public LayerNorm Norm { get; }

        public PReLU Act { get; }

        public override Tensor Forward(Tensor input) => Act.Forward(Body.Forward(input));
    }

    [Fact]
    public void Default_initializers_draw_the_same_numbers_as_pytorch_under_a_seed()
    {
        Torch.ManualSeed(123);
        using var conv = new Conv2d(4, 6, 3);
        using var convT = new ConvTranspose2d(4, 6, 3, stride: 2);
        using var linear = new Linear(7, 5);
        using var grouped = new Conv2d(4, 8, 3, groups: 2, bias: false);
        foreach (var (prefix, module) in new (string, Module)[] { ("conv", conv), ("convt", convT), ("linear", linear), ("conv_nobias_groups", grouped) })
        {
            foreach (var (name, p) in module.StateDict())
            {
                Golden.AssertClose(Golden.Get($"init.{prefix}.{name}"), p, 0, 0, $"{prefix}.{name}");
            }
        }

        Assert.Equal(["weight"], grouped.StateDict().Keys);
    }

    [Fact]
    public void Parameters_have_pytorch_dotted_names_and_state_dicts_load_strictly_or_not()
    {
        using var a = new Net();
        using var b = new Net();
        Assert.Equal(["body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "norm.weight", "norm.bias", "act.weight"], a.NamedParameters().Select(p => p.Name));
        Assert.Equal(4 * 2 * 9 + 4 + 2 * 4 * 9 + 2 + 2 + 2 + 2, a.ParameterCount);
        b.LoadStateDict(a.StateDict());
        using (var scope = Torch.NewDisposeScope())
        {
            var x = Torch.Randn([1, 2, 5, 5]);
            Golden.AssertClose(a.Forward(x), b.Forward(x), 0, 0);
        }

        var partial = a.StateDict().Where(kv => kv.Key != "act.weight").ToDictionary(kv => kv.Key, kv => kv.Value);
        var e = Assert.Throws<ArgumentException>(() => b.LoadStateDict(partial));
        Assert.Contains("missing [act.weight]", e.Message);
        var (missing, unexpected) = b.LoadStateDict(partial, strict: false);
        Assert.Equal(["act.weight"], missing);
        Assert.Empty(unexpected);
        Assert.True(a.IsTraining);
        a.Eval();
        Assert.False(a.Body.IsTraining);
    }

    [Fact]
    public void Set_data_replaces_a_parameter_in_place_and_moving_to_the_current_device_changes_nothing()
    {
        using var a = new Net();
        var weight = a.Body.NamedParameters().First().Parameter;
        var values = weight.ToArray<float>();
        a.To(DeviceType.Cpu);
        Assert.Same(weight, a.Body.NamedParameters().First().Parameter);
        Assert.Equal(values, weight.ToArray<float>());
        Assert.Equal(DeviceType.Cpu, a.Device);

        using var doubled = weight.To(ScalarType.Float64) * 2.0;
        weight.SetData(doubled);
        Assert.Equal(ScalarType.Float64, weight.Dtype);
        Assert.True(weight.RequiresGrad);
        Assert.Equal(values.Select(v => 2.0 * v), weight.ToArray<double>());
    }

    [Fact]
    public void Devices_parse_and_cuda_without_a_cuda_libtorch_is_a_usage_error_saying_how_to_get_one()
    {
        Assert.Equal(DeviceType.Cpu, Torch.ParseDevice("cpu"));
        Assert.Contains("use cpu or cuda", Assert.Throws<Core.Errors.UsageException>(() => Torch.ParseDevice("gpu")).Message);
        if (Torch.CudaIsAvailable)
        {
            Assert.Equal(DeviceType.Cuda, Torch.ParseDevice("cuda"));
        }
        else
        {
            Assert.Contains("CMAKE_PREFIX_PATH", Assert.Throws<Core.Errors.UsageException>(() => Torch.ParseDevice("cuda")).Message);
        }
    }

    [Fact]
    public void A_thousand_training_iterations_keep_native_memory_flat()
    {
        using var net = new Net();
        using var optimizer = new LstPipe.Torch.Optim.AdamW(net.Parameters(), lr: 1e-3);
        static long Rss() => Environment.WorkingSet;
        void Iterate(int n)
        {
            for (var i = 0; i < n; i++)
            {
                using var scope = Torch.NewDisposeScope();
                var x = Torch.Randn([2, 2, 16, 16]);
                var loss = Functional.L1Loss(net.Forward(x), x);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
        }

        Iterate(100);
        GC.Collect();
        var before = Rss();
        Iterate(1000);
        GC.Collect();
        var growth = Rss() - before;
        Assert.True(growth < 20L << 20, $"RSS grew by {growth >> 20} MB over 1000 iterations");
        Assert.Null(DisposeScope.Current);
    }
}
