using System.Globalization;
using LstPipe.Core.Errors;
using ScottPlot;

namespace LstPipe.Figures;

/// <summary>The vertical scale of the loss and RMSE in a training curve.</summary>
public enum CurveScale
{
    /// <summary>Logarithmic when the smoothed loss falls by more than a factor of 10, else linear.</summary>
    Auto,

    /// <summary>Linear.</summary>
    Linear,

    /// <summary>Logarithmic.</summary>
    Log,
}

/// <summary>The rows of a run's <c>log.csv</c> (<c>iteration,loss,lr,val_rmse</c>; val_rmse empty between validations).</summary>
/// <param name="Iteration">Iterations.</param>
/// <param name="Loss">Training L1 loss per iteration.</param>
/// <param name="LearningRate">Learning rate per iteration.</param>
/// <param name="ValRmse">Validation RMSE in K, NaN where the iteration was not validated.</param>
public sealed record TrainingLog(double[] Iteration, double[] Loss, double[] LearningRate, double[] ValRmse)
{
    /// <summary>Reads a <c>log.csv</c>.</summary>
    /// <exception cref="DataException">A row is not four numbers.</exception>
    public static TrainingLog Read(string path)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<double[]>();
        foreach (var (line, n) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Skip(1).Where(r => r.l.Trim().Length > 0))
        {
            var f = line.Split(',');
            var v = new double[4];
            for (var k = 0; k < 4; k++)
            {
                var blank = k == 3 && (f.Length < 4 || f[3].Trim().Length == 0);
                if (!blank && (f.Length <= k || !double.TryParse(f[k], NumberStyles.Float, inv, out v[k])))
                {
                    throw new DataException($"{path}:{n}: '{line}' is not a row of iteration,loss,lr,val_rmse; the log was " +
                        $"edited or is not a run's log.csv");
                }

                v[k] = blank ? double.NaN : v[k];
            }

            rows.Add(v);
        }

        return new TrainingLog(rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray(),
            rows.Select(r => r[2]).ToArray(), rows.Select(r => r[3]).ToArray());
    }

    /// <summary>The iterations where the learning rate jumps up: the restarts of a cosine schedule.</summary>
    public IReadOnlyList<double> Restarts() =>
        Enumerable.Range(1, Math.Max(0,
            Iteration.Length - 1)).Where(i => LearningRate[i] > (LearningRate[i - 1] * 1.05) + 1e-12).Select(i => Iteration[i]).ToArray();

    /// <summary>The loss smoothed by a bias-corrected exponential moving average spanning about a tenth of the run
    /// (1 to 500 iterations).</summary>
    public double[] SmoothedLoss()
    {
        var span = Math.Clamp(Loss.Length / 10.0, 1, 500);
        var alpha = 2 / (span + 1);
        var smoothed = new double[Loss.Length];
        double s = 0, weight = 0;
        for (var i = 0; i < Loss.Length; i++)
        {
            s = ((1 - alpha) * s) + (alpha * Loss[i]);
            weight = ((1 - alpha) * weight) + alpha;
            smoothed[i] = s / weight;
        }

        return smoothed;
    }
}

/// <summary>The training curve.</summary>
public static partial class Figure
{
    private const float CurveWidth = 620;
    private const float CurveLeft = 64;
    private const float CurveRight = 64;

    /// <summary>
    /// The training curve from a run's <c>log.csv</c>: the training L1 loss smoothed (raw values faint behind it), the
    /// validation RMSE on a second axis, the learning rate in a small panel below, and the schedule's restarts
    /// marked by dashed lines.
    /// </summary>
    /// <returns>False when the log holds no rows (nothing is written).</returns>
    /// <exception cref="DataException">The log is malformed.</exception>
    public static bool TrainingCurve(string path, string logCsv, CurveScale scale = CurveScale.Auto, string title = "Training")
    {
        var log = TrainingLog.Read(logCsv);
        if (log.Iteration.Length == 0)
        {
            return false;
        }

        var smoothed = log.SmoothedLoss();
        var logScale = UsesLogScale(log, scale);
        var (x0, x1) = (log.Iteration.Min(), Math.Max(log.Iteration.Max(), log.Iteration.Min() + 1));
        var restarts = log.Restarts();

        using var top = FigureStyle.NewPlot();
        var (rawX, rawY) = Envelope(log.Iteration, log.Loss, 2000);
        var raw = top.Add.ScatterLine(rawX, Transform(rawY, logScale), FigureStyle.Blue.WithAlpha(0.25));
        raw.LineWidth = 1;
        raw.LegendText = "training L1, per iteration";
        var line = top.Add.ScatterLine(log.Iteration, Transform(smoothed, logScale), FigureStyle.Blue);
        line.LineWidth = 2;
        line.LegendText = "training L1, smoothed";
        var validated = Enumerable.Range(0,
            log.Iteration.Length).Where(i => double.IsFinite(log.ValRmse[i]) && log.ValRmse[i] > 0).ToArray();
        var rightLimits = (0.0, 1.0);
        if (validated.Length > 0)
        {
            var vy = Transform(validated.Select(i => log.ValRmse[i]).ToArray(), logScale);
            var val = top.Add.ScatterLine(validated.Select(i => log.Iteration[i]).ToArray(), vy, FigureStyle.Red);
            val.LineWidth = 1.5f;
            val.MarkerSize = 6;
            val.MarkerShape = MarkerShape.FilledCircle;
            val.LegendText = "validation RMSE (K)";
            val.Axes.YAxis = top.Axes.Right;
            rightLimits = Padded(vy, logScale);
        }

        MarkRestarts(top, restarts, legend: true);
        var leftLimits = Padded(Transform(log.Loss.Concat(smoothed).ToArray(), logScale), logScale);
        top.Axes.SetLimitsY(leftLimits.Item1, leftLimits.Item2, top.Axes.Left);
        top.Axes.SetLimitsY(rightLimits.Item1, rightLimits.Item2, top.Axes.Right);
        top.Axes.SetLimitsX(x0, x1);
        top.Axes.Left.Label.Text = "training L1 loss" + (logScale ? " (log scale)" : "");
        top.Axes.Right.Label.Text = logScale ? "validation RMSE (K, log scale)" : "validation RMSE (K)";
        FigureStyle.Style(top.Axes.Right, FigureStyle.Red);
        FigureStyle.Colour(top.Axes.Left, FigureStyle.Blue);
        top.Axes.Left.TickGenerator = logScale
            ? LogTicks(leftLimits) : new ScottPlot.TickGenerators.NumericAutomatic { TargetTickCount = 6 };
        top.Axes.Right.TickGenerator = logScale
            ? LogTicks(rightLimits) : new ScottPlot.TickGenerators.NumericAutomatic { TargetTickCount = 6 };

        top.Axes.Bottom.TickLabelStyle.IsVisible = false;
        top.Legend.IsVisible = true;
        top.Legend.Alignment = Alignment.UpperRight;
        top.Layout.Fixed(new PixelPadding(CurveLeft, CurveRight, 6, 6));

        using var bottom = FigureStyle.NewPlot();
        var lr = bottom.Add.ScatterLine(log.Iteration, log.LearningRate, FigureStyle.Ink);
        lr.LineWidth = 1.5f;
        MarkRestarts(bottom, restarts, legend: false);
        var lrMax = Math.Max(log.LearningRate.Max(), 1e-12);
        bottom.Axes.SetLimits(x0, x1, 0, lrMax * 1.1);
        bottom.Axes.Left.Label.Text = "learning rate";
        bottom.Axes.Bottom.Label.Text = "iteration";
        bottom.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v == 0 ? "0" : v.ToString("0.#e0", CultureInfo.InvariantCulture),
            TargetTickCount = 3,
        };
        bottom.Layout.Fixed(new PixelPadding(CurveLeft, CurveRight, 40, 6));

        using var canvas = new FigureCanvas(CurveWidth, TitleBand + 250 + 110 + 6);
        var subtitle = restarts.Count > 0 ? $"  ·  {restarts.Count} restart{(restarts.Count == 1 ? "" : "s")} (dashed)" : "";
        canvas.Text(title + subtitle, Margin, 20, FigureStyle.TitleSize, bold: true);
        canvas.Plot(top, 0, TitleBand, CurveWidth, 250);
        canvas.Plot(bottom, 0, TitleBand + 250, CurveWidth, 110);
        canvas.Save(path);
        return true;
    }

    /// <summary>Whether a curve is drawn on a log scale: asked for, or <see cref="CurveScale.Auto"/> and the smoothed
    /// loss spans more than a factor of 10.</summary>
    internal static bool UsesLogScale(TrainingLog log, CurveScale scale)
    {
        var positive = log.SmoothedLoss().Where(v => v > 0).DefaultIfEmpty(1).ToArray();
        return scale == CurveScale.Log || (scale == CurveScale.Auto && positive.Max() / positive.Min() > 10);
    }

    private static void MarkRestarts(Plot plot, IReadOnlyList<double> restarts, bool legend)
    {
        foreach (var (x, i) in restarts.Select((x, i) => (x, i)))
        {
            var v = plot.Add.VerticalLine(x, 1, FigureStyle.Ink.WithAlpha(0.45), LinePattern.Dashed);
            v.LegendText = legend && i == 0 ? "restart" : "";
        }
    }

    /// <summary>Per bucket of iterations, the minimum and the maximum, in order: drawn as one line, the raw values'
    /// envelope; the values themselves when they are few.</summary>
    private static (double[] X, double[] Y) Envelope(double[] x, double[] y, int buckets)
    {
        if (x.Length <= buckets)
        {
            return (x, y);
        }

        var (xs, ys) = (new List<double>(), new List<double>());
        for (var b = 0; b < buckets; b++)
        {
            var (from, to) = ((int)((long)b * x.Length / buckets), (int)((long)(b + 1) * x.Length / buckets));
            var part = y[from..to];
            xs.Add(x[from]);
            ys.Add(part.Min());
            xs.Add(x[to - 1]);
            ys.Add(part.Max());
        }

        return (xs.ToArray(), ys.ToArray());
    }

    private static double[] Transform(double[] values, bool logScale) =>
        logScale ? values.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray() : values;

    private static (double, double) Padded(double[] values, bool logScale)
    {
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var (lo, hi) = (finite.Min(), finite.Max());
        var pad = Math.Max((hi - lo) * 0.06, logScale ? 0.05 : Math.Max(1e-6, Math.Abs(hi) * 0.05));
        return (logScale || lo < 0 ? lo - pad : Math.Max(0, lo - pad), hi + pad);
    }

    /// <summary>1, 2 or 5 times a power of ten, the nearest above <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        return new[] { 1.0, 2, 5, 10 }.Select(m => m * power).First(s => s >= rough * 0.999);
    }

    /// <summary>Ticks of a log10 axis: 1, 2 and 5 times powers of ten labelled (all of 1-9 where fewer than three
    /// fall in the range), the others as minor ticks; over less than a decade, evenly spaced round values.</summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks((double Lo, double Hi) range)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var candidates = new List<(double Position, int Digit, double Value)>();
        for (var e = (int)Math.Floor(range.Lo) - 1; e <= (int)Math.Ceiling(range.Hi); e++)
        {
            for (var d = 1; d <= 9; d++)
            {
                var value = d * Math.Pow(10, e);
                var position = Math.Log10(value);
                if (position >= range.Lo && position <= range.Hi)
                {
                    candidates.Add((position, d, value));
                }
            }
        }

        var labelled = candidates.Count(c => c.Digit is 1 or 2 or 5) >= 3 ? new[] { 1, 2, 5 } : Enumerable.Range(1, 9).ToArray();
        if (candidates.Count(c => labelled.Contains(c.Digit)) >= 3)
        {
            foreach (var c in candidates)
            {
                if (labelled.Contains(c.Digit))
                {
                    ticks.AddMajor(c.Position, c.Value.ToString("G3", CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(c.Position);
                }
            }

            return ticks;
        }

        var (lo, hi) = (Math.Pow(10, range.Lo), Math.Pow(10, range.Hi));
        var step = NiceStep((hi - lo) / 4);
        for (var k = Math.Ceiling(lo / step); k * step <= hi; k++)
        {
            ticks.AddMajor(Math.Log10(k * step), (k * step).ToString("G4", CultureInfo.InvariantCulture));
        }

        return ticks;
    }
}
