using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Figures.Tests;

/// <summary>A PNG read back through GDAL (an independent reader of what SkiaSharp drew and GDAL's PNG driver wrote):
/// its driver, size and RGB pixels.</summary>
internal sealed class PngImage
{
    private readonly float[][] _bands;

    private PngImage(string driver, int width, int height, int bandCount, float[][] bands) =>
        (Driver, Width, Height, BandCount, _bands) = (driver, width, height, bandCount, bands);

    public string Driver { get; }

    public int Width { get; }

    public int Height { get; }

    public int BandCount { get; }

    public static PngImage Read(string path)
    {
        using var png = RasterDataset.Open(path);
        var bands = png.Bands.Take(3).Select(b =>
        {
            var values = new float[png.Width * png.Height];
            b.Read(PixelWindow.Whole(png.Width, png.Height), values);
            return values;
        }).ToArray();
        return new PngImage(png.Driver, png.Width, png.Height, png.BandCount, bands);
    }

    public (int R, int G, int B) this[int x, int y] =>
        ((int)_bands[0][(y * Width) + x], (int)_bands[1][(y * Width) + x], (int)_bands[2][(y * Width) + x]);

    /// <summary>Whether a pixel is within <paramref name="tolerance"/> of a colour in every channel.</summary>
    public bool Near(int x, int y, (int R, int G, int B) c, int tolerance)
    {
        var p = this[x, y];
        return Math.Abs(p.R - c.R) <= tolerance && Math.Abs(p.G - c.G) <= tolerance && Math.Abs(p.B - c.B) <= tolerance;
    }

    /// <summary>Columns holding a vertical colour gradient that runs from <paramref name="bottom"/> up to
    /// <paramref name="top"/>: a pixel near the top colour above one near the bottom colour (a colour bar, or an image
    /// whose upper rows hold the high values).</summary>
    public IReadOnlyList<int> ColumnsRisingFromTo((int R, int G, int B) bottom, (int R, int G, int B) top, int tolerance = 40)
    {
        var columns = new List<int>();
        for (var x = 0; x < Width; x++)
        {
            var highest = Enumerable.Range(0, Height).Where(y => Near(x, y, top, tolerance)).DefaultIfEmpty(-1).Min();
            var lowest = Enumerable.Range(0, Height).Where(y => Near(x, y, bottom, tolerance)).DefaultIfEmpty(-1).Max();
            if (highest >= 0 && lowest > highest)
            {
                columns.Add(x);
            }
        }

        return columns;
    }
}
