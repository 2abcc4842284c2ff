namespace LstPipe.Raster.Gdal;

/// <summary>Exact statistics of the valid pixels of a band, computed by streaming strips of rows.</summary>
/// <param name="ValidCount">Pixels that are neither nodata nor NaN.</param>
/// <param name="TotalCount">All pixels.</param>
/// <param name="Min">Smallest valid value (NaN when none).</param>
/// <param name="Max">Largest valid value (NaN when none).</param>
/// <param name="Mean">Mean of valid values (NaN when none).</param>
/// <param name="StdDev">Population standard deviation of valid values (NaN when none).</param>
public sealed record BandStatistics(long ValidCount, long TotalCount, double Min, double Max, double Mean, double StdDev)
{
    /// <summary>Fraction of pixels that are valid.</summary>
    public double ValidFraction => TotalCount == 0 ? 0 : (double)ValidCount / TotalCount;

    /// <summary>Computes the statistics of a whole band; memory holds one strip of rows at a time.</summary>
    public static BandStatistics Compute(RasterBand band)
    {
        var ds = band.Dataset;
        var rows = Math.Max(1, Math.Min(ds.Height, Math.Max(band.BlockHeight, (1 << 22) / Math.Max(1, ds.Width))));
        var values = new float[rows * ds.Width];
        var acc = new Accumulator();
        var nd = band.NoData;
        foreach (var strip in ds.Extent.Strips(rows))
        {
            var span = values.AsSpan(0, (int)strip.Area);
            band.Read(strip, span);
            acc.Add(span, nd);
        }

        return acc.ToStatistics();
    }

    /// <summary>Accumulates statistics over spans of values (Welford-free: sums in double, exact enough for float32 input).</summary>
    public sealed class Accumulator
    {
        private long _valid;
        private long _total;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;
        private double _sum;
        private double _sumSq;

        /// <summary>Adds values; NaN and <paramref name="noData"/> are counted as invalid.</summary>
        public void Add(ReadOnlySpan<float> values, double? noData)
        {
            var nd = noData is { } d ? (float)d : float.NaN;
            var checkNoData = noData is { } x && !double.IsNaN(x);
            double sum = 0, sumSq = 0;
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            long valid = 0;
            foreach (var v in values)
            {
                if (float.IsNaN(v) || (checkNoData && v == nd))
                {
                    continue;
                }

                valid++;
                sum += v;
                sumSq += (double)v * v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            _total += values.Length;
            _valid += valid;
            _sum += sum;
            _sumSq += sumSq;
            if (valid > 0)
            {
                _min = Math.Min(_min, min);
                _max = Math.Max(_max, max);
            }
        }

        /// <summary>The statistics of everything added so far.</summary>
        public BandStatistics ToStatistics()
        {
            if (_valid == 0)
            {
                return new BandStatistics(0, _total, double.NaN, double.NaN, double.NaN, double.NaN);
            }

            var mean = _sum / _valid;
            var variance = Math.Max(0, _sumSq / _valid - mean * mean);
            return new BandStatistics(_valid, _total, _min, _max, mean, Math.Sqrt(variance));
        }
    }
}
