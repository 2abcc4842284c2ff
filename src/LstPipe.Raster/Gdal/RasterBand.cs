using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>One band of an open <see cref="RasterDataset"/>; reads and writes windows as float32.</summary>
public sealed unsafe class RasterBand
{
    private readonly RasterDataset _dataset;
    private readonly nint _handle;

    internal RasterBand(RasterDataset dataset, nint handle, int index)
    {
        _dataset = dataset;
        _handle = handle;
        Index = index;
        DataType = (RasterDataType)GDALGetRasterDataType(handle);
        var nd = GDALGetRasterNoDataValue(handle, out var hasNoData);
        NoData = hasNoData != 0 ? nd : null;
        GDALGetBlockSize(handle, out var bx, out var by);
        BlockWidth = bx;
        BlockHeight = by;
        Description = GdalRuntime.Utf8(GDALGetDescription(handle)) ?? string.Empty;
        Unit = GdalRuntime.Utf8(GDALGetRasterUnitType(handle)) ?? string.Empty;
        var scale = GDALGetRasterScale(handle, out var hasScale);
        var offset = GDALGetRasterOffset(handle, out var hasOffset);
        Scale = hasScale != 0 ? scale : null;
        Offset = hasOffset != 0 ? offset : null;
    }

    /// <summary>1-based band index.</summary>
    public int Index { get; }

    /// <summary>Stored pixel type.</summary>
    public RasterDataType DataType { get; }

    /// <summary>The stored type's GDAL name (<c>UInt16</c>, <c>Float32</c>, ...).</summary>
    public string DataTypeName => GdalRuntime.Utf8(GDALGetDataTypeName((int)DataType)) ?? DataType.ToString();

    /// <summary>The nodata value, or null when the band declares none.</summary>
    public double? NoData { get; }

    /// <summary>Band description (GrokLST channel name in a scene's guidance raster).</summary>
    public string Description { get; }

    /// <summary>The band's declared unit (GDAL's unit type: <c>K</c>, <c>m</c>, ...), empty when it declares none.</summary>
    public string Unit { get; }

    /// <summary>Declared scale of stored values, if any (not applied by the readers).</summary>
    public double? Scale { get; }

    /// <summary>Declared offset of stored values, if any (not applied by the readers).</summary>
    public double? Offset { get; }

    /// <summary>Natural block width.</summary>
    public int BlockWidth { get; }

    /// <summary>Natural block height.</summary>
    public int BlockHeight { get; }

    /// <summary>The raster this band belongs to.</summary>
    public RasterDataset Dataset => _dataset;

    /// <summary>Reads a window as float32 into <paramref name="values"/> (row-major, window width per row).</summary>
    public void Read(PixelWindow window, Span<float> values)
    {
        CheckWindow(window, values.Length);
        fixed (float* p = values)
        {
            Transfer(GF_Read, window, p, "failed to read");
        }
    }

    /// <summary>Reads a window and marks each pixel valid (1) or nodata (0): a pixel is nodata when it equals the
    /// band's nodata value or is NaN.</summary>
    public void Read(PixelWindow window, Span<float> values, Span<byte> valid)
    {
        Read(window, values);
        if (valid.Length < window.Area)
        {
            throw new ArgumentException("the mask buffer is smaller than the window", nameof(valid));
        }

        ValidityMask.Compute(values[..(int)window.Area], NoData, valid);
    }

    /// <summary>Writes a window of float32 values (converted to the band's type by GDAL).</summary>
    public void Write(PixelWindow window, ReadOnlySpan<float> values)
    {
        CheckWindow(window, values.Length);
        fixed (float* p = _dataset.SouthUp ? values[..(int)window.Area].ToArray() : values)
        {
            Transfer(GF_Write, window, p, "failed to write");
        }
    }

    internal void SetNoData(double value)
    {
        GdalRuntime.ResetError();
        if (GDALSetRasterNoDataValue(_handle, value) != CE_None)
        {
            throw GdalRuntime.Failure(_dataset.Path, "cannot set the nodata value");
        }
    }

    internal void SetDescription(string description) => GDALSetDescription(_handle, description);

    internal void SetUnit(string unit) => GDALSetRasterUnitType(_handle, unit);

    /// <summary>Moves a window between the file and the buffer; on a south-up raster the file's rows under the window
    /// are moved and the buffer's rows reversed after a read (before a write, in the copy <see cref="Write"/> makes),
    /// so the buffer's first row is the window's northernmost.</summary>
    private void Transfer(int direction, PixelWindow window, float* buffer, string what)
    {
        var stored = _dataset.Stored(window);
        var flip = _dataset.SouthUp && window.Height > 1;
        if (flip && direction == GF_Write)
        {
            ReverseRows(buffer, window);
        }

        GdalRuntime.ResetError();
        var err = GDALRasterIO(_handle, direction, stored.X, stored.Y, stored.Width, stored.Height,
            buffer, window.Width, window.Height, (int)RasterDataType.Float32, sizeof(float), sizeof(float) * window.Width);
        if (flip && direction == GF_Read)
        {
            ReverseRows(buffer, window);
        }

        if (err != CE_None)
        {
            throw GdalRuntime.Failure(_dataset.Path, $"{what} band {Index} {window}");
        }
    }

    private static void ReverseRows(float* buffer, PixelWindow window)
    {
        var w = window.Width;
        for (int top = 0, bottom = window.Height - 1; top < bottom; top++, bottom--)
        {
            var a = new Span<float>(buffer + ((long)top * w), w);
            var b = new Span<float>(buffer + ((long)bottom * w), w);
            for (var i = 0; i < w; i++)
            {
                (a[i], b[i]) = (b[i], a[i]);
            }
        }
    }

    private void CheckWindow(PixelWindow window, int bufferLength)
    {
        if (!_dataset.Extent.Contains(window))
        {
            throw new UsageException(
                $"{_dataset.Path}: window {window} lies outside the raster ({_dataset.Width} x {_dataset.Height} px)");
        }

        if (bufferLength < window.Area)
        {
            throw new ArgumentException($"buffer of {bufferLength} values is smaller than window {window}");
        }
    }
}

/// <summary>Turns values and a nodata value into a validity mask.</summary>
public static class ValidityMask
{
    /// <summary>Sets <paramref name="valid"/>[i] to 1 where values[i] is neither NaN nor <paramref name="noData"/>.</summary>
    public static int Compute(ReadOnlySpan<float> values, double? noData, Span<byte> valid)
    {
        var count = 0;
        var nd = noData is { } d ? (float)d : float.NaN;
        var checkNoData = noData is { } x && !double.IsNaN(x);
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var ok = !float.IsNaN(v) && !(checkNoData && v == nd);
            valid[i] = ok ? (byte)1 : (byte)0;
            count += ok ? 1 : 0;
        }

        return count;
    }

    /// <summary>Replaces every value equal to <paramref name="noData"/> by NaN, so NaN is the only nodata left.</summary>
    public static void ToNaN(Span<float> values, double? noData)
    {
        if (noData is not { } d || double.IsNaN(d))
        {
            return;
        }

        var nd = (float)d;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] == nd)
            {
                values[i] = float.NaN;
            }
        }
    }

    /// <summary>Counts valid pixels without storing a mask.</summary>
    public static int Count(ReadOnlySpan<float> values, double? noData)
    {
        var nd = noData is { } d ? (float)d : float.NaN;
        var checkNoData = noData is { } x && !double.IsNaN(x);
        var count = 0;
        foreach (var v in values)
        {
            if (!float.IsNaN(v) && !(checkNoData && v == nd))
            {
                count++;
            }
        }

        return count;
    }
}
