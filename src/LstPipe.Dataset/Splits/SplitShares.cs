using System.Globalization;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Splits;

/// <summary>How far a split is from the ratio asked for: the shares of train, val and test among the tiles it kept,
/// and, for a spatial split more than <see cref="Tolerance"/> off, the <c>--block</c>/<c>--buffer</c> that comes
/// closest.</summary>
internal static class SplitShares
{
    /// <summary>Largest difference between an asked and an achieved share that passes without a warning.</summary>
    public const double Tolerance = 0.10;

    /// <summary>The asked shares of train, val and test.</summary>
    public static double[] Requested(SplitRatio r)
    {
        var total = r.Train + r.Val + r.Test;
        return [r.Train / total, r.Val / total, r.Test / total];
    }

    /// <summary>The shares of train, val and test among the tiles an assignment kept (dropped tiles left out).</summary>
    public static double[] Achieved(int[] assignment)
    {
        var counts = new double[3];
        foreach (var a in assignment.Where(a => a >= 0))
        {
            counts[a]++;
        }

        var kept = counts.Sum();
        return kept == 0 ? [0, 0, 0] : counts.Select(c => c / kept).ToArray();
    }

    /// <summary>The largest difference between two sets of shares.</summary>
    public static double Distance(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    /// <summary>The warning for shares more than <see cref="Tolerance"/> off, naming the <c>--block</c> and
    /// <c>--buffer</c> (tried from 1 to twice the block used, buffers 0 to 2) whose shares come nearest the ratio with
    /// every part non-empty; null when the shares are close enough.</summary>
    public static string? Warning(IReadOnlyList<TileRecord> tiles, SplitOptions o, int reach, int[] assignment, int? block)
    {
        var asked = Requested(o.Ratio);
        var got = Achieved(assignment);
        if (Distance(asked, got) <= Tolerance)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        string Shares(double[] s) => string.Create(inv, $"train {100 * s[0]:0}%, val {100 * s[1]:0}%, test {100 * s[2]:0}%");
        var off = string.Create(inv, $"the split is {Shares(got)} of the kept tiles, asked {Shares(asked)}: over " +
            $"{100 * Tolerance:0} points off");
        if (o.Strategy != SplitStrategy.Spatial)
        {
            return off + "; too few tiles for this ratio";
        }

        var best = Candidates(block ?? 1)
            .Select(c => (c.Block, c.Buffer, Assigned: SplitProcessor.AssignSpatial(tiles, o with { Buffer = c.Buffer }, reach, c.Block)))
            .Where(c => SplitProcessor.EmptyParts(c.Assigned, o.Ratio).Length == 0)
            .Select(c => (c.Block, c.Buffer, Shares: Achieved(c.Assigned), Dropped: c.Assigned.Count(a => a < 0)))
            .OrderBy(c => Distance(asked, c.Shares)).ThenBy(c => c.Dropped).ThenByDescending(c => c.Block).First();
        return Distance(asked, best.Shares) < Distance(asked, got) - 1e-9
            ? off + string.Create(inv, $"; --block {best.Block} --buffer {best.Buffer} comes closest without leakage " +
                $"({Shares(best.Shares)})")
            : off + "; no --block or --buffer comes closer on this dataset (crop a larger area for a closer split)";
    }

    private static IEnumerable<(int Block, int Buffer)> Candidates(int used)
    {
        for (var b = 1; b <= Math.Max(8, 2 * used); b++)
        {
            for (var buffer = 0; buffer <= 2; buffer++)
            {
                yield return (b, buffer);
            }
        }
    }
}
