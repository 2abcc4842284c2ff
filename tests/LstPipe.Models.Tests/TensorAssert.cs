using static TorchSharp.torch;

namespace LstPipe.Models.Tests;

/// <summary>Element-wise closeness of tensors, naming the worst element.</summary>
internal static class TensorAssert
{
    public static float[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();

    public static double[] Doubles(Tensor t) => t.detach().cpu().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    public static void Close(Tensor expected, Tensor actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = Doubles(expected);
        var a = Doubles(actual);
        var worst = 0.0;
        var at = -1;
        for (var i = 0; i < e.Length; i++)
        {
            var excess = Math.Abs(e[i] - a[i]) - (atol + rtol * Math.Abs(e[i]));
            if (excess > worst)
            {
                (worst, at) = (excess, i);
            }
        }

        Assert.True(at < 0, at < 0 ? "" : $"{what}[{at}]: expected {e[at]:R}, got {a[at]:R}");
    }
}
