namespace LstPipe.Inference.Tests;

/// <summary>The input a non-finite network output is blamed on: the coarse LST pixel or guidance value nearest the
/// output pixel that no network can take, reported as read; none when every input is finite and in range.</summary>
public class NonFiniteDiagnosisTests
{
    private static readonly Normalization Norm = Normalization.GrokLst(4) with
    {
        GuidanceShift = [10.0, 0.5],
        GuidanceDivisor = [2.0, 0.1],
    };

    /// <summary>One 8 x 8 tile of two channels at x4 (2 x 2 LR), every value plausible.</summary>
    private static TileBatch Batch(Action<float[], float[]>? edit = null)
    {
        var lr = new float[] { 290, 291, 292, 293 };
        var guidance = new float[2 * 64];
        edit?.Invoke(lr, guidance);
        return TileBatch.Collate([new TileSample(7, 2, 8, lr, guidance, new float[64])]);
    }

    [Fact]
    public void Finite_plausible_inputs_are_not_blamed()
    {
        Assert.Null(NonFiniteDiagnosis.Cause(Batch(), 0, Norm, 3, 3));
        Assert.Null(NonFiniteDiagnosis.Find([1f, 2f, 3f, 4f], 2));
        Assert.Equal((1, 1, float.NaN), NonFiniteDiagnosis.Find([1f, float.NaN, 3f, float.NaN], 2, i => i != 1));
    }

    [Fact]
    public void An_infinite_or_implausible_coarse_lst_pixel_is_named_with_its_lr_pixel()
    {
        var f = NonFiniteDiagnosis.Cause(Batch((lr, _) => lr[3] = float.PositiveInfinity), 0, Norm, 0, 0)!.Value;
        Assert.Equal((null, 1, 1), (f.Channel, f.Column, f.Row));
        Assert.Equal("Infinity", f.Describe());
        var hot = NonFiniteDiagnosis.Cause(Batch((lr, _) => lr[2] = 1e30f), 0, Norm, 0, 0)!.Value;
        Assert.Equal((null, 0, 1), (hot.Channel, hot.Column, hot.Row));
        Assert.Contains("outside the 150-400 K", hot.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_guidance_value_nearest_the_output_pixel_is_named_as_read()
    {
        var b = Batch((_, g) =>
        {
            g[64 + (1 * 8) + 1] = float.NegativeInfinity;
            g[64 + (6 * 8) + 6] = 5e6f;
        });
        var near = NonFiniteDiagnosis.Cause(b, 0, Norm, 7, 7)!.Value;
        Assert.Equal((1, 6, 6), (near.Channel!.Value, near.Column, near.Row));
        Assert.Equal(5e6 * 0.1 + 0.5, near.Value, 1e-3 * 5e5);
        var far = NonFiniteDiagnosis.Cause(b, 0, Norm, 0, 0)!.Value;
        Assert.Equal((1, 1, 1, double.NegativeInfinity), (far.Channel!.Value, far.Column, far.Row, far.Value));
    }
}
