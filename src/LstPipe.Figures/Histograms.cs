using ScottPlot;

namespace LstPipe.Figures;

/// <summary>The histograms of one channel: one series of bin counts per split over the same bins.</summary>
/// <param name="Name">Channel name (<c>lst</c>, <c>dem</c>, ...).</param>
/// <param name="Unit">Its unit (<c>K</c>, <c>m</c>, <c>1</c>).</param>
/// <param name="Lo">Lower edge of the first bin.</param>
/// <param name="Hi">Upper edge of the last bin.</param>
/// <param name="Series">Per split, in drawing order: its name and its counts (one per bin).</param>
public sealed record ChannelHistogram(string Name, string Unit, double Lo, double Hi, IReadOnlyList<(string Split,
    double[] Counts)> Series);

/// <summary>Histograms.</summary>
public static partial class Figure
{
    private const float SmallWidth = 230;
    private const float SmallHeight = 140;
    private const int SmallColumns = 4;

    /// <summary>Small multiples, one per channel, four to a row: each split's distribution as a step line of density
    /// (its counts divided by its total, so splits of different sizes compare), in the split's colour
    /// (<see cref="SplitColours"/>), with a shared legend under the title.</summary>
    /// <param name="path">The PNG written.</param>
    /// <param name="title">The figure's title.</param>
    /// <param name="channels">The channels, in order.</param>
    /// <param name="legend">The legend's entries: split name and the text shown for it.</param>
    public static void Histograms(string path, string title, IReadOnlyList<ChannelHistogram> channels,
        IReadOnlyList<(string Split, string Text)> legend)
    {
        var rows = (channels.Count + SmallColumns - 1) / SmallColumns;
        const float legendBand = 22;
        using var canvas = new FigureCanvas((2 * Margin) + (SmallColumns * SmallWidth),
            TitleBand + legendBand + (rows * SmallHeight) + Margin);
        canvas.Text(title, Margin, 20, FigureStyle.TitleSize, bold: true);
        var x = Margin;
        foreach (var (split, text) in legend)
        {
            canvas.Line(x, TitleBand + 8, x + 18, TitleBand + 8, FigureStyle.Sk(SplitColours.Of(split)), 2.5f);
            canvas.Text(text, x + 24, TitleBand + 12, FigureStyle.TickSize);
            x += 24 + FigureCanvas.Measure(text, FigureStyle.TickSize) + 18;
        }

        for (var i = 0; i < channels.Count; i++)
        {
            using var plot = HistogramPlot(channels[i]);
            canvas.Plot(plot, Margin + (i % SmallColumns * SmallWidth),
                TitleBand + legendBand + (i / SmallColumns * SmallHeight), SmallWidth, SmallHeight);
        }

        canvas.Save(path);
    }

    private static Plot HistogramPlot(ChannelHistogram c)
    {
        var plot = FigureStyle.NewPlot();
        var bins = c.Series.Select(s => s.Counts.Length).DefaultIfEmpty(1).Max();
        var width = (c.Hi - c.Lo) / bins;
        var top = 0.0;
        foreach (var (split, counts) in c.Series)
        {
            var total = counts.Sum();
            if (total <= 0)
            {
                continue;
            }

            var xs = new List<double> { c.Lo };
            var ys = new List<double> { 0 };
            for (var b = 0; b < counts.Length; b++)
            {
                var density = counts[b] / total / width;
                xs.AddRange([c.Lo + (b * width), c.Lo + ((b + 1) * width)]);
                ys.AddRange([density, density]);
                top = Math.Max(top, density);
            }

            xs.Add(c.Hi);
            ys.Add(0);
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), SplitColours.Of(split));
            line.LineWidth = 1.5f;
        }

        plot.Axes.SetLimits(c.Lo, c.Hi, 0, Math.Max(top, 1e-12) * 1.08);
        plot.Title(c.Unit is "1" or "" ? c.Name : $"{c.Name} ({c.Unit})", FigureStyle.LabelSize);
        plot.Axes.Title.Label.Bold = false;
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Left.MinorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TargetTickCount = 4 };
        plot.Axes.Right.IsVisible = false;
        plot.Axes.Top.IsVisible = false;
        plot.Layout.Fixed(new PixelPadding(10, 10, 26, 24));
        return plot;
    }
}

/// <summary>The colour of each split, the same in the map, the histograms and the legends (Paul Tol's bright scheme,
/// safe for colour-blind readers): train blue, val yellow, test red; tiles dropped as the spatial split's buffer grey,
/// tiles in no split (none made yet) light grey.</summary>
public static class SplitColours
{
    /// <summary>The split names in drawing order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["train", "val", "test", "dropped", "unassigned"];

    /// <summary>The colour of a split as <c>#RRGGBB</c>.</summary>
    public static string Hex(string split) => split switch
    {
        "train" => "#4477AA",
        "val" => "#CCBB44",
        "test" => "#EE6677",
        "dropped" => "#BBBBBB",
        "all" => "#222222",
        _ => "#E4E4E4",
    };

    /// <summary>The colour of a split for ScottPlot.</summary>
    public static Color Of(string split) => Color.FromHex(Hex(split));
}
