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
                    throw new DataException(string.Create(CultureInfo.InvariantCulture,
                        $"{options.Dataset}: the training loss became {value} at iteration {iteration + 1} (tiles " +
                            $"{string.Join(" ", batch.Indices)}); check the tiles for non-finite values or lower --lr (the run " +
                            $"keeps its last checkpoint)"));
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
}
