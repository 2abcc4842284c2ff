using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset;
using LstPipe.Dataset.Splits;
using LstPipe.Dataset.Tiles;
using LstPipe.Inference;

namespace LstPipe.Training;

/// <summary>Reads split files and tiles, normalizes the guidance, and prefetches on a background thread in a
/// deterministic order: epoch e visits the split shuffled by SplitMix64(seed, e), so iteration t always gets the
/// same tile, and a resumed run continues the same sequence.</summary>
public sealed class TileLoader
{
    private readonly string _dataset;
    private readonly string _format;
    private readonly Normalization _norm;
    private readonly int[]? _channels;

    /// <summary>Creates a loader.</summary>
    /// <param name="dataset">The dataset folder.</param>
    /// <param name="format"><c>mat</c> or <c>parquet</c>.</param>
    /// <param name="norm">The model's normalization.</param>
    /// <param name="channels">For each of the model's channels, the dataset channel that feeds it; null: the dataset's
    /// channels in their order.</param>
    public TileLoader(string dataset, string format, Normalization norm, int[]? channels = null)
    {
        (_dataset, _format, _norm, _channels) = (dataset, format, norm, channels);
    }

    /// <summary>A folder whose <c>lst/</c> holds the LR input instead of the dataset's LR level (the real level of
    /// <c>crop --real-lr</c>, <c>960m-real</c>); null: the LR level.</summary>
    public string? RealFolder { get; init; }

    /// <summary>With <see cref="RealFolder"/>: shift each tile's real LR so that its mean over the pixels valid in both
    /// equals the simulated LR's (the bias taken out, the texture left).</summary>
    public bool MatchBias { get; init; }

    /// <summary>Reads <c>DATASET/split/NAME.txt</c>.</summary>
    /// <exception cref="UsageException">The file is missing, empty or malformed.</exception>
    public static IReadOnlyList<int> ReadSplit(string dataset, string name)
    {
        var path = Path.Combine(dataset, DatasetLayout.SplitFolder, name + ".txt");
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such split file; make the splits with 'lstpipe split 6:1:3 --dataset {dataset}'");
        }

        var tiles = File.Exists(Path.Combine(dataset,
            DatasetLayout.CardFileName)) ? DatasetFolder.Load(dataset).Card.TileCount : int.MaxValue;
        var indices = new List<int>();
        var seen = new Dictionary<int, int>();
        foreach (var (line, n) in File.ReadLines(path).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var v = int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new DataException($"{path}:{n}: '{(line.Length > 40 ? line[..40] + "..." : line)}' is not a tile index");
            if (v >= tiles)
            {
                throw new DataException($"{path}:{n}: tile {v} does not exist (the dataset has {tiles} tiles, 0-{tiles - 1}); " +
                    $"make the splits again with 'lstpipe split'");
            }

            if (!seen.TryAdd(v, n))
            {
                throw new DataException($"{path}:{n}: tile {v} is listed twice (first on line {seen[v]}); make the splits again " +
                    $"with 'lstpipe split'");
            }

            indices.Add(v);
        }

        return indices.Count > 0 ? indices : throw new UsageException($"{path}: the split is empty; choose another split or ratio");
    }

    /// <summary>The seeded order in which epoch <paramref name="epoch"/> visits the split; iteration t reads tile
    /// <c>EpochOrder(split, seed, t / n)[t % n]</c>.</summary>
    public static int[] EpochOrder(IReadOnlyList<int> split, ulong seed, long epoch)
    {
        var order = split.ToArray();
        new SplitMix64(seed * 0x9E3779B97F4A7C15UL + (ulong)epoch).Shuffle(order);
        return order;
    }

    /// <summary>Opens the tile source (one per reader thread).</summary>
    public TileSource Open() => _format == "parquet" ? TileSource.OpenParquet(_dataset) : TileSource.OpenMat(_dataset);

    /// <summary>Reads and normalizes one tile. Nodata (NaN) stays NaN in the HR truth (the loss and the metrics leave
    /// it out); the LR input and the guidance are filled by <see cref="Normalization.FillLst"/> and
    /// <see cref="Normalization.ApplyGuidance"/>, so the network never sees NaN.</summary>
    public TileSample Read(TileSource source, int index)
    {
        var lr = source.Read(index, _norm.LrLabel);
        var hr = source.Read(index, _norm.HrLabel);
        var plane = hr.Height * hr.Width;
        var channels = _channels ?? Enumerable.Range(0, hr.Guidance.Count).ToArray();
        var guidance = new float[channels.Length * plane];
        for (var c = 0; c < channels.Length; c++)
        {
            var span = guidance.AsSpan(c * plane, plane);
            hr.Guidance[channels[c]].AsSpan(0, plane).CopyTo(span);
            _norm.ApplyGuidance(c, span);
        }

        var lrValues = RealFolder is null ? lr.Lst.ToArray() : source.ReadLst(index, RealFolder, lr.Height, lr.Width);
        if (MatchBias)
        {
            MatchMean(lrValues, lr.Lst);
        }

        _norm.FillLst(lrValues);
        return new TileSample(index, lr.Height, hr.Height, lrValues, guidance, hr.Lst);
    }

    /// <summary>Shifts <paramref name="real"/> by the simulated LR's mean minus its own, both over the pixels valid in both.</summary>
    internal static void MatchMean(Span<float> real, ReadOnlySpan<float> simulated)
    {
        var (sum, n) = (0.0, 0);
        for (var i = 0; i < real.Length; i++)
        {
            if (float.IsFinite(real[i]) && float.IsFinite(simulated[i]))
            {
                (sum, n) = (sum + simulated[i] - real[i], n + 1);
            }
        }

        var shift = n == 0 ? 0f : (float)(sum / n);
        for (var i = 0; i < real.Length; i++)
        {
            real[i] += shift;
        }
    }

    /// <summary>Streams the samples at positions <paramref name="from"/> to <paramref name="to"/> (exclusive) of the
    /// seeded sequence, collated <paramref name="batchSize"/> at a time, read and collated ahead by a background
    /// thread; a last partial batch is not returned.</summary>
    public IEnumerable<TileBatch> Batches(IReadOnlyList<int> split, ulong seed, long from, long to, int batchSize,
        CancellationToken ct = default)
    {
        using var queue = new System.Collections.Concurrent.BlockingCollection<TileBatch>(2);
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() =>
        {
            try
            {
                using var source = Open();
                var epoch = -1L;
                var order = Array.Empty<int>();
                var pending = new List<TileSample>(batchSize);
                for (var t = from; t < to; t++)
                {
                    if (t / split.Count != epoch)
                    {
                        epoch = t / split.Count;
                        order = EpochOrder(split, seed, epoch);
                    }

                    pending.Add(Read(source, order[t % split.Count]));
                    if (pending.Count == batchSize)
                    {
                        queue.Add(TileBatch.Collate(pending), stop.Token);
                        pending.Clear();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None);
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(ct))
            {
                yield return batch;
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
        finally
        {
            stop.Cancel();
            producer.Wait(CancellationToken.None);
        }
    }
}
