using static TorchSharp.torch;

namespace LstPipe.Training.Optim;

/// <summary>
/// Cosine annealing with restarts as in GrokLST's recipe (mmengine's <c>CosineRestartLR</c>), as a TorchSharp LR
/// scheduler: consecutive periods, period i starting at <c>w_i * base</c> and falling along half a cosine to eta_min:
/// lr = eta_min + (w_i * base - eta_min) (1 + cos(pi t / period_i)) / 2, t the iteration within the period (the closed
/// form of mmengine's recursive update). With unit weights and equal periods it equals PyTorch's
/// <c>CosineAnnealingWarmRestarts(T_0, T_mult=1)</c>. Call <c>step()</c> after each optimizer step.
/// </summary>
public sealed class CosineRestartLR : optim.lr_scheduler.LRScheduler
{
    private readonly optim.Optimizer _optimizer;

    /// <summary>Creates the schedule and sets the optimizer's rate for iteration <paramref name="iteration"/>
    /// (0 for a new run; a resumed run's next iteration).</summary>
    /// <exception cref="ArgumentException">Periods and weights differ in count, or a period is not positive.</exception>
    public CosineRestartLR(optim.Optimizer optimizer, double baseLr, IReadOnlyList<long> periods,
        IReadOnlyList<double> restartWeights, double etaMin = 0, int iteration = 0)
        : base(optimizer, -1, false)
    {
        if (periods.Count == 0 || periods.Count != restartWeights.Count || periods.Any(p => p <= 0))
        {
            throw new ArgumentException("periods and restart weights must be non-empty lists of the same length with positive periods");
        }

        (_optimizer, BaseLr, Periods, RestartWeights, EtaMin) = (optimizer, baseLr, periods, restartWeights, etaMin);
        _step_count = iteration;
        Apply(At(iteration));
    }

    /// <summary>The base rate.</summary>
    public double BaseLr { get; }

    /// <summary>Iterations of each period.</summary>
    public IReadOnlyList<long> Periods { get; }

    /// <summary>Peak weight of each period.</summary>
    public IReadOnlyList<double> RestartWeights { get; }

    /// <summary>The floor.</summary>
    public double EtaMin { get; }

    /// <summary>The optimizer's current rate.</summary>
    public double LearningRate => _optimizer.ParamGroups.First().LearningRate;

    /// <summary>The learning rate at an iteration (0-based).</summary>
    public double At(long iteration)
    {
        long start = 0;
        for (var i = 0; i < Periods.Count; i++)
        {
            if (iteration < start + Periods[i])
            {
                var t = iteration - start;
                return EtaMin + (RestartWeights[i] * BaseLr - EtaMin) * (1 + Math.Cos(Math.PI * t / Periods[i])) / 2;
            }

            start += Periods[i];
        }

        return EtaMin;
    }

    /// <inheritdoc/>
    protected override IEnumerable<double> get_lr() => _optimizer.ParamGroups.Select(_ => At(_step_count));

    private void Apply(double lr)
    {
        foreach (var g in _optimizer.ParamGroups)
        {
            g.LearningRate = lr;
        }
    }
}
