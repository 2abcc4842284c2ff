using System.Globalization;

namespace LstPipe.Inference;

/// <summary>
/// The wall-clock limit of one ONNX Runtime forward, relative to what the model costs: <see cref="Factor"/> times the
/// expected time, never under <see cref="Floor"/>. The expected time scales with the pixels of the batch; it comes from
/// the first forward that finished, and before that from an estimate of <see cref="AssumedRate"/> multiply-adds a
/// second, each weight of the model (its file's size / 4) once per HR pixel (a convolution at full resolution; layers
/// at LR cost less). A graph that does not end (a <c>Loop</c> of 2^62 trips) is stopped there, not run for ever.
/// </summary>
internal sealed class ForwardGuard
{
    /// <summary>How many times the expected time a forward may take.</summary>
    public const double Factor = 20;

    /// <summary>The multiply-adds a second assumed before any forward is measured (a slow, busy CPU core).</summary>
    public const double AssumedRate = 1e9;

    /// <summary>The shortest limit (a busy machine pauses a process for seconds).</summary>
    public static readonly TimeSpan Floor = TimeSpan.FromSeconds(10);

    private readonly double _weights;
    private double? _secondsPerPixel;

    /// <summary>A guard for a model of <paramref name="modelBytes"/> bytes.</summary>
    public ForwardGuard(long modelBytes) => _weights = modelBytes / 4.0;

    /// <summary>The limit of a forward over <paramref name="pixels"/> HR pixels (all tiles of the batch).</summary>
    public TimeSpan Limit(long pixels) => TimeSpan.FromSeconds(Math.Max(Floor.TotalSeconds, Factor * Expected(pixels)));

    /// <summary>What the limit is relative to, for the message of a forward that ran past it.</summary>
    public string Basis(long pixels)
    {
        var from = _secondsPerPixel is null ? "estimated from the model's size" : "the first forward's pace gives";
        return string.Create(CultureInfo.InvariantCulture, $"{Factor:0} x the {Expected(pixels):0.###} s {from}, at least " +
            $"{Floor.TotalSeconds:0} s");
    }

    /// <summary>Records a forward that finished; the first one sets the pace.</summary>
    public void Finished(long pixels, TimeSpan took) => _secondsPerPixel ??= took.TotalSeconds / Math.Max(1, pixels);

    private double Expected(long pixels) => _secondsPerPixel is { } pace ? pace * pixels : _weights * pixels / AssumedRate;
}
