namespace LstPipe.Core.Units;

/// <summary>A raster grid: CRS, geotransform and size. Two rasters on the same grid are pixel-aligned.</summary>
/// <param name="CrsWkt">The CRS as WKT (empty when unknown).</param>
/// <param name="Transform">The geotransform.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public sealed record RasterGrid(string CrsWkt, GeoTransform Transform, int Width, int Height)
{
    /// <summary>The map rectangle the grid covers.</summary>
    public MapBounds Bounds => Transform.BoundsOf(Extent);

    /// <summary>The whole grid as a window.</summary>
    public PixelWindow Extent => PixelWindow.Whole(Width, Height);

    /// <summary>The grid covering the same ground with pixels <paramref name="scale"/> times larger; the size must divide.</summary>
    public RasterGrid Coarsen(ScaleFactor scale)
    {
        if (Width % scale.Value != 0 || Height % scale.Value != 0)
        {
            throw new ArgumentException($"a {Width} x {Height} grid is not divisible by scale {scale}", nameof(scale));
        }

        return new RasterGrid(CrsWkt, Transform.Coarsen(scale), Width / scale.Value, Height / scale.Value);
    }

    /// <summary>The grid of pixels <paramref name="scale"/> times larger from the same origin that covers this one:
    /// a size that does not divide is rounded up, the last row and column reaching past the edge.</summary>
    public RasterGrid CoarsenCovering(ScaleFactor scale) =>
        new(CrsWkt, Transform.Coarsen(scale), (Width + scale.Value - 1) / scale.Value, (Height + scale.Value - 1) / scale.Value);

    /// <summary>The sub-grid of a window.</summary>
    public RasterGrid Window(PixelWindow window) =>
        new(CrsWkt, Transform.Offset(window.X, window.Y), window.Width, window.Height);

    /// <summary>Whether both grids have the same size and geotransform (within 1e-9 of a pixel) and CRS text.</summary>
    public bool IsAlignedWith(RasterGrid other)
    {
        if (Width != other.Width || Height != other.Height || CrsWkt != other.CrsWkt)
        {
            return false;
        }

        var a = Transform.ToArray();
        var b = other.Transform.ToArray();
        var tol = 1e-9 * Math.Max(Math.Abs(Transform.PixelWidth), Math.Abs(Transform.PixelHeight));
        return a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= Math.Max(tol, 1e-9 * Math.Abs(p.First)));
    }
}
