using System.Globalization;
using LstPipe.Inference;

namespace LstPipe.Training.Tests;

[Collection(SeededTorch.Name)]
public class EvaluatorTests
{
    private static double[][] Rows(string csv) => File.ReadAllLines(csv).Skip(1)
        .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    [Fact]
    public void Batched_tiles_score_as_one_at_a_time_and_bfloat16_stays_within_two_hundredths_of_a_kelvin()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 192, 32);
        var run = Trainer.Run(TestRuns.Small(ds, dir.File("run"), 30, 30));
        var test = new EvaluateOptions { Checkpoint = Path.Combine(run.Run, "best.safetensors"), Dataset = ds, Panels = 0 };
        var one = Evaluator.Run(test with { Output = dir.File("one") });
        var four = Evaluator.Run(test with { Output = dir.File("four"), BatchSize = 4 });
        var (a, b) = (Rows(one.MetricsCsv), Rows(four.MetricsCsv));
        Assert.Equal(a.Select(r => r[0]), b.Select(r => r[0]));
        Assert.True(a.Zip(b).All(p => Math.Abs(p.First[1] - p.Second[1]) < 1e-3), "a batch of four tiles scores differently from one at a time");
        var asBf16 = test with { Output = dir.File("bf16"), BatchSize = 4, Precision = Precision.Bf16 };
        if (!Core.Native.CpuFeatures.Current.NativeBf16)
        {
            Assert.Contains("has no native bfloat16", Assert.Throws<Core.Errors.UsageException>(() => Evaluator.Run(asBf16)).Message);
            Assert.False(Directory.Exists(dir.File("bf16")));
            return;
        }

        var bf16 = Evaluator.Run(asBf16);
        Assert.Equal(one.Bicubic.Rmse, bf16.Bicubic.Rmse);
        var change = Math.Abs(bf16.Model.Rmse - one.Model.Rmse);
        Assert.True(change < 0.02, $"bfloat16 moved the RMSE by {change:0.0000} K ({one.Model.Rmse:0.0000} K in float32)");
        Assert.NotEqual(one.Model.Rmse, bf16.Model.Rmse);
    }

    [Fact]
    public void An_onnx_model_scores_every_tile_as_its_checkpoint_does()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 160, 32, "1,4");
        var (best, _) = TestRuns.TrainedAndConverted(dir, ds, "m", 6);

        var test = new EvaluateOptions { Checkpoint = best, Dataset = ds, Panels = 1, BatchSize = 3, Threads = 1 };
        var torch = Evaluator.Run(test with { Output = dir.File("torch") });
        var onnx = Evaluator.Run(test with { Checkpoint = dir.File("m.onnx"), Output = dir.File("onnx") });
        var (a, b) = (Rows(torch.MetricsCsv), Rows(onnx.MetricsCsv));
        Assert.Equal(a.Select(r => r[0]), b.Select(r => r[0]));
        Assert.True(a.Length >= 3, "tiles scored");
        var rmse = a.Zip(b).Max(p => Math.Abs(p.First[1] - p.Second[1]));
        Assert.True(rmse < 1e-4, $"a tile's RMSE moved by {rmse} K under ONNX Runtime");
        Assert.Equal(torch.Bicubic, onnx.Bicubic);
        Assert.Equal(("mocolsk", 1), (onnx.ModelName, onnx.Figures.Count));
        var e = Assert.Throws<Core.Errors.UsageException>(() => Evaluator.Run(test with { Checkpoint = dir.File("m.onnx"), Precision = Precision.Bf16 }));
        Assert.Contains("is an ONNX model, which runs in the float32 its graph holds", e.Message);
    }
}
