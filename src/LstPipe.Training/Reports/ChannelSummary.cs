using LstPipe.Dataset;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Tiles;
using LstPipe.Figures;

namespace LstPipe.Training.Reports;

/// <summary>Per channel and split, the distribution of values at the truth scale: histograms over the card's range of
/// the channel and moments, from up to <c>perSplit</c> tiles of each split, evenly spread through it.</summary>
/// <param name="Histograms">One per channel (LST first), a series per split.</param>
/// <param name="Moments">Per channel (same order) and split, the moments of the valid values.</param>
/// <param name="Sampled">Per split, the tiles read and the tiles it has.</param>
internal sealed record ChannelSummary(IReadOnlyList<ChannelHistogram> Histograms, IReadOnlyList<IReadOnlyDictionary<string,
    BandMoments>> Moments,
    IReadOnlyList<(string Split, int Read, int Tiles)> Sampled)
{
    private const int Bins = 40;

    /// <summary>The splits summarized: train, val and test where the dataset is split (the buffer's dropped tiles are
    /// in no split and left out), else <c>all</c>.</summary>
    public static IReadOnlyList<(string Split, IReadOnlyList<int> Tiles)> Groups(TileSplits splits) => splits.HasSplit
        ? TileSplits.Parts.Select(p => (p, splits.Of(p))).Where(g => g.Item2.Count > 0).ToArray()
        : [("all", Enumerable.Range(0, splits.Labels.Count).ToArray())];

    /// <summary>Up to <paramref name="count"/> of a split's tiles, evenly spread through it.</summary>
    public static IReadOnlyList<int> Spread(IReadOnlyList<int> tiles, int count)
    {
        var n = Math.Min(count, tiles.Count);
        return Enumerable.Range(0, n).Select(i => tiles[(int)((long)i * tiles.Count / n)]).ToArray();
    }

    /// <summary>Reads the tiles and computes the summary.</summary>
    public static ChannelSummary Compute(string dataset, DatasetCard card, TileSplits splits, int perSplit)
    {
        var label = card.Scales[0].Label;
        var names = new[] { "lst" }.Concat(card.Guidance.Select(g => g.Name)).ToArray();
        var units = new[] { card.Lst.Unit }.Concat(card.Guidance.Select(g => g.Unit)).ToArray();
        var ranges = names.Select(n => card.StatisticsOf(label, n)).Select(s => (Lo: s.Min,
            Hi: s.Max > s.Min ? s.Max : s.Min + 1)).ToArray();
        var groups = Groups(splits);
        var counts = groups.ToDictionary(g => g.Split, _ => names.Select(_ => new double[Bins]).ToArray());
        var moments = names.Select(_ => groups.ToDictionary(g => g.Split, _ => new BandMoments())).ToArray();
        var sampled = new List<(string, int, int)>();
        using var source = Directory.Exists(Path.Combine(dataset, label,
            DatasetLayout.LstFolder)) ? TileSource.OpenMat(dataset) : TileSource.OpenParquet(dataset);
        foreach (var (split, tiles) in groups)
        {
            var chosen = Spread(tiles, perSplit);
            sampled.Add((split, chosen.Count, tiles.Count));
            foreach (var index in chosen)
            {
                var t = source.Read(index, label);
                var bands = new[] { t.Lst }.Concat(t.Guidance).ToArray();
                for (var c = 0; c < names.Length; c++)
                {
                    moments[c][split].Add(bands[c]);
                    Count(bands[c], ranges[c], counts[split][c]);
                }
            }
        }

        var histograms = names.Select((n, c) => new ChannelHistogram(n, units[c], ranges[c].Lo, ranges[c].Hi,
            groups.Select(g => (g.Split, counts[g.Split][c])).ToArray())).ToArray();
        return new ChannelSummary(histograms, moments, sampled);
    }

    private static void Count(float[] values, (double Lo, double Hi) range, double[] bins)
    {
        var scale = bins.Length / (range.Hi - range.Lo);
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                bins[Math.Clamp((int)((v - range.Lo) * scale), 0, bins.Length - 1)]++;
            }
        }
    }
}
