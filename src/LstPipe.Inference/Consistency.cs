using LstPipe.Core.Errors;

namespace LstPipe.Inference;

/// <summary>How a downscaled LST is made consistent with the coarse LST it came from.</summary>
public enum ConsistencyMode
{
    /// <summary>The network's output as it is.</summary>
    None,

    /// <summary>Each s x s block gets the difference between the coarse pixel and the block's mean added: block means
    /// then equal the coarse LST exactly.</summary>
    Additive,

    /// <summary>The same in radiance (T^4, Stefan-Boltzmann): each block's T^4 gets the difference between the coarse
    /// pixel's T^4 and the block's mean T^4 added, so the block emits what the coarse pixel did (the residual correction
    /// of Gao et al. 2012, as pyDMS applies it, without smoothing the residual). Block means of T then match the coarse
    /// LST to about 1.5 s^2 / T (s the spread of T within the block): about 1 mK for a 0.5 K spread at 290 K.</summary>
    Radiance,
}

/// <summary>
/// The energy-conservation residual correction of a downscaled LST and its consistency error: the RMSE, over coarse
/// pixels with a valid value and at least one valid fine pixel, between the arithmetic mean of each s x s block of the
/// fine LST and the coarse LST. Arrays are row-major Kelvin with NaN for nodata; the fine array is s times the coarse
/// one in both directions.
/// </summary>
public static class Consistency
{
    /// <summary>Parses <c>none</c>, <c>additive</c> or <c>radiance</c>.</summary>
    /// <exception cref="UsageException">Another word.</exception>
    public static ConsistencyMode Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" => ConsistencyMode.None,
        "additive" => ConsistencyMode.Additive,
        "radiance" => ConsistencyMode.Radiance,
        _ => throw new UsageException($"--consistency {text}: use none, additive or radiance"),
    };

    /// <summary>Corrects <paramref name="fine"/> in place so that each block agrees with its coarse pixel.</summary>
    /// <param name="fine">Fine LST, <paramref name="width"/> wide, NaN where invalid.</param>
    /// <param name="width">Fine width (a multiple of <paramref name="scale"/>).</param>
    /// <param name="coarse">Coarse LST, width / scale wide, NaN where invalid.</param>
    /// <param name="scale">Block edge in fine pixels.</param>
    /// <param name="mode">The correction.</param>
    public static void Apply(Span<float> fine, int width, ReadOnlySpan<float> coarse, int scale, ConsistencyMode mode)
    {
        if (mode == ConsistencyMode.None)
        {
            return;
        }

        var cw = width / scale;
        var ch = fine.Length / width / scale;
        for (var by = 0; by < ch; by++)
        {
            for (var bx = 0; bx < cw; bx++)
            {
                var target = coarse[by * cw + bx];
                if (float.IsNaN(target))
                {
                    continue;
                }

                var (sum, n) = BlockSum(fine, width, scale, bx, by, mode == ConsistencyMode.Radiance);
                if (n == 0)
                {
                    continue;
                }

                var residual = (mode == ConsistencyMode.Radiance ? Math.Pow(target, 4) : target) - (sum / n);
                for (var r = by * scale; r < (by + 1) * scale; r++)
                {
                    var row = fine.Slice(r * width + bx * scale, scale);
                    for (var c = 0; c < scale; c++)
                    {
                        if (!float.IsNaN(row[c]))
                        {
                            row[c] = mode == ConsistencyMode.Radiance
                                ? (float)Math.Pow(Math.Max(0, Math.Pow(row[c], 4) + residual), 0.25)
                                : (float)(row[c] + residual);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The squared differences between block means and coarse pixels, summed, and how many blocks counted.</summary>
    public static (double SquaredSum, long Blocks) Residuals(ReadOnlySpan<float> fine, int width, ReadOnlySpan<float> coarse, int scale)
    {
        var cw = width / scale;
        var ch = fine.Length / width / scale;
        double squares = 0;
        long blocks = 0;
        for (var by = 0; by < ch; by++)
        {
            for (var bx = 0; bx < cw; bx++)
            {
                var target = coarse[by * cw + bx];
                if (float.IsNaN(target))
                {
                    continue;
                }

                var (sum, n) = BlockSum(fine, width, scale, bx, by, radiance: false);
                if (n > 0)
                {
                    var d = (sum / n) - target;
                    squares += d * d;
                    blocks++;
                }
            }
        }

        return (squares, blocks);
    }

    /// <summary>The sum of the valid values of one block (of T, or of T^4 for <paramref name="radiance"/>) and their count.</summary>
    private static (double Sum, int Count) BlockSum(ReadOnlySpan<float> fine, int width, int scale, int bx, int by, bool radiance)
    {
        double sum = 0;
        var n = 0;
        for (var r = by * scale; r < (by + 1) * scale; r++)
        {
            foreach (var v in fine.Slice((r * width) + (bx * scale), scale))
            {
                if (!float.IsNaN(v))
                {
                    sum += radiance ? Math.Pow(v, 4) : v;
                    n++;
                }
            }
        }

        return (sum, n);
    }

    /// <summary>The consistency error (K) of a fine LST against its coarse LST; NaN when no block counts.</summary>
    public static double Error(ReadOnlySpan<float> fine, int width, ReadOnlySpan<float> coarse, int scale)
    {
        var (squares, blocks) = Residuals(fine, width, coarse, scale);
        return blocks == 0 ? double.NaN : Math.Sqrt(squares / blocks);
    }
}
