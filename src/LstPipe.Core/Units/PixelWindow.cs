using System.Globalization;

namespace LstPipe.Core.Units;

/// <summary>A rectangle of whole pixels in a raster: column <see cref="X"/>, row <see cref="Y"/> of its
/// top-left pixel, and its size. Rows grow downwards, as in GDAL.</summary>
public readonly record struct PixelWindow
{
    /// <summary>Creates a window; offsets must be non-negative and sizes positive.</summary>
    public PixelWindow(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"window offset ({x}, {y}) must not be negative");
        }

        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"window size {width} x {height} must be positive");
        }

        X = x;
        Y = y;
        Width = width;
        Height = height;
    }

    /// <summary>Column of the first pixel.</summary>
    public int X { get; }

    /// <summary>Row of the first pixel.</summary>
    public int Y { get; }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>One past the last column.</summary>
    public int Right => X + Width;

    /// <summary>One past the last row.</summary>
    public int Bottom => Y + Height;

    /// <summary>Number of pixels.</summary>
    public long Area => (long)Width * Height;

    /// <summary>The whole of a raster of the given size.</summary>
    public static PixelWindow Whole(int width, int height) => new(0, 0, width, height);

    /// <summary>Whether <paramref name="other"/> lies entirely inside this window.</summary>
    public bool Contains(PixelWindow other) =>
        other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    /// <summary>Whether the two windows share at least one pixel.</summary>
    public bool Overlaps(PixelWindow other) =>
        X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;

    /// <summary>The shared pixels of two windows, or <c>null</c> when they do not overlap.</summary>
    public PixelWindow? Intersect(PixelWindow other)
    {
        if (!Overlaps(other))
        {
            return null;
        }

        var x = Math.Max(X, other.X);
        var y = Math.Max(Y, other.Y);
        return new PixelWindow(x, y, Math.Min(Right, other.Right) - x, Math.Min(Bottom, other.Bottom) - y);
    }

    /// <summary>The same ground on a grid <paramref name="scale"/> times coarser; offsets and sizes must divide.</summary>
    public PixelWindow Coarsen(ScaleFactor scale)
    {
        var s = scale.Value;
        if (X % s != 0 || Y % s != 0 || Width % s != 0 || Height % s != 0)
        {
            throw new ArgumentException($"window {this} is not aligned to scale {scale}", nameof(scale));
        }

        return new PixelWindow(X / s, Y / s, Width / s, Height / s);
    }

    /// <summary>Splits the window into full-width strips of at most <paramref name="rows"/> rows.</summary>
    public IEnumerable<PixelWindow> Strips(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        for (var y = Y; y < Bottom; y += rows)
        {
            yield return new PixelWindow(X, y, Width, Math.Min(rows, Bottom - y));
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[x {X}, y {Y}, {Width} x {Height}]");
}
