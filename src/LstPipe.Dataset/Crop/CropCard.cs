using System.Globalization;
using LstPipe.Core;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Crop;

/// <summary>What a crop records about itself: the card, each scene's kept coverage and nodata hints.</summary>
internal static class CropCard
{
    /// <summary>Percentage of the scene inside some kept tile: the union of their squares, counted on cells of
    /// gcd(size, step) pixels, which tile edges never cut.</summary>
    public static double KeptCoverage(IReadOnlyList<TileRecord> tiles, TileGrid grid)
    {
        var cell = (int)System.Numerics.BigInteger.GreatestCommonDivisor(grid.Size.Value, grid.Step.Value);
        var (w, h) = ((grid.SceneWidth + cell - 1) / cell, (grid.SceneHeight + cell - 1) / cell);
        var covered = new bool[w * h];
        foreach (var t in tiles)
        {
            for (var r = t.Y / cell; r < Math.Min(h, (t.Y + t.Size) / cell); r++)
            {
                Array.Fill(covered, true, (r * w) + (t.X / cell), Math.Min(w - (t.X / cell), t.Size / cell));
            }
        }

        return 100.0 * covered.Count(c => c) * cell * cell / ((double)grid.SceneWidth * grid.SceneHeight);
    }

    /// <summary>A hint when nodata cost a scene a tenth or more of its tile positions: the <c>--max-nodata</c> (in steps
    /// of 0.05) that keeps at least half of them, and how many it keeps.</summary>
    public static string? NoDataHint(string scene, int positions, IReadOnlyList<double> skipped, double maxNoData)
    {
        if (skipped.Count == 0 || skipped.Count < 0.1 * positions)
        {
            return null;
        }

        var sorted = skipped.Order().ToArray();
        var threshold = Math.Min(0.95, Math.Ceiling((sorted[(sorted.Length - 1) / 2] - 1e-9) * 20) / 20);
        var keeps = sorted.Count(v => v <= threshold + 1e-12);
        return keeps == 0 || threshold <= maxNoData ? null : string.Create(CultureInfo.InvariantCulture,
            $"scene {scene}: {skipped.Count} of {positions} tile positions were skipped for nodata (--max-nodata " +
                $"{maxNoData:0.##}); --max-nodata {threshold:0.##} would keep {keeps} of them (nodata stays NaN and is left out " +
                    $"of training and metrics)");
    }

    /// <summary>The card of a crop: its options, the scenes' statistics summed, and every command that built it.</summary>
    public static DatasetCard Build(CropOptions o, RunPlan plan, int tileCount, IReadOnlyList<CardScene> scenes,
        IReadOnlyList<string> commands, DatasetCard? previous)
    {
        double? resampledFrom = (plan.TruthResampledFrom, previous?.TruthResampledFrom) switch
        {
            ({ } a, { } b) => Math.Max(a, b),
            (var a, var b) => a ?? b,
        };
        var statistics = DatasetCard.StatisticsOf(scenes, plan.Labels, plan.Channels);
        return new DatasetCard
        {
            TileCount = tileCount,
            TileSize = o.TileSize,
            Step = o.Step.Value,
            Overlap = o.Overlap,
            BaseResolutionMetres = plan.BaseGsd.Size.Value,
            TruthResampledFrom = resampledFrom,
            TruthCoarsenedFrom = plan.TruthCoarsenedFrom,
            MaxNoData = o.MaxNoData,
            CoarseMinValidFraction = o.CoarseMinValidFraction,
            Scales = o.Scales.Select((s, i) => new CardScale(plan.Labels[i], s.Value, o.TileSize / s.Value,
                plan.BaseGsd.Coarsen(s).Size.Value)).ToArray(),
            Lst = new CardLst(DatasetLayout.LstVariable, "K"),
            Guidance = plan.Channels,
            Mat = new CardMat("5", o.Compress ? "zlib" : "none", o.Compress ? o.CompressionLevel : null),
            Statistics = statistics,
            Scenes = scenes,
            Provenance = new CardProvenance(ToolInfo.Name, ToolInfo.Version, commands),
        };
    }
}
