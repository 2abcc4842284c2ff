using System.Collections.Concurrent;
using LstPipe.Core.Compression;
using LstPipe.Core.Units;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Mat;

namespace LstPipe.Dataset.Crop;

/// <summary>Encodes a scene's tiles: each tile's fine pixels copied out of the rolling buffers (invalid pixels masked
/// in every channel), block-averaged to every scale and written as MAT files, one scratch set per worker; on a resume,
/// a file that still matches its recorded checksum is kept.</summary>
internal sealed class TileEncoder(CropOptions o, RunPlan plan, ScenePlan sp, string output, bool resume, TileJournal journal) : IDisposable
{
    private readonly int _channels = plan.Channels.Count + 1;
    private readonly ConcurrentBag<TileScratch> _scratch = [];
    private int _reused;
    private int _rewritten;
    private string? _firstRewritten;

    /// <summary>Files of an interrupted run kept because they matched their checksum.</summary>
    public int Reused => _reused;

    /// <summary>Files of the interrupted run written again because they no longer matched their recorded checksum.</summary>
    public int Rewritten => _rewritten;

    /// <summary>The first of them.</summary>
    public string? FirstRewritten => _firstRewritten;

    /// <summary>Writes the tile at grid row <paramref name="row"/>, column <paramref name="col"/> of the rolling
    /// buffers at every scale and returns its record and the moments of its bands.</summary>
    public (TileRecord, BandMoments[][]) Encode(float[][] buffers, int row, int col, double valid, int index, int width)
    {
        var size = o.TileSize;
        if (!_scratch.TryTake(out var scratch))
        {
            scratch = new TileScratch(_channels, size, o.Scales, o.Compress ? o.CompressionLevel : null);
        }

        try
        {
            var x = col * o.Step.Value;
            for (var c = 0; c < _channels; c++)
            {
                var fine = scratch.Fine[c];
                for (var r = 0; r < size; r++)
                {
                    buffers[c].AsSpan(r * width + x, size).CopyTo(fine.AsSpan(r * size, size));
                }

                if (valid < 1)
                {
                    MaskInvalid(buffers, fine, x, size, width);
                }
            }

            var tileMoments = new BandMoments[o.Scales.Count][];
            for (var s = 0; s < o.Scales.Count; s++)
            {
                var f = o.Scales[s].Value;
                var cs = size / f;
                tileMoments[s] = new BandMoments[_channels];
                for (var c = 0; c < _channels; c++)
                {
                    BlockMean.Reduce(scratch.Fine[c], size, f, scratch.Coarse[s][c], o.CoarseMinValidFraction, allValid: valid >= 1);
                    tileMoments[s][c] = new BandMoments();
                    tileMoments[s][c].Add(scratch.Coarse[s][c].AsSpan(0, cs * cs));
                }

                var label = plan.Labels[s];
                WriteMat(DatasetLayout.LstPath(output, label, index),
                    [new MatArray(DatasetLayout.LstVariable, cs, cs, scratch.Coarse[s][0])], scratch);
                WriteMat(DatasetLayout.GuidancePath(output, label, index),
                    plan.Channels.Select((ch, c) => new MatArray(ch.Name, cs, cs, scratch.Coarse[s][c + 1])).ToArray(), scratch);
            }

            var gt = sp.Transform;
            var window = sp.Grid.Window(row, col);
            var footprint = new[] { (window.X, window.Y), (window.Right, window.Y), (window.Right, window.Bottom), (window.X,
                window.Bottom) }
                .Select(p => { var (mx, my) = gt.PixelToMap(p.Item1, p.Item2); return new[] { mx, my }; }).ToArray();
            var record = new TileRecord(index, sp.Scene.Manifest.Id, row, col, window.X, window.Y, size, valid,
                sp.Scene.Manifest.Crs.Epsg, footprint);
            return (record, tileMoments);
        }
        finally
        {
            _scratch.Add(scratch);
        }
    }

    private void MaskInvalid(float[][] buffers, float[] fine, int x, int size, int width)
    {
        for (var r = 0; r < size; r++)
        {
            for (var i = 0; i < size; i++)
            {
                for (var c = 0; c < _channels; c++)
                {
                    if (float.IsNaN(buffers[c][r * width + x + i]))
                    {
                        fine[r * size + i] = float.NaN;
                        break;
                    }
                }
            }
        }
    }

    private void WriteMat(string path, IReadOnlyList<MatArray> arrays, TileScratch scratch)
    {
        if (resume && File.Exists(path))
        {
            if (journal.Matches(path))
            {
                Interlocked.Increment(ref _reused);
                return;
            }

            if (journal.Knows(path))
            {
                Interlocked.Increment(ref _rewritten);
                Interlocked.CompareExchange(ref _firstRewritten, path, null);
            }
        }

        MatFile.Write(path, arrays, scratch.Compressor, scratch.Transpose);
        journal.Record(path);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        while (_scratch.TryTake(out var scratch))
        {
            scratch.Dispose();
        }
    }

    private sealed class TileScratch : IDisposable
    {
        public TileScratch(int channels, int size, IReadOnlyList<ScaleFactor> scales, int? compressionLevel)
        {
            Compressor = compressionLevel is { } level ? new DeflateCompressor(level) : null;
            Fine = Enumerable.Range(0, channels).Select(_ => new float[size * size]).ToArray();
            Coarse = scales.Select(s => Enumerable.Range(0,
                channels).Select(_ => new float[(size / s.Value) * (size / s.Value)]).ToArray()).ToArray();
            Transpose = new float[size * size];
        }

        public float[][] Fine { get; }

        public float[][][] Coarse { get; }

        public float[] Transpose { get; }

        public DeflateCompressor? Compressor { get; }

        public void Dispose() => Compressor?.Dispose();
    }
}
