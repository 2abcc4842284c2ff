namespace LstPipe.Ingest.Lst;

/// <summary>
/// How much detail a field holds below a block scale: the RMS of its deviation from the mean of its s x s block,
/// over valid pixels, for s = 2, 4, 8. Strips must start on rows that are multiples of 8 so that blocks align.
/// </summary>
public sealed class DetailStatistics
{
    /// <summary>The block scales measured.</summary>
    public static readonly int[] Scales = [2, 4, 8];

    private readonly double[] _sumSquares = new double[Scales.Length];
    private readonly long[] _counts = new long[Scales.Length];

    /// <summary>Adds a strip of <paramref name="rows"/> rows of <paramref name="width"/> values (NaN invalid).</summary>
    public void Add(ReadOnlySpan<float> field, int width, int rows)
    {
        for (var k = 0; k < Scales.Length; k++)
        {
            var s = Scales[k];
            for (var by = 0; by < rows; by += s)
            {
                var h = Math.Min(s, rows - by);
                for (var bx = 0; bx < width; bx += s)
                {
                    var w = Math.Min(s, width - bx);
                    double sum = 0;
                    var n = 0;
                    for (var y = 0; y < h; y++)
                    {
                        foreach (var v in field.Slice((by + y) * width + bx, w))
                        {
                            if (!float.IsNaN(v))
                            {
                                sum += v;
                                n++;
                            }
                        }
                    }

                    if (n < 2)
                    {
                        continue;
                    }

                    var mean = sum / n;
                    for (var y = 0; y < h; y++)
                    {
                        foreach (var v in field.Slice((by + y) * width + bx, w))
                        {
                            if (!float.IsNaN(v))
                            {
                                _sumSquares[k] += (v - mean) * (v - mean);
                            }
                        }
                    }

                    _counts[k] += n;
                }
            }
        }
    }

    /// <summary>The RMS detail at each of <see cref="Scales"/>, or NaN where no block had two valid pixels.</summary>
    public IReadOnlyList<double> Rms => _sumSquares.Select((s, k) => _counts[k] > 0 ? Math.Sqrt(s / _counts[k]) : double.NaN).ToArray();
}
