using System.Globalization;
using LstPipe.Inference;
using LstPipe.Training.Optim;
using TorchSharp.Modules;

namespace LstPipe.Training;

/// <summary>Validates every <c>ValidateEvery</c> iterations and at the last, <c>BatchSize</c> tiles per forward.</summary>
internal sealed class ValidationHook(TrainOptions options, Downscaler model, TileLoader loader, IReadOnlyList<int> tiles,
    SpeedMeter speed) : ITrainHook
{
    /// <inheritdoc/>
    public void AfterStep(TrainStep step)
    {
        if (step.Iteration % options.ValidateEvery == 0 || step.Iteration == options.Iterations)
        {
            step.ValRmse = Trainer.Validate(model, loader, tiles, options.BatchSize);
            speed.ValidationDone();
        }
    }
}

/// <summary><c>log.csv</c>: a row per iteration (<c>iteration,loss,lr,val_rmse,tiles</c>, the tiles space-separated),
/// appended as iterations finish and rewritten whole at each checkpoint, so it never holds rows the checkpoint does
/// not.</summary>
internal sealed class TrainLog(string path) : ITrainHook
{
    /// <summary>The header, the columns in order.</summary>
    public const string Header = "iteration,loss,lr,val_rmse,tiles";

    private readonly List<string> _rows = [];

    /// <summary>Keeps the file's rows up to <paramref name="iteration"/> (those of the checkpoint resumed) and rewrites
    /// the file with them.</summary>
    public void KeepThrough(int iteration)
    {
        _rows.Clear();
        if (iteration > 0)
        {
            _rows.AddRange(File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0 && int.Parse(l.Split(',')[0],
                CultureInfo.InvariantCulture) <= iteration));
        }

        Rewrite();
    }

    /// <summary>Rewrites the file with every row so far (atomically).</summary>
    public void Rewrite() =>
        Core.IO.AtomicFile.WriteAllText(path, string.Concat(_rows.Prepend(Header).Select(r => r + "\n")));

    /// <inheritdoc/>
    public void AfterStep(TrainStep step)
    {
        var inv = CultureInfo.InvariantCulture;
        var row = string.Create(inv, $"{step.Iteration},{step.Loss:R},{step.LearningRate:R},") +
            (step.ValRmse is { } v ? v.ToString("R", inv) : "") + "," + string.Join(" ", step.Tiles);
        _rows.Add(row);
        if (step.ValRmse is null)
        {
            Append(row + "\n");
        }
    }

    /// <summary>Appends a row whole or not at all: a write that fails (a full disk) is cut back off the file.</summary>
    private void Append(string text)
    {
        var before = new FileInfo(path).Length;
        try
        {
            Core.Errors.WriteFailure.Guard(path, () => File.AppendAllText(path, text));
        }
        catch (Exception e) when ((e is IOException or Core.Errors.LstPipeException) && new FileInfo(path).Length != before)
        {
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                file.SetLength(before);
            }

            throw;
        }
    }
}

/// <summary>At each validation: <c>best.safetensors</c> when the RMSE improved, then <c>last.safetensors</c>, the
/// optimizer state, <c>log.csv</c> and <c>state.json</c>.</summary>
internal sealed class CheckpointHook(string run, Downscaler model, AdamW optimizer, TrainLog log, RunState state) : ITrainHook
{
    /// <summary>The run's state after the last checkpoint.</summary>
    public RunState State { get; private set; } = state;

    /// <inheritdoc/>
    public void AfterStep(TrainStep step)
    {
        if (step.ValRmse is not { } rmse)
        {
            return;
        }

        if (rmse < State.BestRmse)
        {
            State = State with { BestRmse = rmse, BestIteration = step.Iteration };
            RunFolder.Save(model, Path.Combine(run, "best.safetensors"), step.Iteration);
        }

        State = State with { Iteration = step.Iteration };
        RunFolder.Checkpoint(run, model, optimizer, State, log);
    }
}

/// <summary>Reports each iteration's progress with the speed and the time left.</summary>
internal sealed class ProgressHook(TrainOptions options, IProgress<TrainProgress>? progress, SpeedMeter speed) : ITrainHook
{
    private double? _lastValidation;

    /// <inheritdoc/>
    public void AfterStep(TrainStep step)
    {
        _lastValidation = step.ValRmse ?? _lastValidation;
        progress?.Report(new TrainProgress(step.Iteration, options.Iterations, step.Loss, step.LearningRate, _lastValidation,
            step.ValRmse is not null, speed.IterationsPerSecond, speed.Remaining(step.Iteration)));
    }
}
