using LstPipe.Torch.NN;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Torch.Tests;

[Collection(SeededTorch.Name)]
public class TensorOpsTests
{
    [Fact]
    public void Conv2d_with_stride_padding_and_groups() =>
        Golden.Check("conv_groups", v => Conv2d(v["x"], v["w"], v["b"], stride: 2, padding: 1, groups: 2), "x", "w", "b");

    [Fact]
    public void Conv2d_dilated() =>
        Golden.Check("conv_dilated", v => Conv2d(v["x"], v["w"], null, stride: 1, padding: 2, dilation: 2), "x", "w");

    [Fact]
    public void ConvTranspose2d_with_output_padding() =>
        Golden.Check("conv_transpose", v => ConvTranspose2d(v["x"], v["w"], v["b"], stride: 2, padding: 1, outputPadding: 1), "x", "w", "b");

    [Fact]
    public void Linear_matmul_and_bmm()
    {
        Golden.Check("linear", v => Linear(v["x"], v["w"], v["b"]), "x", "w", "b");
        Golden.Check("matmul", v => v["a"].Matmul(v["b"]), "a", "b");
        Golden.Check("bmm", v => v["a"].Bmm(v["b"]), "a", "b");
    }

    [Fact]
    public void Arithmetic_broadcasts_with_tensors_and_scalars() =>
        Golden.Check("broadcast", v =>
        {
            var (a, b) = (v["a"], v["b"]);
            return (a + b) * (a - b) / (b * b + 1) + 2.0 * a - 3.0 / (b * b + 1);
        }, "a", "b");

    [Fact]
    public void Unary_functions_and_activations() =>
        Golden.Check("unary", v =>
        {
            var x = v["x"];
            return Torch.Cat([x.Abs(), x.Exp(), x.Sigmoid(), x.Tanh(), x.Relu(), LeakyRelu(x, 0.2), x.Gelu(), Softmax(x, 1), x.Clamp(-0.5, 0.7), -x, x * x]);
        }, "x");

    [Fact]
    public void Functions_of_positive_values() =>
        Golden.Check("positive", v => Torch.Cat([v["x"].Sqrt(), v["x"].Log(), v["x"].Pow(2.5), v["x"].Rsqrt()]), "x");

    [Fact]
    public void Prelu_and_layer_norm()
    {
        Golden.Check("prelu", v => Prelu(v["x"], v["w"]), "x", "w");
        Golden.Check("layer_norm", v => LayerNorm(v["x"], [6], v["w"], v["b"]), "x", "w", "b");
    }

    [Fact]
    public void Pooling()
    {
        Golden.Check("adaptive_pool", v => AdaptiveAvgPool2d(v["x"], 3, 2), "x");
        Golden.Check("avg_pool", v => AvgPool2d(v["x"], 3, 2, 1), "x");
    }

    [Fact]
    public void Interpolation_nearest_bilinear_and_bicubic_without_aligned_corners()
    {
        Golden.Check("nearest", v => Interpolate(v["x"], 10, 14, InterpolationMode.Nearest), "x");
        Golden.Check("bilinear_up", v => Interpolate(v["x"], 10, 14, InterpolationMode.Bilinear), "x");
        Golden.Check("bilinear_down", v => Interpolate(v["x"], 3, 4, InterpolationMode.Bilinear), "x");
        Golden.Check("bicubic_up", v => Interpolate(v["x"], 4, InterpolationMode.Bicubic), "x");
    }

    [Fact]
    public void Pixel_shuffle_and_shape_operations()
    {
        Golden.Check("pixel_shuffle", v => PixelShuffle(v["x"], 2), "x");
        Golden.Check("shape", v =>
        {
            var x = v["x"];
            var n = x.Narrow(2, 1, 2).Reshape(2, -1);
            return Torch.Cat([x.Permute(0, 2, 1).Reshape(2, -1), Torch.Cat([n, n], 1)], 1);
        }, "x");
    }

    [Fact]
    public void Reductions_over_dimensions_with_keepdim() =>
        Golden.Check("reduce", v =>
        {
            var x = v["x"];
            return Torch.Cat([x.Sum([1]).Flatten(), x.Mean([0, 2], keepDim: true).Flatten(), x.Max([2]).Flatten(), x.Min([0]).Flatten(), x.Mean().Reshape(1), x.Sum().Reshape(1)]);
        }, "x");

    [Fact]
    public void Losses()
    {
        Golden.Check("l1", v => L1Loss(v["p"], v["t"]).Reshape(1), "p", "t");
        Golden.Check("mse", v => MseLoss(v["p"], v["t"]).Reshape(1), "p", "t");
        Golden.Check("smooth_l1", v => SmoothL1Loss(v["p"], v["t"], beta: 0.5).Reshape(1), "p", "t");
    }

    [Fact]
    public void Small_cases_computed_by_hand()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Torch.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, a.Transpose(0, 1).Contiguous().ToArray<float>());
        Assert.Equal(new float[] { 6, 15 }, a.Sum([1]).ToArray<float>());
        Assert.Equal(21, a.Sum().Item());
        var chunks = a.Chunk(2, 1);
        Assert.Equal([2L, 2L], chunks[0].Shape);
        Assert.Equal([2L, 1L], chunks[1].Shape);
        Assert.Equal(new float[] { 3, 6 }, chunks[1].Contiguous().ToArray<float>());
        Assert.Equal([1L, 2L, 3L], a.Unsqueeze(0).Shape);
        Assert.Equal([2L, 3L], a.Unsqueeze(0).Squeeze().Shape);
        Assert.Equal(new long[] { 2 }, a.Argmax(1).ToArray<long>().Select(v => v - 0).Distinct().ToArray());
        Assert.Equal(new[] { 0.0, 1, 2 }, Torch.Arange(0, 3, 1, ScalarType.Float64).ToArray<double>());
        Assert.Equal(new[] { true, false }, Torch.FromArray(new float[] { 2, -1 }).Gt(0).ToArray<bool>());
        Assert.Equal(ScalarType.Int64, Torch.FromArray(new long[] { 1, 2 }).Dtype);
    }

    [Fact]
    public void Autograd_by_hand_detach_and_no_grad()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.FromArray(new float[] { 3 }, requiresGrad: true);
        var y = x * x * 2.0 + x;
        y.Backward();
        Assert.Equal(13f, x.Grad!.ToArray<float>()[0]);
        Assert.False(x.Detach().RequiresGrad);
        using (Torch.NoGrad())
        {
            Assert.False((x * 2.0).RequiresGrad);
        }

        Assert.True((x * 2.0).RequiresGrad);
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Generators_follow_manual_seed_as_in_pytorch()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(7);
        Golden.AssertClose(Golden.Get("random.rand"), Torch.Rand([3, 4]), 0, 0);
        Golden.AssertClose(Golden.Get("random.randn"), Torch.Randn([2, 5]), 0, 0);
    }

    [Fact]
    public void A_libtorch_error_becomes_an_exception_with_its_message_and_the_process_goes_on()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Torch.Zeros([1, 3, 8, 8]);
        var w = Torch.Zeros([4, 5, 3, 3]);
        var e = Assert.Throws<TorchException>(() => Conv2d(x, w));
        Assert.Contains("expected input[1, 3, 8, 8] to have 5 channels, but got 3 channels instead", e.Message);
        Assert.Throws<TorchException>(() => x.Reshape(7, -1));
        Assert.Equal(192, x.NumEl);
    }
}
