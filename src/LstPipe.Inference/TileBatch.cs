namespace LstPipe.Inference;

/// <summary>B samples collated for one forward pass, as contiguous host arrays in the tensors' layout: LR LST
/// (B x 1 x h x w, Kelvin), guidance (B x C x H x W, normalized), HR truth (B x 1 x H x W, NaN where it has nodata).</summary>
/// <param name="Indices">The samples' tile indices, in batch order (-1 for windows of a scene).</param>
/// <param name="LrSize">LR edge in pixels.</param>
/// <param name="HrSize">HR edge in pixels.</param>
/// <param name="Channels">Guidance channels.</param>
/// <param name="Lr">LR LST.</param>
/// <param name="Guidance">Guidance.</param>
/// <param name="Hr">HR truth (empty where there is none, as for a scene's windows).</param>
public sealed record TileBatch(IReadOnlyList<int> Indices, int LrSize, int HrSize, int Channels, float[] Lr, float[] Guidance,
    float[] Hr)
{
    /// <summary>Samples in the batch.</summary>
    public int Count => Indices.Count;

    /// <summary>Stacks samples of one size into a batch.</summary>
    /// <exception cref="ArgumentException">No samples, or samples of different sizes or channel counts.</exception>
    public static TileBatch Collate(IReadOnlyList<TileSample> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one sample", nameof(samples));
        }

        var first = samples[0];
        var plane = first.HrSize * first.HrSize;
        var channels = first.Guidance.Length / plane;
        if (samples.Any(s => s.LrSize != first.LrSize || s.HrSize != first.HrSize || s.Guidance.Length != first.Guidance.Length
            || s.Hr.Length != first.Hr.Length))
        {
            throw new ArgumentException("the samples of a batch must have one size and one channel count", nameof(samples));
        }

        return new TileBatch([.. samples.Select(s => s.Index)], first.LrSize, first.HrSize, channels,
            Concat(samples, s => s.Lr), Concat(samples, s => s.Guidance), Concat(samples, s => s.Hr));
    }

    /// <summary>Sample <paramref name="i"/>'s HR truth (H x W).</summary>
    public ReadOnlySpan<float> HrOf(int i) => Hr.AsSpan(i * HrSize * HrSize, HrSize * HrSize);

    /// <summary>Sample <paramref name="i"/>'s LR LST (h x w).</summary>
    public ReadOnlySpan<float> LrOf(int i) => Lr.AsSpan(i * LrSize * LrSize, LrSize * LrSize);

    private static float[] Concat(IReadOnlyList<TileSample> samples, Func<TileSample, float[]> part)
    {
        var all = new float[samples.Sum(s => part(s).Length)];
        var at = 0;
        foreach (var s in samples)
        {
            part(s).CopyTo(all, at);
            at += part(s).Length;
        }

        return all;
    }
}
