namespace LstPipe.Dataset.Crop;

/// <summary>s x s block averaging, the operator that makes the 60/120/240 m levels from the 30 m grid.
/// NaN marks invalid pixels; a coarse pixel is the mean of its valid fine pixels, or NaN when fewer than
/// <c>minValidFraction</c> of them are valid.</summary>
public static class BlockMean
{
    /// <summary>Reduces a row-major <paramref name="size"/> x <paramref name="size"/> square by <paramref name="scale"/>.</summary>
    public static void Reduce(ReadOnlySpan<float> fine, int size, int scale, Span<float> coarse, double minValidFraction)
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

        var needed = Math.Max(1, (int)Math.Ceiling(minValidFraction * scale * scale - 1e-9));
        for (var r = 0; r < cs; r++)
        {
            for (var c = 0; c < cs; c++)
            {
                double sum = 0;
                var n = 0;
                for (var i = 0; i < scale; i++)
                {
                    var row = fine.Slice((r * scale + i) * size + c * scale, scale);
                    foreach (var v in row)
                    {
                        if (!float.IsNaN(v))
                        {
                            sum += v;
                            n++;
                        }
                    }
                }

                coarse[r * cs + c] = n >= needed ? (float)(sum / n) : float.NaN;
            }
        }
    }
}
