using ScottPlot;

namespace LstPipe.Figures;

/// <summary>How the values of an image panel are coloured.</summary>
public enum Palette
{
    /// <summary>Inferno, dark to bright: temperatures.</summary>
    Temperature,

    /// <summary>Blue-white-red on a range symmetric about zero: signed errors.</summary>
    Error,

    /// <summary>Viridis: any other quantity.</summary>
    Sequential,
}

/// <summary>One image panel of a figure: an array over the panel's ground, NaN for nodata. Consecutive panels with the
/// same <paramref name="Scale"/> share one colour scale and one colour bar, drawn after the last of them.</summary>
/// <param name="Title">Shown above the panel.</param>
/// <param name="Values">Row-major, <paramref name="Height"/> x <paramref name="Width"/>, row 0 at the top.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="Scale">The colour bar's label with its unit (<c>LST (K)</c>).</param>
/// <param name="Palette">The colour map.</param>
public sealed record MapPanel(string Title, float[] Values, int Width, int Height, string Scale, Palette Palette = Palette.Temperature);

/// <summary>The PNG figures of <c>lstpipe test</c>, <c>predict</c> and <c>report</c>, drawn with ScottPlot in the
/// house style (<see cref="FigureStyle"/>): image panels with colour bars, the training curve, histograms.</summary>
public static partial class Figure
{
    private const float Margin = 14;
    private const float Gap = 8;
    private const float BarRoom = 64;
    private const float BarLabelOffset = 24;
    private const float TitleBand = 30;
    private const float PanelTitleBand = 20;
    private const float BarOverhang = 8;

    /// <summary>Four panels of one tile: the LR input, the prediction and the truth on one temperature scale, and the
    /// error (prediction - truth) on a symmetric blue-white-red scale, each scale with its colour bar in K.</summary>
    /// <param name="path">The PNG written.</param>
    /// <param name="title">The figure's title (the tile, the scale, the RMSE).</param>
    /// <param name="lr">LR input, <paramref name="lrSize"/> square.</param>
    /// <param name="lrSize">LR tile edge.</param>
    /// <param name="sr">Prediction, <paramref name="hrSize"/> square.</param>
    /// <param name="hr">Truth, <paramref name="hrSize"/> square.</param>
    /// <param name="hrSize">HR tile edge.</param>
    /// <param name="lrLabel">The LR input's resolution (<c>120 m</c>), or empty.</param>
    /// <param name="hrLabel">The truth's resolution (<c>30 m</c>), or empty.</param>
    public static void TilePanel(string path, string title, float[] lr, int lrSize, float[] sr, float[] hr, int hrSize,
        string lrLabel = "", string hrLabel = "")
    {
        static string At(string name, string label) => label.Length == 0 ? name : $"{name}, {label}";
        var error = sr.Zip(hr, (p, t) => p - t).ToArray();
        Panels(path, title,
        [
            new MapPanel(At("LR input", lrLabel), lr, lrSize, lrSize, "LST (K)"),
            new MapPanel(At("Prediction", hrLabel), sr, hrSize, hrSize, "LST (K)"),
            new MapPanel(At("Truth", hrLabel), hr, hrSize, hrSize, "LST (K)"),
            new MapPanel("Prediction − truth", error, hrSize, hrSize, "Error (K)", Palette.Error),
        ]);
    }

    /// <summary>Image panels side by side under a title, each panel <paramref name="panelWidth"/> points wide (its
    /// height follows the first panel's aspect), with a colour bar after each run of panels that share a scale.
    /// Colour scales span the 0.5th to the 99.5th percentile of their panels' values (symmetric about zero for
    /// <see cref="Palette.Error"/>); nodata is light grey.</summary>
    /// <exception cref="ArgumentException">No panels, or a panel whose values do not match its size.</exception>
    public static void Panels(string path, string title, IReadOnlyList<MapPanel> panels, float panelWidth = 190)
    {
        if (panels.Count == 0 || panels.Any(p => p.Values.Length != p.Width * p.Height || p.Width == 0))
        {
            throw new ArgumentException($"{path}: every panel needs Width x Height values");
        }

        var panelHeight = panelWidth * panels[0].Height / panels[0].Width;
        var lastOfScale = panels.Select((p, i) => i == panels.Count - 1 || panels[i + 1].Scale != p.Scale).ToArray();
        var ranges = panels.Select(p => p.Scale).Distinct().ToDictionary(s => s,
            s => ColourRange(panels.Where(p => p.Scale == s).ToArray()));
        var width = Margin + panels.Select((_, i) => panelWidth + (lastOfScale[i] ? BarRoom + Margin : Gap)).Sum();
        width = Math.Max(width, FigureCanvas.Measure(title, FigureStyle.TitleSize, bold: true) + (2 * Margin));
        using var canvas = new FigureCanvas(width, TitleBand + PanelTitleBand + panelHeight + Margin);
        canvas.Text(title, Margin, 20, FigureStyle.TitleSize, bold: true);
        var x = Margin;
        for (var i = 0; i < panels.Count; i++)
        {
            var p = panels[i];
            using var plot = ImagePlot(p, ranges[p.Scale], lastOfScale[i]);
            var room = lastOfScale[i] ? BarRoom : 0;
            canvas.Plot(plot, x, TitleBand + PanelTitleBand - BarOverhang, panelWidth + room, panelHeight + (2 * BarOverhang));
            canvas.Text(p.Title, x + (panelWidth / 2), TitleBand + 12, FigureStyle.LabelSize, align: SkiaSharp.SKTextAlign.Center);
            if (lastOfScale[i])
            {
                canvas.Text(p.Scale, x + panelWidth + BarLabelOffset, TitleBand + 12, FigureStyle.LabelSize,
                    align: SkiaSharp.SKTextAlign.Center);
            }

            x += panelWidth + (lastOfScale[i] ? BarRoom + Margin : Gap);
        }

        canvas.Save(path);
    }

    /// <summary>Scene-sized panels side by side: temperatures on one shared scale and error panels on a symmetric
    /// blue-white-red scale, each with a colour bar in K (the quicklook of <c>lstpipe predict</c>).</summary>
    public static void ScenePanels(string path, string title, int width, int height, IReadOnlyList<(string Name, float[] Values,
        bool Error)> panels)
    {
        var map = panels.Select(p => p.Error
            ? new MapPanel(p.Name, p.Values, width, height, "Error (K)", Palette.Error)
            : new MapPanel(p.Name, p.Values, width, height, "LST (K)")).ToList();
        var panelWidth = (float)Math.Clamp(220.0 * Math.Max(width, height) / width, 150, 260);
        Panels(path, title, map, panelWidth * width / Math.Max(width, height));
    }

    private static Plot ImagePlot(MapPanel p, ScottPlot.Range range, bool colourBar)
    {
        var plot = FigureStyle.NewPlot();
        var cells = new double[p.Height, p.Width];
        for (var r = 0; r < p.Height; r++)
        {
            for (var c = 0; c < p.Width; c++)
            {
                cells[r, c] = p.Values[(r * p.Width) + c];
            }
        }

        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = p.Palette switch
        {
            Palette.Error => new ScottPlot.Colormaps.Balance(),
            Palette.Sequential => new ScottPlot.Colormaps.Viridis(),
            _ => new ScottPlot.Colormaps.Inferno(),
        };
        heatmap.ManualRange = range;
        heatmap.NaNCellColor = FigureStyle.NoData;
        heatmap.Extent = new CoordinateRect(0, 1, 0, 1);
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.HideGrid();
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
        }

        plot.Axes.Frame(true);
        plot.Layout.Fixed(new PixelPadding(0, colourBar ? BarRoom : 0, BarOverhang, BarOverhang));
        if (colourBar)
        {
            var bar = plot.Add.ColorBar(heatmap);
            bar.Width = 10;
            bar.Axis.TickLabelStyle.FontSize = FigureStyle.TickSize;
            FigureStyle.Colour(bar.Axis, FigureStyle.Ink);
        }

        return plot;
    }

    /// <summary>The colour range of panels sharing a scale: the 0.5th to 99.5th percentile of their valid values.</summary>
    private static ScottPlot.Range ColourRange(IReadOnlyList<MapPanel> panels)
    {
        var valid = panels.SelectMany(p => Sample(p.Values)).Where(float.IsFinite).Select(v => (double)v).ToArray();
        if (valid.Length == 0)
        {
            return new ScottPlot.Range(-1, 1);
        }

        Array.Sort(valid);
        double Quantile(double q) => valid[(int)Math.Round(q * (valid.Length - 1))];
        var (lo, hi) = (Quantile(0.005), Quantile(0.995));
        if (panels[0].Palette == Palette.Error)
        {
            var e = Math.Max(1e-3, Math.Max(Math.Abs(lo), Math.Abs(hi)));
            return new ScottPlot.Range(-e, e);
        }

        return hi - lo < 1e-6 ? new ScottPlot.Range(lo - 0.5, hi + 0.5) : new ScottPlot.Range(lo, hi);
    }

    /// <summary>At most about 250,000 values of an array, evenly strided, for percentiles.</summary>
    private static IEnumerable<float> Sample(float[] values)
    {
        var stride = Math.Max(1, values.Length / 250_000);
        for (var i = 0; i < values.Length; i += stride)
        {
            yield return values[i];
        }
    }
}
