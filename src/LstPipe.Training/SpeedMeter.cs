using System.Diagnostics;

namespace LstPipe.Training;

/// <summary>Training speed (iterations per second over the last iterations, validations apart) and the time left.</summary>
internal sealed class SpeedMeter(TrainOptions options)
{
    private readonly Queue<double> _steps = new();
    private readonly Stopwatch _clock = new();
    private double _stepSum;
    private double _validationSeconds = double.NaN;

    public void StepStarted() => _clock.Restart();

    public void StepDone()
    {
        var s = _clock.Elapsed.TotalSeconds;
        _steps.Enqueue(s);
        _stepSum += s;
        if (_steps.Count > 50)
        {
            _stepSum -= _steps.Dequeue();
        }
    }

    public void ValidationDone() => _validationSeconds = _clock.Elapsed.TotalSeconds - _steps.Last();

    public double IterationsPerSecond => _steps.Count == 0 || _stepSum <= 0 ? double.NaN : _steps.Count / _stepSum;

    public TimeSpan? Remaining(int iteration)
    {
        if (!double.IsFinite(IterationsPerSecond))
        {
            return null;
        }

        var left = options.Iterations - iteration;
        var validations = Trainer.ValidationsAfter(options, iteration);
        var perValidation = double.IsNaN(_validationSeconds) ? 0 : _validationSeconds;
        return TimeSpan.FromSeconds(left / IterationsPerSecond + validations * perValidation);
    }
}
