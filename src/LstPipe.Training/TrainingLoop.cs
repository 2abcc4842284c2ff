using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Inference;
using LstPipe.Models;
using LstPipe.Training.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Training;

/// <summary>One finished iteration, as the hooks see it.</summary>
/// <param name="Iteration">Iterations done, this one included.</param>
/// <param name="Loss">Its training loss (L1, Kelvin), the mean over its tiles.</param>
/// <param name="LearningRate">The learning rate it stepped with.</param>
/// <param name="Tiles">The tiles it trained on, in order.</param>
internal sealed record TrainStep(int Iteration, double Loss, double LearningRate, IReadOnlyList<int> Tiles)
{
    /// <summary>The validation RMSE (K) when this iteration was validated (set by the validation hook).</summary>
    public double? ValRmse { get; set; }
}

/// <summary>Something that runs after each iteration: validation, the log, checkpoints, progress.</summary>
internal interface ITrainHook
{
    /// <summary>Called after the optimizer stepped, hooks in their order.</summary>
    void AfterStep(TrainStep step);
}

/// <summary>The training loop: per iteration, <c>Accumulate</c> forward passes of <c>BatchSize</c> tiles, their loss
/// divided by the accumulation and back-propagated, one AdamW step and one schedule step, then the hooks.</summary>
internal sealed class TrainingLoop(Downscaler model, AdamW optimizer, CosineRestartLR schedule, TrainOptions options,
    IReadOnlyList<ITrainHook> hooks, SpeedMeter speed)
{
    /// <summary>Trains from <paramref name="iteration"/> until the options' iterations or the batches run out.</summary>
    /// <returns>Iterations done.</returns>
    public int Run(IEnumerable<TileBatch> batches, int iteration, CancellationToken ct)
    {
        using var source = batches.GetEnumerator();
        while (iteration < options.Iterations)
        {
            ct.ThrowIfCancellationRequested();
            speed.StepStarted();
            var lr = schedule.LearningRate;
            optimizer.zero_grad();
            var tiles = new List<int>(options.TilesPerIteration);
            double loss = 0;
            for (var k = 0; k < options.Accumulate; k++)
            {
                ct.ThrowIfCancellationRequested();
                if (!source.MoveNext())
                {
                    return iteration;
                }

                using var scope = NewDisposeScope();
                var batch = source.Current;
                var l1 = Trainer.Loss(model, batch);
                (options.Accumulate == 1 ? l1 : l1 / HeldScalars.Of(options.Accumulate)).backward();
                var value = l1.item<float>();
                if (!double.IsFinite(value))
                {
                    throw new DataException(LossFault(batch, value, iteration + 1));
                }

                loss += value / options.Accumulate;
                tiles.AddRange(batch.Indices);
            }

            optimizer.step();
            schedule.step();
            iteration++;
            speed.StepDone();
            var step = new TrainStep(iteration, loss, lr, tiles);
            foreach (var hook in hooks)
            {
                hook.AfterStep(step);
            }
        }

        return iteration;
    }

    /// <summary>Why the loss became non-finite: the first tile input no network can take (its coarse LST, truth or a
    /// guidance channel), or, when every input was finite and in range, the learning rate.</summary>
    private string LossFault(TileBatch batch, float value, int iteration)
    {
        var became = string.Create(CultureInfo.InvariantCulture, $"{options.Dataset}: the training loss became {value} at " +
            $"iteration {iteration} (tiles {string.Join(" ", batch.Indices)})");
        const string keeps = "(the run keeps its last checkpoint)";
        for (var b = 0; b < batch.Count; b++)
        {
            var tile = batch.Indices[b];
            if (NonFiniteDiagnosis.Find(batch.HrOf(b), batch.HrSize, i => float.IsInfinity(batch.HrOf(b)[i])) is { } t)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{became}, because tile {tile}'s truth is {t.Value} at its " +
                    $"pixel ({t.Column}, {t.Row}); mask such pixels as nodata and crop again {keeps}");
            }

            if (NonFiniteDiagnosis.Cause(batch, b, model.Normalization, 0, 0) is { } f)
            {
                var what = f.Channel is { } k ? $"guidance '{model.Contract?.Guidance[k].Name ?? $"channel {k + 1}"}'" : "coarse LST";
                return $"{became}, because tile {tile}'s {what} is {f.Describe()} at its pixel ({f.Column}, {f.Row}); mask such " +
                    $"pixels as nodata and crop again {keeps}";
            }
        }

        return $"{became}, where every input of those tiles is finite and in range (the network diverged: lower --lr) {keeps}";
    }
}
