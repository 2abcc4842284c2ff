using LstPipe.Dataset.Cards;

namespace LstPipe.Inference;

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
    /// <summary>Where the constants come from: <c>card</c> (the dataset's own statistics) or <c>groklst</c> (the
    /// paper's published constants); recorded in checkpoints.</summary>
    public string Constants { get; init; } = "card";

    /// <summary>The constants of <paramref name="which"/> (<c>card</c> or <c>groklst</c>) for a dataset and scale; the
    /// GrokLST ones need the dataset to hold GrokLST's ten channels and take its scale labels.</summary>
    /// <exception cref="Core.Errors.UsageException">Another word, or a dataset the GrokLST constants do not fit.</exception>
    public static Normalization For(DatasetCard card, int scale, string which)
    {
        var own = FromCard(card, scale);
        if (which == "card")
        {
            return own;
        }

        if (which != "groklst")
        {
            throw new Core.Errors.UsageException($"--normalization {which}: use card (the dataset's statistics) or groklst (the " +
                $"paper's constants)");
        }

        var names = card.Guidance.Select(g => g.Name).ToArray();
        var grok = Raster.Scenes.GuidanceChannel.GrokLst.Select(g => g.Name).ToArray();
        if (!names.SequenceEqual(grok))
        {
            throw new Core.Errors.UsageException($"--normalization groklst: the paper's constants are for GrokLST's ten " +
                $"channels ({string.Join(", ", grok)}); this dataset has {string.Join(", ", names)}; use --normalization card");
        }

        return GrokLst(scale) with { LrLabel = own.LrLabel, HrLabel = own.HrLabel };
    }

    /// <summary>These constants reading another dataset's scale folders: its LR and HR labels from
    /// <paramref name="labels"/> (a model's normalization applied to the dataset it trains or is tested on).</summary>
    public Normalization WithLabels(Normalization labels) => this with { LrLabel = labels.LrLabel, HrLabel = labels.HrLabel };

    /// <summary>Derives the constants of a scale from a card.</summary>
    /// <exception cref="Core.Errors.UsageException">The dataset has no such scale.</exception>
    public static Normalization FromCard(DatasetCard card, int scale)
    {
        var hr = card.Scales.FirstOrDefault(s => s.Factor == 1) ?? throw new Core.Errors.UsageException("the dataset has no " +
            "base (factor 1) scale");
        var lr = card.Scales.FirstOrDefault(s => s.Factor == scale)
                 ?? throw new Core.Errors.UsageException($"the dataset has no x{scale} scale (it has " +
                     $"{string.Join(", ", card.Scales.Select(s => "x" + s.Factor))}); crop it with --scales 1,{scale}");
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

        return new Normalization(scale, lr.Label, hr.Label, lst.Mean, lst.Std > 0 ? lst.Std : 1, shift, divisor,
            minMax ? "min-max" : "z-score");
    }

    /// <summary>
    /// The published GrokLST constants (the original configs' values, rounded to two decimals; GROKLST.md): guidance
    /// min-max at x2 and z-score at x4/x8 with the 30 m statistics of the ten channels, and the LR LST z-score
    /// (mean 282.51; std 14.73 / 14.68 / 14.59 at x2 / x4 / x8). Metrics with these are comparable with the paper's.
    /// </summary>
    /// <exception cref="Core.Errors.UsageException">The scale is not 2, 4 or 8.</exception>
    public static Normalization GrokLst(int scale)
    {
        double[] mean = [2569.38, 0.17, 0.16, 0.15, 0.17, 0.20, 0.22, 0.19, 0.14, -0.19];
        double[] std = [1254.35, 0.05, 0.04, 0.04, 0.05, 0.06, 0.06, 0.13, 0.10, 0.12];
        double[] min = [905.42, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, -0.98, -0.52, -0.57];
        double[] max = [5082.07, 0.71, 0.50, 0.37, 0.40, 0.61, 0.60, 0.99, 0.71, 0.79];
        var lstStd = scale switch
        {
            2 => 14.73,
            4 => 14.68,
            8 => 14.59,
            _ => throw new Core.Errors.UsageException($"the GrokLST constants exist for x2, x4 and x8, not x{scale}"),
        };
        var lr = $"{30 * scale}m";
        return scale == 2
            ? new Normalization(scale, lr, "30m", 282.51, lstStd, min, max.Zip(min, (a, b) => a - b).ToArray(),
                "min-max")
            { Constants = "groklst" }
            : new Normalization(scale, lr, "30m", 282.51, lstStd, mean, std, "z-score") { Constants = "groklst" };
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
