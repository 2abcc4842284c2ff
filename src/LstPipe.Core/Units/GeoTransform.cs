using System.Globalization;

namespace LstPipe.Core.Units;

/// <summary>GDAL's affine geotransform: map X = <see cref="OriginX"/> + col * <see cref="PixelWidth"/> + row *
/// <see cref="RowRotation"/>, map Y = <see cref="OriginY"/> + col * <see cref="ColumnRotation"/> + row *
/// <see cref="PixelHeight"/> (negative for north-up rasters).</summary>
public readonly record struct GeoTransform(
    double OriginX, double PixelWidth, double RowRotation, double OriginY, double ColumnRotation, double PixelHeight)
{
    /// <summary>Builds a north-up transform from its upper-left corner and square pixel size.</summary>
    public static GeoTransform NorthUp(double originX, double originY, double pixelSize) =>
        new(originX, pixelSize, 0, originY, 0, -pixelSize);

    /// <summary>Reads GDAL's six-value array.</summary>
    public static GeoTransform FromArray(ReadOnlySpan<double> gt)
    {
        if (gt.Length != 6)
        {
            throw new ArgumentException("a geotransform has six values", nameof(gt));
        }

        return new GeoTransform(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);
    }

    /// <summary>GDAL's six-value array.</summary>
    public double[] ToArray() => [OriginX, PixelWidth, RowRotation, OriginY, ColumnRotation, PixelHeight];

    /// <summary>Whether the grid is north-up (no rotation terms, rows run south).</summary>
    public bool IsNorthUp => RowRotation == 0 && ColumnRotation == 0 && PixelWidth > 0 && PixelHeight < 0;

    /// <summary>Whether the grid is south-up: no rotation terms, columns run east, rows run north (positive
    /// <see cref="PixelHeight"/>), as rasters converted from NetCDF often are.</summary>
    public bool IsSouthUp => RowRotation == 0 && ColumnRotation == 0 && PixelWidth > 0 && PixelHeight > 0;

    /// <summary>The same grid with its rows in the opposite order: a south-up transform becomes the north-up one of the
    /// same <paramref name="rows"/> rows (and the other way round).</summary>
    public GeoTransform FlipRows(int rows) => this with
    {
        OriginX = OriginX + rows * RowRotation,
        RowRotation = -RowRotation,
        OriginY = OriginY + rows * PixelHeight,
        PixelHeight = -PixelHeight,
    };

    /// <summary>Map coordinates of a pixel corner (fractional positions allowed).</summary>
    public (double X, double Y) PixelToMap(double col, double row) =>
        (OriginX + col * PixelWidth + row * RowRotation, OriginY + col * ColumnRotation + row * PixelHeight);

    /// <summary>The map rectangle covered by a window of a north-up grid.</summary>
    public MapBounds BoundsOf(PixelWindow window)
    {
        var (x0, y0) = PixelToMap(window.X, window.Y);
        var (x1, y1) = PixelToMap(window.Right, window.Bottom);
        return new MapBounds(Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(x0, x1), Math.Max(y0, y1));
    }

    /// <summary>The transform of the sub-grid that starts at pixel (<paramref name="col"/>, <paramref name="row"/>).</summary>
    public GeoTransform Offset(int col, int row)
    {
        var (x, y) = PixelToMap(col, row);
        return this with { OriginX = x, OriginY = y };
    }

    /// <summary>The transform of the grid over the same ground with pixels <paramref name="scale"/> times larger.</summary>
    public GeoTransform Coarsen(ScaleFactor scale) => this with
    {
        PixelWidth = PixelWidth * scale.Value,
        RowRotation = RowRotation * scale.Value,
        ColumnRotation = ColumnRotation * scale.Value,
        PixelHeight = PixelHeight * scale.Value,
    };

    /// <summary>Whether every term differs from <paramref name="other"/>'s by at most <paramref name="pixelFraction"/>
    /// of <paramref name="other"/>'s pixel width.</summary>
    public bool IsNear(GeoTransform other, double pixelFraction = 1e-6)
    {
        var tolerance = Math.Abs(other.PixelWidth) * pixelFraction;
        return ToArray().Zip(other.ToArray()).All(p => Math.Abs(p.First - p.Second) <= tolerance);
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
