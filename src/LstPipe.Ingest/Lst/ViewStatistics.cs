using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Lst;

/// <summary>
/// When the kept LST pixels were seen: the mean of their local solar view time (MODIS <c>Day_view_time</c>, hours) and
/// the UTC it means at each pixel (local solar time minus longitude / 15 h), over the pixels kept in the scene.
/// </summary>
public sealed class ViewStatistics
{
    private readonly RasterGrid _grid;
    private readonly Crs _crs;
    private readonly Crs _wgs84 = Crs.FromEpsg(4326);
    private double _sumLocal;
    private double _sumUtc;
    private long _count;

    /// <summary>Statistics over pixels of <paramref name="grid"/>.</summary>
    public ViewStatistics(RasterGrid grid)
    {
        _grid = grid;
        _crs = Crs.FromWkt(grid.CrsWkt);
    }

    /// <summary>Pixels counted.</summary>
    public long Count => _count;

    /// <summary>Mean local solar view time, hours; NaN when no pixel was counted.</summary>
    public double MeanLocalHours => _count == 0 ? double.NaN : _sumLocal / _count;

    /// <summary>Mean UTC of the views, hours of the granule's day (below 0 or above 24 when the day's views cross UTC
    /// midnight); NaN when no pixel was counted.</summary>
    public double MeanUtcHours => _count == 0 ? double.NaN : _sumUtc / _count;

    /// <summary>Adds the pixels of a strip whose LST is kept (finite) and whose view time is known.</summary>
    /// <param name="strip">The strip's window on the grid.</param>
    /// <param name="lst">The strip's LST (NaN: not kept).</param>
    /// <param name="localHours">The strip's local solar view time in hours (NaN: unknown).</param>
    public void Add(PixelWindow strip, ReadOnlySpan<float> lst, ReadOnlySpan<float> localHours)
    {
        var t = _grid.Transform;
        var x = new double[strip.Width];
        var y = new double[strip.Width];
        for (var r = 0; r < strip.Height; r++)
        {
            var row = strip.Y + r;
            var any = false;
            for (var c = 0; c < strip.Width; c++)
            {
                var i = (r * strip.Width) + c;
                any |= float.IsFinite(lst[i]) && float.IsFinite(localHours[i]);
                (x[c], y[c]) = t.PixelToMap(strip.X + c + 0.5, row + 0.5);
            }

            if (!any)
            {
                continue;
            }

            if (!_crs.IsGeographic)
            {
                _crs.TransformPoints(_wgs84, x, y);
            }

            for (var c = 0; c < strip.Width; c++)
            {
                var i = (r * strip.Width) + c;
                if (float.IsFinite(lst[i]) && float.IsFinite(localHours[i]) && double.IsFinite(x[c]))
                {
                    _sumLocal += localHours[i];
                    _sumUtc += localHours[i] - (x[c] / 15);
                    _count++;
                }
            }
        }
    }
}
