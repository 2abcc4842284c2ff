using LstPipe.Dataset.Cards;

namespace LstPipe.Training;

/// <summary>
/// The constants a model needs, from the dataset card (so a regenerated dataset trains with its own statistics):
/// guidance min-max at x2 and z-score at x4 and x8 (30 m statistics, as GrokLST), and the LR LST's mean and standard
/// deviation for the z-score inside the network.
/// </summary>
/// <param name="Scale">The factor.</param>
/// <param name="LrLabel">Scale label of the LR input.</param>
/// <param name="HrLabel">Scale label of the truth and guidance.</param>
/// <param name="LstMean">LR LST mean (K).</param>
/// <param name="LstStd">LR LST standard deviation (K).</param>
/// <param name="GuidanceShift">Per channel: subtracted.</param>
/// <param name="GuidanceDivisor">Per channel: divided by.</param>
/// <param name="GuidanceMode"><c>min-max</c> or <c>z-score</c>.</param>
public sealed record Normalization(int Scale, string LrLabel, string HrLabel, double LstMean, double LstStd,
    IReadOnlyList<double> GuidanceShift, IReadOnlyList<double> GuidanceDivisor, string GuidanceMode)
{
    /// <summary>Derives the constants of a scale from a card.</summary>
    /// <exception cref="Core.Errors.UsageException">The dataset has no such scale.</exception>
    public static Normalization FromCard(DatasetCard card, int scale)
    {
        var hr = card.Scales.FirstOrDefault(s => s.Factor == 1) ?? throw new Core.Errors.UsageException("the dataset has no base (factor 1) scale");
        var lr = card.Scales.FirstOrDefault(s => s.Factor == scale)
                 ?? throw new Core.Errors.UsageException($"the dataset has no x{scale} scale (it has {string.Join(", ", card.Scales.Select(s => "x" + s.Factor))}); crop it with --scales 1,{scale}");
        var lst = card.StatisticsOf(lr.Label, "lst");
        var minMax = scale == 2;
        var shift = new List<double>();
        var divisor = new List<double>();
        foreach (var ch in card.Guidance)
        {
            var s = card.StatisticsOf(hr.Label, ch.Name);
            shift.Add(minMax ? s.Min : s.Mean);
            var d = minMax ? s.Max - s.Min : s.Std;
            divisor.Add(d > 0 ? d : 1);
        }

        return new Normalization(scale, lr.Label, hr.Label, lst.Mean, lst.Std > 0 ? lst.Std : 1, shift, divisor, minMax ? "min-max" : "z-score");
    }

    /// <summary>Normalizes one guidance channel in place; nodata (NaN) becomes 0, the normalized shift (the mean
    /// under z-score, the minimum under min-max), so the network never sees NaN.</summary>
    public void ApplyGuidance(int channel, Span<float> values)
    {
        var s = (float)GuidanceShift[channel];
        var d = (float)GuidanceDivisor[channel];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = float.IsNaN(values[i]) ? 0 : (values[i] - s) / d;
        }
    }

    /// <summary>Fills nodata (NaN) of an LR LST patch in place with the mean of its valid pixels, or the dataset's LR
    /// mean when none is valid.</summary>
    public void FillLst(Span<float> lr)
    {
        var (sum, count) = (0.0, 0);
        foreach (var v in lr)
        {
            if (!float.IsNaN(v))
            {
                (sum, count) = (sum + v, count + 1);
            }
        }

        if (count == lr.Length)
        {
            return;
        }

        var fill = (float)(count > 0 ? sum / count : LstMean);
        foreach (ref var v in lr)
        {
            if (float.IsNaN(v))
            {
                v = fill;
            }
        }
    }
}
