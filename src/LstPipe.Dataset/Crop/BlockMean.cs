namespace LstPipe.Dataset.Crop;

/// <summary>s x s block averaging, the operator that makes the 60/120/240 m levels from the 30 m grid.
/// NaN marks invalid pixels; a coarse pixel is the mean of its valid fine pixels, or NaN when fewer than
/// <c>minValidFraction</c> of them are valid.</summary>
public static class BlockMean
{
    /// <summary>Reduces a row-major <paramref name="size"/> x <paramref name="size"/> square by <paramref name="scale"/>;
    /// with <paramref name="allValid"/> the caller vouches that <paramref name="fine"/> holds no NaN.</summary>
    public static void Reduce(ReadOnlySpan<float> fine, int size, int scale, Span<float> coarse, double minValidFraction,
        bool allValid = false)
    {
        if (size % scale != 0)
        {
            throw new ArgumentException($"size {size} is not divisible by scale {scale}");
        }

        var cs = size / scale;
        if (scale == 1)
        {
            fine[..(size * size)].CopyTo(coarse);
            return;
        }

        if (allValid)
        {
            ReduceValid(fine, size, scale, coarse);
            return;
        }

        var needed = Math.Max(1, (int)Math.Ceiling(minValidFraction * scale * scale - 1e-9));
        Span<double> sums = cs <= 1024 ? stackalloc double[cs] : new double[cs];
        Span<int> counts = cs <= 1024 ? stackalloc int[cs] : new int[cs];
        for (var r = 0; r < cs; r++)
        {
            sums.Clear();
            counts.Clear();
            for (var i = 0; i < scale; i++)
            {
                var row = fine.Slice((r * scale + i) * size, size);
                for (var c = 0; c < cs; c++)
                {
                    var block = row.Slice(c * scale, scale);
                    double sum = 0;
                    var n = 0;
                    foreach (var v in block)
                    {
                        if (!float.IsNaN(v))
                        {
                            sum += v;
                            n++;
                        }
                    }

                    sums[c] += sum;
                    counts[c] += n;
                }
            }

            var output = coarse.Slice(r * cs, cs);
            for (var c = 0; c < cs; c++)
            {
                output[c] = counts[c] >= needed ? (float)(sums[c] / counts[c]) : float.NaN;
            }
        }
    }

    private static void ReduceValid(ReadOnlySpan<float> fine, int size, int scale, Span<float> coarse)
    {
        var cs = size / scale;
        var area = (double)scale * scale;
        Span<double> sums = cs <= 1024 ? stackalloc double[cs] : new double[cs];
        for (var r = 0; r < cs; r++)
        {
            sums.Clear();
            for (var i = 0; i < scale; i++)
            {
                var row = fine.Slice((r * scale + i) * size, size);
                var k = 0;
                for (var c = 0; c < cs; c++)
                {
                    double sum = 0;
                    for (var j = 0; j < scale; j++)
                    {
                        sum += row[k++];
                    }

                    sums[c] += sum;
                }
            }

            var output = coarse.Slice(r * cs, cs);
            for (var c = 0; c < cs; c++)
            {
                output[c] = (float)(sums[c] / area);
            }
        }
    }

    /// <summary>Reduces a row-major <paramref name="width"/> x <paramref name="height"/> rectangle (both multiples of
    /// <paramref name="scale"/>) by <paramref name="scale"/>, with the same nodata rule as <see cref="Reduce"/>.</summary>
    public static void ReduceRectangle(ReadOnlySpan<float> fine, int width, int height, int scale, Span<float> coarse,
        double minValidFraction)
    {
        var cw = width / scale;
        var needed = Math.Max(1, (int)Math.Ceiling(minValidFraction * scale * scale - 1e-9));
        var sums = new double[cw];
        var counts = new int[cw];
        for (var r = 0; r < height / scale; r++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < scale; i++)
            {
                var row = fine.Slice((r * scale + i) * width, width);
                for (var c = 0; c < cw; c++)
                {
                    foreach (var v in row.Slice(c * scale, scale))
                    {
                        if (!float.IsNaN(v))
                        {
                            sums[c] += v;
                            counts[c]++;
                        }
                    }
                }
            }

            var output = coarse.Slice(r * cw, cw);
            for (var c = 0; c < cw; c++)
            {
                output[c] = counts[c] >= needed ? (float)(sums[c] / counts[c]) : float.NaN;
            }
        }
    }
}
