using LstPipe.Torch.IO;

namespace LstPipe.Torch.Tests;

/// <summary>The PyTorch 1.13 golden values of golden/make_golden.py, and comparisons against them.</summary>
internal static class Golden
{
    private static readonly Lazy<Dictionary<string, Tensor>> Values = new(() =>
        SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "golden", "ops.safetensors")).Tensors);

    public static Tensor Get(string name) => Values.Value.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"golden value '{name}' is missing; rerun golden/make_golden.py");

    /// <summary>An input of a case as a fresh leaf that requires grad.</summary>
    public static Tensor Input(string @case, string name)
    {
        var t = Get($"{@case}.in.{name}").Clone();
        t.RequiresGrad = true;
        return t;
    }

    public static void AssertClose(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string what = "")
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (var i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]), $"{what}[{i}]: expected {e[i]:R}, got {a[i]:R}");
        }
    }

    /// <summary>Runs a case: output equals the golden output, and the gradients of sum(out * r) equal the golden ones.</summary>
    public static void Check(string @case, Func<Dictionary<string, Tensor>, Tensor> op, params string[] inputs)
    {
        using var scope = Torch.NewDisposeScope();
        var leaves = inputs.ToDictionary(n => n, n => Input(@case, n));
        var y = op(leaves);
        AssertClose(Get($"{@case}.out"), y, what: $"{@case}.out");
        (y * Get($"{@case}.r")).Sum().Backward();
        foreach (var (name, leaf) in leaves)
        {
            AssertClose(Get($"{@case}.grad.{name}"), leaf.Grad!, rtol: 1e-4, atol: 1e-5, what: $"{@case}.grad.{name}");
        }
    }
}
