using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset;
using LstPipe.Inference;
using LstPipe.Models.Checkpoints;

namespace LstPipe.Training.Tests;

[Collection(SeededTorch.Name)]
public class TrainingLoopTests
{
    private static Dictionary<string, float[]> Weights(string path)
    {
        var (tensors, _) = SafeTensors.Load(path);
        return tensors.ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());
    }

    /// <summary>The distance between two sets of weights over the norm of the update from <paramref name="start"/>.</summary>
    private static double RelativeDistance(Dictionary<string, float[]> a, Dictionary<string, float[]> b, Dictionary<string, float[]> start)
    {
        double distance = 0, update = 0;
        foreach (var (name, w) in a)
        {
            for (var i = 0; i < w.Length; i++)
            {
                distance += Math.Pow(w[i] - b[name][i], 2);
                update += Math.Pow(w[i] - start[name][i], 2);
            }
        }

        return Math.Sqrt(distance / update);
    }

    [Fact]
    public void A_batch_of_four_steps_as_four_single_tiles_accumulated_and_logs_their_tiles()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 192, 32);
        var options = TestRuns.Small(ds, dir.File("batch"), 2, 2) with { BatchSize = 4 };
        Trainer.Run(options);
        Trainer.Run(options with { Output = dir.File("accumulated"), BatchSize = 1, Accumulate = 4 });

        TorchSharp.torch.manual_seed(0);
        var norm = Normalization.For(DatasetFolder.Load(ds).Card, 4, "card");
        using (var start = Downscaler.Create(options.Spec, norm, null))
        {
            start.Save(dir.File("start.safetensors"));
        }

        var distance = RelativeDistance(Weights(dir.File("batch/last.safetensors")), Weights(dir.File("accumulated/last.safetensors")),
            Weights(dir.File("start.safetensors")));
        Assert.True(distance < 1e-3, $"batch 4 is {distance:E2} of its update from 1 x 4 accumulated");

        var logs = new[] { "batch", "accumulated" }.Select(r => File.ReadAllLines(dir.File(r + "/log.csv"))).ToArray();
        Assert.Equal("iteration,loss,lr,val_rmse,tiles", logs[0][0]);
        var order = TileLoader.EpochOrder(TileLoader.ReadSplit(ds, "train"), 0, 0);
        Assert.Equal(string.Join(" ", order.Take(4)), logs[0][1].Split(',')[4]);
        Assert.Equal(string.Join(" ", order.Skip(4).Take(4)), logs[0][2].Split(',')[4]);
        for (var row = 1; row <= 2; row++)
        {
            var (b, a) = (logs[0][row].Split(','), logs[1][row].Split(','));
            Assert.Equal(b[4], a[4]);
            Assert.Equal(double.Parse(b[1], CultureInfo.InvariantCulture), double.Parse(a[1], CultureInfo.InvariantCulture), 5);
        }
    }

    [Fact]
    public void Fine_tuning_starts_from_the_given_weights_and_refuses_ones_that_do_not_fit()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 192, 32);
        var first = Trainer.Run(TestRuns.Small(ds, dir.File("first"), 4, 4));
        var init = Path.Combine(first.Run, "best.safetensors");
        var tuned = TestRuns.Small(ds, dir.File("tuned"), 2, 2) with { Init = init, LearningRate = 1e-9, Seed = 7 };
        Trainer.Run(tuned);
        var (start, end) = (Weights(init), Weights(dir.File("tuned/last.safetensors")));
        Assert.All(start, kv => Assert.True(kv.Value.Zip(end[kv.Key]).All(p => Math.Abs(p.First - p.Second) < 1e-5), kv.Key));
        Assert.Contains(init, File.ReadAllText(dir.File("tuned/config.json")), StringComparison.Ordinal);

        var x2 = Assert.Throws<UsageException>(() => Trainer.Run(tuned with { Output = dir.File("x2"), Scale = 2 }));
        Assert.EndsWith("the options ask for --scale 2; pass --scale 4", x2.Message, StringComparison.Ordinal);
        var wide = Assert.Throws<UsageException>(() => Trainer.Run(tuned with { Output = dir.File("w"), NumFeats = 32, Reduction = 16 }));
        Assert.EndsWith("ask for --num-feats 32, --reduction 16; pass --num-feats 8 --reduction 4", wide.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<UsageException>(() => Trainer.Run(tuned with { Output = dir.File("m"), Init = dir.File("none.pth") }));
        Assert.StartsWith($"--init {dir.File("none.pth")}: no such checkpoint", missing.Message, StringComparison.Ordinal);

        using (var model = Downscaler.Load(init))
        {
            var contract = model.Contract! with { Guidance = [.. model.Contract!.Guidance.Select((c, i) => i == 0 ? c with { Name = "thermal" } : c)] };
            var (tensors, meta) = SafeTensors.Load(init);
            meta[LstPipe.Inference.Contracts.DataContract.MetadataKey] = System.Text.Json.JsonSerializer.Serialize(contract, Core.Json.JsonDefaults.Options);
            SafeTensors.Save(dir.File("renamed.safetensors"), tensors, meta);
        }

        var renamed = Assert.Throws<UsageException>(() => Trainer.Run(tuned with { Output = dir.File("r"), Init = dir.File("renamed.safetensors") }));
        Assert.Contains("thermal", renamed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', renamed.Message);
    }
}
