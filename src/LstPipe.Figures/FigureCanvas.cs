using LstPipe.Raster.Gdal;
using ScottPlot;
using SkiaSharp;

namespace LstPipe.Figures;

/// <summary>
/// A white figure laid out in points and drawn at <see cref="PixelsPerPoint"/> pixels per point (sharp on paper and
/// on high-density screens): text in <see cref="FigureFont"/>, ScottPlot plots in rectangles, written as an RGB PNG.
/// </summary>
internal sealed class FigureCanvas : IDisposable
{
    /// <summary>Pixels per layout point: 2, so a 600 pt figure is 1200 px wide (about 200 dpi at print width).</summary>
    public const float PixelsPerPoint = 2;

    private readonly SKSurface _surface;

    /// <summary>Starts a white figure of <paramref name="width"/> x <paramref name="height"/> points.</summary>
    public FigureCanvas(float width, float height)
    {
        FigureFont.Ensure();
        (Width, Height) = ((int)Math.Ceiling(width), (int)Math.Ceiling(height));
        var info = new SKImageInfo((int)(Width * PixelsPerPoint), (int)(Height * PixelsPerPoint), SKColorType.Rgba8888, SKAlphaType.Premul);
        _surface = SKSurface.Create(info) ?? throw new InvalidOperationException($"cannot make a {info.Width} x {info.Height} " +
            $"px drawing surface");
        _surface.Canvas.Clear(SKColors.White);
        _surface.Canvas.Scale(PixelsPerPoint);
    }

    /// <summary>Width in points.</summary>
    public int Width { get; }

    /// <summary>Height in points.</summary>
    public int Height { get; }

    /// <summary>Writes text with its baseline at <paramref name="y"/>.</summary>
    public void Text(string text, float x, float y, float size, bool bold = false, SKTextAlign align = SKTextAlign.Left,
        SKColor? colour = null)
    {
        using var font = new SKFont(bold ? FigureFont.Bold : FigureFont.Regular, size) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var paint = new SKPaint { Color = colour ?? FigureStyle.Sk(FigureStyle.Ink), IsAntialias = true };
        _surface.Canvas.DrawText(text, x, y, align, font, paint);
    }

    /// <summary>The width of a text in points.</summary>
    public static float Measure(string text, float size, bool bold = false)
    {
        using var font = new SKFont(bold ? FigureFont.Bold : FigureFont.Regular, size);
        return font.MeasureText(text);
    }

    /// <summary>Draws a short line (a legend key).</summary>
    public void Line(float x0, float y0, float x1, float y1, SKColor colour, float width)
    {
        using var paint = new SKPaint { Color = colour, StrokeWidth = width, IsAntialias = true, Style = SKPaintStyle.Stroke };
        _surface.Canvas.DrawLine(x0, y0, x1, y1, paint);
    }

    /// <summary>Renders a plot into a rectangle given in points (clipped to it: ScottPlot clears the canvas it draws on).</summary>
    public void Plot(Plot plot, float left, float top, float width, float height)
    {
        var canvas = _surface.Canvas;
        canvas.Save();
        canvas.ClipRect(new SKRect(left, top, left + width, top + height));
        plot.Render(canvas, new PixelRect(left, left + width, top + height, top));
        canvas.Restore();
    }

    /// <summary>Writes the figure as an RGB PNG (atomically).</summary>
    public void Save(string path)
    {
        _surface.Canvas.Flush();
        using var image = _surface.Snapshot();
        var (w, h) = (image.Width, image.Height);
        var rgba = new byte[w * h * 4];
        unsafe
        {
            fixed (byte* p = rgba)
            {
                if (!image.ReadPixels(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul), (IntPtr)p, w * 4, 0, 0))
                {
                    throw new InvalidOperationException($"{path}: cannot read back the rendered figure");
                }
            }
        }

        var rgb = new byte[w * h * 3];
        for (int i = 0, j = 0; i < rgba.Length; i += 4, j += 3)
        {
            (rgb[j], rgb[j + 1], rgb[j + 2]) = (rgba[i], rgba[i + 1], rgba[i + 2]);
        }

        PngWriter.Write(path, w, h, rgb);
    }

    /// <inheritdoc />
    public void Dispose() => _surface.Dispose();
}
