namespace LstPipe.Training.Figures;

/// <summary>An RGB raster to draw figures on: filled rectangles, lines, colour-mapped arrays and 5x7 text.</summary>
public sealed class Canvas
{
    private static readonly Dictionary<char, int[]> Glyphs = new()
    {
        ['0'] = [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        ['1'] = [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        ['2'] = [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        ['3'] = [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        ['4'] = [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        ['5'] = [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        ['6'] = [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        ['7'] = [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        ['8'] = [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        ['9'] = [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ['.'] = [0, 0, 0, 0, 0, 0x0C, 0x0C],
        ['-'] = [0, 0, 0, 0x1F, 0, 0, 0],
        ['+'] = [0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0],
        [':'] = [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0],
        ['('] = [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
        [')'] = [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        ['/'] = [0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10],
        [' '] = [0, 0, 0, 0, 0, 0, 0],
        ['A'] = [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        ['B'] = [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        ['C'] = [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        ['D'] = [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        ['E'] = [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        ['F'] = [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        ['G'] = [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        ['H'] = [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        ['I'] = [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        ['K'] = [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        ['L'] = [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        ['M'] = [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        ['N'] = [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        ['O'] = [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        ['P'] = [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        ['R'] = [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        ['S'] = [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        ['T'] = [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        ['U'] = [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        ['V'] = [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        ['W'] = [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        ['X'] = [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        ['Y'] = [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
        ['Z'] = [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
    };

    /// <summary>Creates a white canvas.</summary>
    public Canvas(int width, int height)
    {
        (Width, Height) = (width, height);
        Pixels = new byte[width * height * 3];
        Array.Fill(Pixels, (byte)255);
    }

    /// <summary>Width.</summary>
    public int Width { get; }

    /// <summary>Height.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes.</summary>
    public byte[] Pixels { get; }

    /// <summary>Sets one pixel (ignored outside the canvas).</summary>
    public void Set(int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x < Width && (uint)y < Height)
        {
            var i = (y * Width + x) * 3;
            (Pixels[i], Pixels[i + 1], Pixels[i + 2]) = c;
        }
    }

    /// <summary>Fills a rectangle.</summary>
    public void Fill(int x, int y, int w, int h, (byte, byte, byte) c)
    {
        for (var r = y; r < y + h; r++)
        {
            for (var q = x; q < x + w; q++)
            {
                Set(q, r, c);
            }
        }
    }

    /// <summary>A straight line (Bresenham).</summary>
    public void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) c)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        while (true)
        {
            Set(x0, y0, c);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            var e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Text in a 5x7 font (digits, upper-case letters, <c>. - + : ( ) /</c>), scaled by <paramref name="size"/>.</summary>
    public void Text(int x, int y, string text, int size = 1, (byte, byte, byte)? colour = null)
    {
        var c = colour ?? ((byte)0, (byte)0, (byte)0);
        foreach (var ch in text.ToUpperInvariant())
        {
            if (Glyphs.TryGetValue(ch, out var rows))
            {
                for (var r = 0; r < 7; r++)
                {
                    for (var b = 0; b < 5; b++)
                    {
                        if ((rows[r] >> (4 - b) & 1) != 0)
                        {
                            Fill(x + b * size, y + r * size, size, size, c);
                        }
                    }
                }
            }

            x += 6 * size;
        }
    }

    /// <summary>Draws an array (row-major, <paramref name="h"/> x <paramref name="w"/>) colour-mapped between lo and
    /// hi, each value a zoom x zoom block; NaN is grey.</summary>
    public void Image(int x, int y, ReadOnlySpan<float> values, int h, int w, int zoom, double lo, double hi, Func<double,
        (byte, byte, byte)> map)
    {
        for (var r = 0; r < h; r++)
        {
            for (var q = 0; q < w; q++)
            {
                var v = values[r * w + q];
                var c = float.IsNaN(v) ? ((byte)160, (byte)160, (byte)160) : map(hi > lo ? Math.Clamp((v - lo) / (hi - lo), 0, 1) : 0.5);
                Fill(x + q * zoom, y + r * zoom, zoom, zoom, c);
            }
        }
    }
}

/// <summary>Colour maps from [0, 1].</summary>
public static class ColourMaps
{
    private static readonly (double, double, double)[] Hot = [(0, 0, 4), (87, 16, 110), (188, 55, 84), (249, 142, 9), (252, 255, 164)];
    private static readonly (double, double, double)[] Diverging = [(33, 102, 172), (247, 247, 247), (178, 24, 43)];

    /// <summary>A perceptual dark-to-bright map (inferno-like) for temperatures.</summary>
    public static (byte, byte, byte) Temperature(double t) => Lerp(Hot, t);

    /// <summary>Blue-white-red for signed errors (0.5 is zero).</summary>
    public static (byte, byte, byte) Error(double t) => Lerp(Diverging, t);

    private static (byte, byte, byte) Lerp((double R, double G, double B)[] anchors, double t)
    {
        var p = Math.Clamp(t, 0, 1) * (anchors.Length - 1);
        var i = Math.Min((int)p, anchors.Length - 2);
        var f = p - i;
        var (a, b) = (anchors[i], anchors[i + 1]);
        return ((byte)(a.R + (b.R - a.R) * f), (byte)(a.G + (b.G - a.G) * f), (byte)(a.B + (b.B - a.B) * f));
    }
}
