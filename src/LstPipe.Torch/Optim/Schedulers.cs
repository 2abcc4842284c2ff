namespace LstPipe.Torch.Optim;

/// <summary>A learning-rate schedule: the rate at each iteration (0-based), applied to an optimizer.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at an iteration.</summary>
    public abstract double At(long iteration);

    /// <summary>Sets the optimizer's rate for an iteration.</summary>
    public void Apply(Optimizer optimizer, long iteration) => optimizer.LearningRate = At(iteration);
}

/// <summary>A constant rate.</summary>
public sealed class ConstantSchedule(double lr) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double At(long iteration) => lr;
}

/// <summary>lr * gamma ^ floor(iteration / stepSize), as <c>StepLR</c>.</summary>
public sealed class StepSchedule(double lr, long stepSize, double gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double At(long iteration) => lr * Math.Pow(gamma, iteration / stepSize);
}

/// <summary>
/// Cosine annealing with restarts as in GrokLST's recipe (mmengine's <c>CosineRestartLR</c>): consecutive periods,
/// each starting at <c>eta_min + weight_i (base - eta_min)</c> and falling along half a cosine to eta_min:
/// lr = eta_min + weight_i (base - eta_min) (1 + cos(pi t / period_i)) / 2, t the iteration within the period.
/// With equal periods and unit weights it equals PyTorch's <c>CosineAnnealingWarmRestarts(T_0, T_mult=1)</c>.
/// </summary>
public sealed class CosineRestartSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException">Periods and weights differ in count, or a period is not positive.</exception>
    public CosineRestartSchedule(double baseLr, IReadOnlyList<long> periods, IReadOnlyList<double> restartWeights, double etaMin = 0)
    {
        if (periods.Count == 0 || periods.Count != restartWeights.Count || periods.Any(p => p <= 0))
        {
            throw new ArgumentException("periods and restart weights must be non-empty lists of the same length with positive periods");
        }

        (BaseLr, Periods, RestartWeights, EtaMin) = (baseLr, periods, restartWeights, etaMin);
    }

    /// <summary>The base rate.</summary>
    public double BaseLr { get; }

    /// <summary>Iterations of each period.</summary>
    public IReadOnlyList<long> Periods { get; }

    /// <summary>Peak weight of each period.</summary>
    public IReadOnlyList<double> RestartWeights { get; }

    /// <summary>The floor.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override double At(long iteration)
    {
        long start = 0;
        for (var i = 0; i < Periods.Count; i++)
        {
            if (iteration < start + Periods[i])
            {
                var t = iteration - start;
                return EtaMin + RestartWeights[i] * (BaseLr - EtaMin) * (1 + Math.Cos(Math.PI * t / Periods[i])) / 2;
            }

            start += Periods[i];
        }

        return EtaMin;
    }
}
