using System.Diagnostics;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Inference;
using LstPipe.Models;
using static TorchSharp.torch;

namespace LstPipe.Training;

/// <summary>Parameter counts and the dry run's time and memory estimate.</summary>
public static partial class Trainer
{
    /// <summary>Builds the model for the options and returns its parameter count without training.</summary>
    public static long CountParameters(TrainOptions o, int guidanceChannels = 10)
    {
        var norm = new Normalization(o.Scale, "", "", 282.51, 14.7, Enumerable.Repeat(0.0, guidanceChannels).ToArray(),
            Enumerable.Repeat(1.0, guidanceChannels).ToArray(), "z-score");
        using var d = Downscaler.Create(o.Validate().Spec, norm, null);
        return d.Net.ParameterCount;
    }

    /// <summary>Times a training step and a validation forward on a dataset's tiles on this machine (values of the
    /// right shapes, so nothing is read; each the median of <see cref="TimedRuns"/> after one warm-up) and estimates the
    /// whole run from them.</summary>
    /// <param name="options">The run as it would start (model, width, scale, iterations, validation interval, device).</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="UsageException">The dataset or its validation split is missing, or the options are invalid.</exception>
    public static TrainEstimate Estimate(TrainOptions options)
    {
        options = options.Validate();
        var (card, norm) = OpenDataset(options);
        var validationTiles = TileLoader.ReadSplit(options.Dataset, options.ValSplit).Count;
        using var model = CreateModel(options, norm, card, null);
        var hr = card.TileSize;
        var lr = hr / options.Scale;
        var sample = new TileSample(-1, lr, hr, Enumerable.Repeat((float)norm.LstMean, lr * lr).ToArray(),
            new float[norm.GuidanceShift.Count * hr * hr], Enumerable.Repeat((float)norm.LstMean, hr * hr).ToArray());
        var batch = TileBatch.Collate(Enumerable.Repeat(sample, options.BatchSize).ToArray());
        using var optimizer = new Optim.HeldAdamW(model.Net.parameters(), options.LearningRate, options.WeightDecay);
        var baseline = PeakResidentBytes();
        var step = WarmMedian(() =>
        {
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                for (var k = 0; k < options.Accumulate; k++)
                {
                    (Loss(model, batch) / HeldScalars.Of(options.Accumulate)).backward();
                }

                optimizer.step();
            }
        });
        model.Net.eval();
        var forward = WarmMedian(() =>
        {
            using (NewDisposeScope())
            using (no_grad())
            {
                model.Forward(sample).Dispose();
            }
        });
        var validations = ValidationsAfter(options, 0);
        var total = TimeSpan.FromSeconds((step * options.Iterations) + (forward * validationTiles * validations));
        return new TrainEstimate(hr, lr, model.Net.ParameterCount, TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(forward),
            validationTiles, validations, total, PeakResidentBytes(), baseline);
    }

    /// <summary>Runs <paramref name="work"/> once to warm up (allocations, kernel selection), then
    /// <see cref="TimedRuns"/> times; the median of those, in seconds.</summary>
    private static double WarmMedian(Action work)
    {
        work();
        var times = new double[TimedRuns];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            work();
            times[i] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    /// <summary>Timed runs after the warm-up in <see cref="Estimate"/>.</summary>
    public const int TimedRuns = 3;

    /// <summary>The process's peak resident memory so far (<c>VmHWM</c>), or 0 where /proc does not say.</summary>
    internal static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:",
            StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line[6..].Trim().Split(' ')[0], NumberStyles.None,
            CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }
}
