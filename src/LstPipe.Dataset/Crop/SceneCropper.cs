using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Threading;
using LstPipe.Core.Units;
using LstPipe.Dataset.Cards;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Gdal;

namespace LstPipe.Dataset.Crop;

/// <summary>Crops one scene: a rolling buffer of one band of tile rows per channel, tiles encoded in parallel.</summary>
internal sealed class SceneCropper(CropOptions o, RunPlan plan, ScenePlan sp, string output, bool resume, TileJournal journal)
{
    private readonly int _channels = plan.Channels.Count + 1;
    private readonly TileEncoder _encoder = new(o, plan, sp, output, resume, journal);
    private bool[][] _rowHasNaN = [];

    /// <summary>Files of the interrupted run written again because they no longer matched their recorded checksum.</summary>
    public int Rewritten => _encoder.Rewritten;

    /// <summary>The first of them.</summary>
    public string? FirstRewritten => _encoder.FirstRewritten;

    public (List<TileRecord> Tiles, IReadOnlyList<CardSceneMoments> Moments, int Skipped, int Reused,
        IReadOnlyList<double> SkippedNoData) Run(
        int firstIndex, CancellationToken ct, Action<int, int> rowDone)
    {
        var grid = sp.Grid;
        var size = o.TileSize;
        var step = o.Step.Value;
        var width = sp.Width;
        if ((long)size * width > Array.MaxLength)
        {
            throw new DataException($"{sp.GivenPath}: {width} px is too wide to hold {size} rows in one buffer; crop narrower scenes");
        }

        var buffers = Enumerable.Range(0, _channels).Select(_ => new float[size * width]).ToArray();
        _rowHasNaN = Enumerable.Range(0, _channels).Select(_ => new bool[size]).ToArray();
        var datasets = new RasterDataset[_channels];
        var moments = plan.Labels.Select(_ => Enumerable.Range(0, _channels).Select(_ => new BandMoments()).ToArray()).ToArray();
        var tiles = new List<TileRecord>();
        var skipped = 0;
        var skippedNoData = new List<double>();
        var index = firstIndex;
        try
        {
            datasets[0] = sp.Scene.OpenLst();
            for (var c = 1; c < _channels; c++)
            {
                datasets[c] = sp.Scene.OpenGuidance();
            }

            for (var row = 0; row < grid.Rows; row++)
            {
                ct.ThrowIfCancellationRequested();
                Load(datasets, buffers, row, size, step, width);
                var fractions = new double[grid.Columns];
                Parallelism.For(0, grid.Columns, o.Workers, ct, col => fractions[col] = ValidFraction(buffers, col * step, size, width));
                var candidates = fractions.Select((v, col) => (Col: col, Valid: v)).ToList();
                var kept = new List<(int Col, double Valid, int Index)>();
                foreach (var (col, valid) in candidates)
                {
                    if (1 - valid > o.MaxNoData + 1e-12)
                    {
                        skipped++;
                        skippedNoData.Add(1 - valid);
                    }
                    else
                    {
                        kept.Add((col, valid, index++));
                    }
                }

                var results = new (TileRecord Record, BandMoments[][] Moments)[kept.Count];
                Parallelism.For(0, kept.Count, o.Workers, ct, k =>
                {
                    var (col, valid, tileIndex) = kept[k];
                    results[k] = _encoder.Encode(buffers, row, col, valid, tileIndex, width);
                });

                foreach (var (record, tileMoments) in results)
                {
                    tiles.Add(record);
                    for (var s = 0; s < moments.Length; s++)
                    {
                        for (var c = 0; c < _channels; c++)
                        {
                            moments[s][c].Add(tileMoments[s][c]);
                        }
                    }
                }

                rowDone(row + 1, tiles.Count);
            }
        }
        finally
        {
            foreach (var d in datasets)
            {
                d?.Dispose();
            }

            _encoder.Dispose();
        }

        var names = new[] { "lst" }.Concat(plan.Channels.Select(c => c.Name)).ToArray();
        var cardMoments = plan.Labels.Select((label, s) =>
            new CardSceneMoments(label, names.Select((n, c) => new NamedMoments(n, moments[s][c])).ToArray())).ToArray();
        return (tiles, cardMoments, skipped, _encoder.Reused, skippedNoData);
    }

    private void Load(RasterDataset[] datasets, float[][] buffers, int tileRow, int size, int step, int width)
    {
        var top = tileRow * step;
        var keep = tileRow == 0 ? 0 : size - step;
        var firstRow = top + keep;
        var rows = size - keep;
        Parallelism.For(0, _channels, _channels, CancellationToken.None, c =>
        {
            var buffer = buffers[c];
            if (keep > 0)
            {
                Array.Copy(buffer, (long)step * width, buffer, 0, (long)keep * width);
            }

            var band = datasets[c].GetBand(c == 0 ? 1 : c);
            var span = buffer.AsSpan(keep * width, rows * width);
            var nd = band.NoData is { } d ? (float)d : float.NaN;
            if (sp.Factor == 1)
            {
                band.Read(new PixelWindow(0, firstRow, width, rows), span);
                if (c > 0 && !float.IsNaN(nd))
                {
                    span.Replace(nd, float.NaN);
                }
            }
            else
            {
                ReadCoarsened(band, nd, firstRow, rows, width, span);
            }

            if (c == 0)
            {
                LstCheck.Rows(span, sp.Factor == 1 ? band.NoData : null, new LstPlace(LstName, width, firstRow, sp.Scene.LstUnit, LstFix));
            }
            else
            {
                RefuseInfinity(span, c, firstRow, width);
            }

            var flags = _rowHasNaN[c];
            Array.Copy(flags, step, flags, 0, keep);
            for (var r = 0; r < rows; r++)
            {
                flags[keep + r] = HasNaN(span.Slice(r * width, width));
            }
        });
        GuidanceCheck.Strip(plan.Channels, buffers[1..], keep * width, rows * width, sp.Scene.GuidancePath);
    }

    /// <summary>The LST named in errors: the scene's file, or its coarsened read.</summary>
    private string LstName => sp.Factor == 1 ? sp.Scene.LstPath : $"{sp.Scene.LstPath} (averaged {sp.Factor} x {sp.Factor})";

    private const string LstFix = "fix its unit (scene.json lst.unit: K, C or F) or mask it as nodata";

    /// <summary>Refuses a guidance value of +-Infinity (NaN is nodata): it is neither a value nor nodata, as in the LST.</summary>
    private void RefuseInfinity(ReadOnlySpan<float> values, int channel, int firstRow, int width)
    {
        var i = values.IndexOfAny(float.PositiveInfinity, float.NegativeInfinity);
        if (i >= 0)
        {
            var name = sp.Factor == 1 ? sp.Scene.GuidancePath : $"{sp.Scene.GuidancePath} (averaged {sp.Factor} x {sp.Factor})";
            throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{name}: band {channel} " +
                $"('{plan.Channels[channel - 1].Name}') at row {firstRow + (i / width)}, column {i % width} is " +
                $"{(values[i] > 0 ? "+" : "-")}Infinity, neither a value nor nodata; mask it as nodata (NaN) or fix what wrote it"));
        }
    }

    /// <summary>Reads base-grid rows of a scene coarsened by <see cref="ScenePlan.Factor"/>: block means of the
    /// scene's pixels, read a few dozen base rows at a time.</summary>
    private void ReadCoarsened(RasterBand band, float nd, int firstRow, int rows, int width, Span<float> output)
    {
        var f = sp.Factor;
        const int chunk = 32;
        var fine = new float[chunk * f * width * f];
        for (var r = 0; r < rows; r += chunk)
        {
            var n = Math.Min(chunk, rows - r);
            var span = fine.AsSpan(0, n * f * width * f);
            band.Read(new PixelWindow(0, (firstRow + r) * f, width * f, n * f), span);
            if (!float.IsNaN(nd))
            {
                span.Replace(nd, float.NaN);
            }

            BlockMean.ReduceRectangle(span, width * f, n * f, f, output.Slice(r * width, n * width), o.CoarseMinValidFraction);
        }
    }

    private static bool HasNaN(ReadOnlySpan<float> values)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
            foreach (var v in vectors)
            {
                if (!System.Numerics.Vector.EqualsAll(v, v))
                {
                    return true;
                }
            }

            i = vectors.Length * System.Numerics.Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fraction of the tile at column <paramref name="x"/> valid in every channel; rows without any
    /// NaN (flagged as they are loaded) count whole, so clean scenes cost almost nothing.</summary>
    private double ValidFraction(float[][] buffers, int x, int size, int width)
    {
        long valid = 0;
        for (var r = 0; r < size; r++)
        {
            var flagged = false;
            for (var c = 0; c < _channels && !flagged; c++)
            {
                flagged = _rowHasNaN[c][r];
            }

            if (!flagged)
            {
                valid += size;
                continue;
            }

            for (var i = 0; i < size; i++)
            {
                var ok = true;
                for (var c = 0; c < _channels && ok; c++)
                {
                    ok = !float.IsNaN(buffers[c][r * width + x + i]);
                }

                valid += ok ? 1 : 0;
            }
        }

        return (double)valid / ((long)size * size);
    }
}
