using System.Globalization;

namespace LstPipe.Training;

/// <summary>Progress of a training run.</summary>
/// <param name="Iteration">Iterations done.</param>
/// <param name="Total">Iterations in all.</param>
/// <param name="Loss">Last training loss (L1, Kelvin).</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="ValRmse">The latest validation RMSE, if any.</param>
/// <param name="Validated">Whether this iteration ended with a validation.</param>
/// <param name="IterationsPerSecond">Training speed over the recent iterations (validations excluded).</param>
/// <param name="Remaining">Estimated time to the end: the remaining iterations at that speed plus the remaining
/// validations at the measured validation time.</param>
public readonly record struct TrainProgress(int Iteration, int Total, double Loss, double LearningRate, double? ValRmse,
    bool Validated = false, double IterationsPerSecond = double.NaN, TimeSpan? Remaining = null)
{
    /// <summary>One line: <c>it 120/10000 loss 0.412 K lr 9.9e-05 1.23 it/s ETA 2h14m val 0.521 K</c>.</summary>
    public override string ToString()
    {
        var speed = double.IsFinite(IterationsPerSecond) ? " " + Speed(IterationsPerSecond) : "";
        var eta = Remaining is { } r ? " ETA " + Duration(r) : "";
        var val = ValRmse is { } v ? string.Create(CultureInfo.InvariantCulture, $" val {v:0.000} K") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"it {Iteration}/{Total} loss {Loss:0.000} K lr {LearningRate:0.0e0}{speed}{eta}{val}");
    }

    /// <summary>A speed as it/s, or s/it when an iteration takes more than a second.</summary>
    public static string Speed(double iterationsPerSecond) => iterationsPerSecond >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{iterationsPerSecond:0.00} it/s")
        : string.Create(CultureInfo.InvariantCulture, $"{1 / iterationsPerSecond:0.0} s/it");

    /// <summary>A duration as 45s, 12m05s or 3h04m.</summary>
    public static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m")
        : t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Ceiling(t.TotalSeconds))}s");
}

/// <summary>What a run produced.</summary>
/// <param name="Run">The run folder.</param>
/// <param name="Iterations">Iterations done.</param>
/// <param name="BestRmse">Best validation RMSE (K).</param>
/// <param name="BestIteration">Where it was reached.</param>
/// <param name="Parameters">Parameter count of the model.</param>
public sealed record TrainResult(string Run, int Iterations, double BestRmse, int BestIteration, long Parameters);

/// <summary>What <c>train --dry-run</c> measured and expects.</summary>
/// <param name="HrSize">HR tile edge, in pixels.</param>
/// <param name="LrSize">LR tile edge, in pixels.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="Step">One training step (forward, backward, AdamW) on one iteration's tiles (batch size x
/// accumulation), measured here.</param>
/// <param name="Forward">One validation forward on one tile, measured here.</param>
/// <param name="ValidationTiles">Tiles in the validation split.</param>
/// <param name="Validations">Validations the run will do.</param>
/// <param name="Total">Iterations x step + validations x tiles x forward.</param>
/// <param name="PeakBytes">The process's peak resident memory after the step.</param>
/// <param name="BaselineBytes">Its peak before the model ran (the runtime and libtorch).</param>
public sealed record TrainEstimate(int HrSize, int LrSize, long Parameters, TimeSpan Step, TimeSpan Forward,
    int ValidationTiles, int Validations, TimeSpan Total, long PeakBytes, long BaselineBytes);
