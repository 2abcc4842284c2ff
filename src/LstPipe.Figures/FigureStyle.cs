using ScottPlot;
using SkiaSharp;

namespace LstPipe.Figures;

/// <summary>The look of every plot: white, DejaVu Sans, dark axes, faint major grid, no minor grid, and colour-blind
/// safe colours (Paul Tol's bright scheme, as <see cref="SplitColours"/>).</summary>
internal static class FigureStyle
{
    /// <summary>Tick labels, in points.</summary>
    public const float TickSize = 9;

    /// <summary>Axis labels and panel titles, in points.</summary>
    public const float LabelSize = 10;

    /// <summary>Figure titles, in points.</summary>
    public const float TitleSize = 12;

    /// <summary>Blue (Tol).</summary>
    public static readonly Color Blue = Color.FromHex("#4477AA");

    /// <summary>Red (Tol).</summary>
    public static readonly Color Red = Color.FromHex("#EE6677");

    /// <summary>Axes, ticks and text.</summary>
    public static readonly Color Ink = Color.FromHex("#222222");

    /// <summary>Nodata pixels in image panels.</summary>
    public static readonly Color NoData = Color.FromHex("#D9D9D9");

    /// <summary>A new plot in the house style.</summary>
    public static Plot NewPlot()
    {
        FigureFont.Ensure();
        var plot = new Plot();
        plot.Font.Set(FigureFont.Family);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Axes.Color(Ink);
        plot.Grid.MajorLineColor = Color.FromHex("#E6E6E6");
        plot.Grid.MinorLineWidth = 0;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickLabelStyle.FontSize = TickSize;
            axis.Label.FontSize = LabelSize;
            axis.Label.Bold = false;
            axis.MajorTickStyle.Length = 4;
            axis.MinorTickStyle.Length = 2;
        }

        plot.Legend.FontSize = TickSize;
        plot.Legend.OutlineColor = Color.FromHex("#CCCCCC");
        plot.Legend.ShadowColor = Colors.Transparent;
        return plot;
    }

    /// <summary>Styles an axis added after <see cref="NewPlot"/> (a right axis).</summary>
    public static void Style(IAxis axis, Color colour)
    {
        Colour(axis, colour);
        axis.TickLabelStyle.FontSize = TickSize;
        axis.Label.FontSize = LabelSize;
        axis.Label.Bold = false;
        axis.MajorTickStyle.Length = 4;
        axis.MinorTickStyle.Length = 2;
    }

    /// <summary>Colours an axis: its line, ticks, tick labels and label.</summary>
    public static void Colour(IAxis axis, Color colour)
    {
        axis.FrameLineStyle.Color = colour;
        axis.MajorTickStyle.Color = colour;
        axis.MinorTickStyle.Color = colour;
        axis.TickLabelStyle.ForeColor = colour;
        axis.Label.ForeColor = colour;
    }

    /// <summary>A ScottPlot colour as a SkiaSharp one.</summary>
    public static SKColor Sk(Color c) => new(c.R, c.G, c.B, c.A);
}
