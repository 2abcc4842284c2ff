namespace LstPipe.Training;

/// <summary>GrokLST's per-tile metrics in Kelvin (no border crop); pixels where the truth or the prediction is NaN
/// (nodata, in tiles cropped with <c>--max-nodata</c> above 0; GrokLST's tiles have none) are left out.</summary>
/// <param name="Rmse">sqrt(mean((gt - pred)^2)).</param>
/// <param name="Mae">mean(|gt - pred|).</param>
/// <param name="Bias">mean(pred - gt).</param>
/// <param name="Cc">Pearson correlation with population moments and 1e-12 in the denominator.</param>
/// <param name="Rsd">|s_gt - s_pred| / (s_gt + 1e-12) with sample standard deviations (n - 1).</param>
public readonly record struct TileMetrics(double Rmse, double Mae, double Bias, double Cc, double Rsd)
{
    /// <summary>The metric names in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["RMSE", "MAE", "BIAS", "CC", "RSD"];

    /// <summary>The values in <see cref="Names"/> order.</summary>
    public double[] Values => [Rmse, Mae, Bias, Cc, Rsd];

    /// <summary>Computes the metrics of one tile in double precision (all NaN with fewer than two valid pixels).</summary>
    public static TileMetrics Compute(ReadOnlySpan<float> truth, ReadOnlySpan<float> prediction)
    {
        if (truth.Length != prediction.Length)
        {
            throw new ArgumentException("truth and prediction must have the same length");
        }

        var n = 0;
        double sg = 0, sp = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (!float.IsNaN(truth[i]) && !float.IsNaN(prediction[i]))
            {
                sg += truth[i];
                sp += prediction[i];
                n++;
            }
        }

        if (n < 2)
        {
            return new TileMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var (mg, mp) = (sg / n, sp / n);
        double se = 0, ae = 0, bias = 0, cov = 0, vg = 0, vp = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (float.IsNaN(truth[i]) || float.IsNaN(prediction[i]))
            {
                continue;
            }

            double g = truth[i], p = prediction[i];
            var d = p - g;
            se += d * d;
            ae += Math.Abs(d);
            bias += d;
            cov += (g - mg) * (p - mp);
            vg += (g - mg) * (g - mg);
            vp += (p - mp) * (p - mp);
        }

        var cc = cov / n / (Math.Sqrt(vg / n) * Math.Sqrt(vp / n) + 1e-12);
        var sdg = Math.Sqrt(vg / (n - 1));
        var sdp = Math.Sqrt(vp / (n - 1));
        return new TileMetrics(Math.Sqrt(se / n), ae / n, bias / n, cc, Math.Abs(sdg - sdp) / (sdg + 1e-12));
    }

    /// <summary>The mean of each metric over tiles.</summary>
    public static TileMetrics Mean(IReadOnlyCollection<TileMetrics> tiles) => tiles.Count == 0
        ? new TileMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
        : new TileMetrics(tiles.Average(t => t.Rmse), tiles.Average(t => t.Mae), tiles.Average(t => t.Bias),
            tiles.Average(t => t.Cc), tiles.Average(t => t.Rsd));
}
