using System.Text.Json;
using LstPipe.Inference;
using LstPipe.Models.Checkpoints;

namespace LstPipe.Training.Tests;

public class MetricsTests
{
    [Fact]
    public void Metrics_of_a_small_case_computed_by_hand()
    {
        float[] gt = [1, 2, 3, 4];
        float[] pred = [2, 2, 4, 4];
        var m = TileMetrics.Compute(gt, pred);
        Assert.Equal(Math.Sqrt(0.5), m.Rmse, 12);
        Assert.Equal(0.5, m.Mae, 12);
        Assert.Equal(0.5, m.Bias, 12);
        var cov = ((1 - 2.5) * (2 - 3) + (2 - 2.5) * (2 - 3) + (3 - 2.5) * (4 - 3) + (4 - 2.5) * (4 - 3)) / 4;
        Assert.Equal(cov / (Math.Sqrt(1.25) * Math.Sqrt(1.0) + 1e-12), m.Cc, 12);
        Assert.Equal(Math.Abs(Math.Sqrt(5.0 / 3) - Math.Sqrt(4.0 / 3)) / (Math.Sqrt(5.0 / 3) + 1e-12), m.Rsd, 12);
    }

    [Fact]
    public void Metrics_match_the_reference_implementation_on_the_golden_tile()
    {
        var (t, meta) = SafeTensors.Load(Path.Combine(RepoPaths.Golden, "mocolsk_x2_small.safetensors"));
        var expected = JsonDocument.Parse(meta["metrics_tile0"]).RootElement;
        using var sr = t["output.sr_lst"].narrow(0, 0, 1);
        using var hr = t["input.hr_lst"].narrow(0, 0, 1);
        var m = TileMetrics.Compute(Downscaler.ToArray(hr), Downscaler.ToArray(sr));
        Assert.Equal(expected.GetProperty("RMSE").GetDouble(), m.Rmse, 4);
        Assert.Equal(expected.GetProperty("MAE").GetDouble(), m.Mae, 4);
        Assert.Equal(expected.GetProperty("BIAS").GetDouble(), m.Bias, 4);
        Assert.Equal(expected.GetProperty("CC").GetDouble(), m.Cc, 5);
        Assert.Equal(expected.GetProperty("RSD").GetDouble(), m.Rsd, 5);
    }
}
