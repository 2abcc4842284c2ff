using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Dataset;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Splits;
using LstPipe.Inference;
using LstPipe.Synthetic;

using static LstPipe.Testing.TestRuns;

namespace LstPipe.Training.Tests;

[Collection(SeededTorch.Name)]
public class TrainerTests
{
    [Fact]
    public void A_run_s_config_records_what_shapes_it_not_whether_it_was_forced_or_replaced()
    {
        using var dir = new TempDir();
        var ds = MakeDataset(dir, 128, 32);
        Trainer.Run(Small(ds, dir.File("run"), 2, 2) with { Force = true });
        var first = File.ReadAllText(Path.Combine(dir.File("run"), "config.json"));
        Trainer.Run(Small(ds, dir.File("run"), 2, 2) with { Force = true });
        Assert.Equal(first, File.ReadAllText(Path.Combine(dir.File("run"), "config.json")));
        Trainer.Run(Small(ds, dir.File("plain"), 2, 2));
        Assert.Equal(first, File.ReadAllText(Path.Combine(dir.File("plain"), "config.json")).Replace(dir.File("plain"), dir.File("run"), StringComparison.Ordinal));
        Assert.DoesNotContain("\"force\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("\"resume\"", first, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_mocolsk_beats_bicubic_after_a_short_training()
    {
        using var dir = new TempDir();
        var ds = MakeDataset(dir, 384, 64);
        var result = Trainer.Run(Small(ds, dir.File("run"), 150, 150));
        Assert.Equal(150, result.Iterations);
        var eval = Evaluator.Run(new EvaluateOptions { Checkpoint = Path.Combine(result.Run, "best.safetensors"), Dataset = ds });
        Assert.True(eval.Model.Rmse < eval.Bicubic.Rmse, $"MoCoLSK RMSE {eval.Model.Rmse:0.0000} K is not below bicubic {eval.Bicubic.Rmse:0.0000} K");
        Assert.True(File.Exists(eval.MetricsCsv));
        Assert.Equal(eval.Tiles + 1, File.ReadAllLines(eval.MetricsCsv).Length);
        Assert.Equal(5, eval.Figures.Count);
        foreach (var png in eval.Figures)
        {
            using var image = LstPipe.Raster.Gdal.RasterDataset.Open(png);
            Assert.Equal(("PNG", 3), (image.Driver, image.BandCount));
        }

        // The report of the run draws its curve and shows the table 'lstpipe test' printed, from its metrics-test.csv.
        var report = LstPipe.Training.Reports.DatasetReport.Run(new LstPipe.Training.Reports.ReportOptions { Dataset = ds, Run = result.Run, Output = dir.File("report.html"), Samples = 1 });
        Assert.Equal(1 + 1 + 1, report.Images);
        var html = File.ReadAllText(report.Output);
        Assert.Contains(FormattableString.Invariant($"<td>model</td><td class=\"n\">{eval.Model.Rmse:0.0000}</td><td class=\"n\">{eval.Model.Mae:0.0000}</td>"), html);
        Assert.Contains(FormattableString.Invariant($"<td>bicubic</td><td class=\"n\">{eval.Bicubic.Rmse:0.0000}</td>"), html);
        Assert.Contains(FormattableString.Invariant($"{eval.Tiles} tiles</h3>"), html);
    }

    [Fact]
    public void A_resumed_run_reproduces_the_uninterrupted_loss_curve_and_weights()
    {
        using var dir = new TempDir();
        var ds = MakeDataset(dir, 192, 32);
        Trainer.Run(Small(ds, dir.File("full"), 12, 4));

        using var cts = new CancellationTokenSource();
        var progress = new Inline(p =>
        {
            if (p.Iteration == 8)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Run(Small(ds, dir.File("cut"), 12, 4), progress, cts.Token));
        Assert.Equal(9, File.ReadAllLines(dir.File("cut/log.csv")).Length);
        Trainer.Run(Small(ds, dir.File("cut"), 12, 4) with { Resume = true });

        Assert.Equal(File.ReadAllText(dir.File("full/log.csv")), File.ReadAllText(dir.File("cut/log.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("full/last.safetensors")), File.ReadAllBytes(dir.File("cut/last.safetensors")));
    }

    [Fact]
    public void Every_iteration_reports_its_speed_and_time_left_and_lands_in_log_csv_before_the_first_validation()
    {
        using var dir = new TempDir();
        var ds = MakeDataset(dir, 192, 32);
        var seen = new List<(TrainProgress Progress, int LogRows)>();
        Trainer.Run(Small(ds, dir.File("run"), 6, 3), new Inline(p => seen.Add((p, File.ReadAllLines(dir.File("run/log.csv")).Length - 1))));
        Assert.Equal([1, 2, 3, 4, 5, 6], seen.Select(s => s.Progress.Iteration));
        Assert.Equal([1, 2, 3, 4, 5, 6], seen.Select(s => s.LogRows));
        Assert.Equal([false, false, true, false, false, true], seen.Select(s => s.Progress.Validated));
        Assert.All(seen, s => Assert.True(s.Progress.IterationsPerSecond > 0));
        Assert.All(seen.SkipLast(1), s => Assert.True(s.Progress.Remaining > TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, seen[^1].Progress.Remaining);
        Assert.Matches(@"^it 1/6 loss \d+\.\d{3} K lr 1\.0e-3 \d+\.\d+ (it/s|s/it) ETA \d+s$", seen[0].Progress.ToString());
        Assert.EndsWith(" val " + seen[2].Progress.ValRmse!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " K", seen[2].Progress.ToString());
    }

    [Fact]
    public void A_batch_of_two_averages_the_loss_of_the_two_tiles_the_data_order_gives_and_the_groklst_constants_are_recorded()
    {
        using var dir = new TempDir();
        var ds = MakeDataset(dir, 192, 32);
        var options = Small(ds, dir.File("run"), 1, 1) with { BatchSize = 2, Normalization = "groklst" };
        Trainer.Run(options);
        var logged = double.Parse(File.ReadAllLines(dir.File("run/log.csv"))[1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture);

        var norm = Normalization.For(DatasetFolder.Load(ds).Card, 4, "groklst");
        Assert.Equal("groklst", norm.Constants);
        Assert.Equal(14.68, norm.LstStd);
        TorchSharp.torch.manual_seed(0);
        using var model = Downscaler.Create(options.Spec, norm, null);
        var loader = new TileLoader(ds, "mat", norm);
        var order = TileLoader.EpochOrder(TileLoader.ReadSplit(ds, "train"), 0, 0);
        using var source = loader.Open();
        var expected = order.Take(2).Average(i => (double)Trainer.Loss(model, TileBatch.Collate([loader.Read(source, i)])).item<float>());
        Assert.Equal(expected, logged, 5);
        Assert.Equal("groklst", Downscaler.Load(dir.File("run/best.safetensors")).Normalization.Constants);
    }

    [Fact]
    public void A_baseline_trains_and_its_checkpoint_rebuilds_the_same_network()
    {
        using var dir = new TempDir();
        var ds = MakeDataset(dir, 192, 32);
        var result = Trainer.Run(Small(ds, dir.File("run"), 6, 3) with { Model = "djf" });
        Assert.Equal(110_755, result.Parameters);
        var eval = Evaluator.Run(new EvaluateOptions { Checkpoint = Path.Combine(result.Run, "best.safetensors"), Dataset = ds, Panels = 0 });
        Assert.Equal("djf", eval.ModelName);
        Assert.True(double.IsFinite(eval.Model.Rmse));

        var card = File.ReadAllText(Path.Combine(ds, "dataset.json"));
        File.WriteAllText(Path.Combine(ds, "dataset.json"), card.Replace("\"std\": ", "\"std\": 9", StringComparison.Ordinal));
        Assert.NotEqual(card, File.ReadAllText(Path.Combine(ds, "dataset.json")));
        var other = Evaluator.Run(new EvaluateOptions { Checkpoint = Path.Combine(result.Run, "best.safetensors"), Dataset = ds, Panels = 0, Output = dir.File("other") });
        Assert.Equal(eval.Model, other.Model);
    }

    [Fact]
    public void Fdsr_trains_where_tiles_fit_it_and_is_refused_up_front_where_they_do_not()
    {
        using var dir = new TempDir();
        var ds = MakeDataset(dir, 160, 20, "1,2");
        var e = Assert.Throws<UsageException>(() => Trainer.Run(Small(ds, dir.File("run"), 4, 2) with { Model = "fdsr", Scale = 2 }));
        Assert.Contains("multiple of 8 px", e.Message);
        Assert.False(Directory.Exists(dir.File("run")));
        Assert.Contains("cuda", Assert.Throws<UsageException>(() => Trainer.Run(Small(ds, dir.File("run"), 4, 2) with { Device = Models.TorchSetup.CudaIsAvailable ? "tpu" : "cuda" })).Message);
        Assert.False(Directory.Exists(dir.File("run")));

        using var dir2 = new TempDir();
        var fits = MakeDataset(dir2, 128, 32);
        var result = Trainer.Run(Small(fits, dir2.File("run"), 4, 2) with { Model = "fdsr" });
        Assert.Equal(642_577, result.Parameters);
        Assert.True(double.IsFinite(result.BestRmse));
    }

    [Fact]
    public void Bad_options_and_missing_splits_are_usage_errors()
    {
        using var dir = new TempDir();
        Assert.Throws<UsageException>(() => (Small("x", "y", 10, 5) with { Scale = 3 }).Validate());
        Assert.Throws<UsageException>(() => (Small("x", "y", 10, 5) with { Periods = [4, 4] }).Validate());
        var periods = LstPipe.Core.Options.OptionSchema<TrainOptions>.Find("periods")!;
        Assert.Throws<UsageException>(() => LstPipe.Core.Options.OptionSchema<TrainOptions>.Parse(periods, "a,b", "--periods"));
        Assert.Equal([2500L, 2500, 2500, 2500], (IReadOnlyList<long>)LstPipe.Core.Options.OptionSchema<TrainOptions>.Parse(periods, "4x2500", "--periods")!);
        Directory.CreateDirectory(dir.File("ds"));
        Assert.Throws<UsageException>(() => TileLoader.ReadSplit(dir.File("ds"), "train"));
    }

    private sealed class Inline(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
