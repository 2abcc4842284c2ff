using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Training;

/// <summary>The options of <c>lstpipe predict</c>.</summary>
public sealed record PredictOptions
{
    /// <summary>Checkpoint written by <c>lstpipe train</c>.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Low-resolution LST GeoTIFF (Kelvin) on the guidance grid coarsened by the model's scale.</summary>
    public required string Lst { get; init; }

    /// <summary>High-resolution guidance GeoTIFF with the model's channels in order.</summary>
    public required string Guidance { get; init; }

    /// <summary>Output GeoTIFF (float32 Kelvin, nodata -9999, on the guidance grid).</summary>
    public required string Output { get; init; }

    /// <summary>Window edge in HR pixels, rounded down to a multiple of the scale (and of the model's size multiple).</summary>
    public int Window { get; init; } = 256;

    /// <summary>Overlap of neighbouring windows in HR pixels; predictions are blended across it.</summary>
    public int Overlap { get; init; } = 32;

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";
}

/// <summary>
/// Downscales a whole scene window by window: overlapping windows are blended with weights that ramp linearly across
/// the overlap, so there are no seams; memory holds one row of windows (window height x scene width), whatever the
/// scene size. LR nodata (and guidance nodata) become nodata in the output; inside a window they are filled with
/// the window's mean before the network sees them.
/// </summary>
public static class Predictor
{
    /// <summary>Runs the prediction.</summary>
    public static void Run(PredictOptions o, IProgress<(int Rows, int Total)>? progress = null)
    {
        Core.IO.OutputGuard.RefuseOverlap(o.Output, [(o.Lst, "LR LST"), (o.Guidance, "guidance"), (o.Checkpoint, "checkpoint")]);
        var device = Models.TorchSetup.ParseDevice(o.Device);
        using var model = Downscaler.Load(o.Checkpoint).To(device);
        var s = model.Normalization.Scale;
        using var gui = RasterDataset.Open(o.Guidance);
        using var lr = RasterDataset.Open(o.Lst);
        var channels = model.Normalization.GuidanceShift.Count;
        if (gui.BandCount != channels)
        {
            throw new DataException($"{o.Guidance}: has {gui.BandCount} bands; the model takes {channels} guidance channels");
        }

        var (w, h) = (gui.Width, gui.Height);
        if (w % s != 0 || h % s != 0)
        {
            throw new DataException($"{o.Guidance}: {w} x {h} px is not divisible by the scale {s}; crop it to a multiple of {s} px");
        }

        var expected = gui.Grid.Coarsen(new ScaleFactor(s));
        if (lr.Width != expected.Width || lr.Height != expected.Height || !lr.GeoTransform.IsNear(expected.Transform))
        {
            throw new DataException($"{o.Lst}: is not the guidance grid coarsened {s}x ({expected.Width} x {expected.Height} px from the guidance origin); warp it onto that grid first");
        }

        var multiple = s * model.Net.SizeMultiple / (int)System.Numerics.BigInteger.GreatestCommonDivisor(s, model.Net.SizeMultiple);
        var win = Math.Min(o.Window, Math.Min(w, h));
        win -= win % multiple;
        if (win < multiple || o.Overlap < 0 || o.Overlap >= win)
        {
            throw new UsageException($"--window {o.Window} / --overlap {o.Overlap}: the window must be at least {multiple} px (a multiple of {multiple} for this model and scale), within the scene, and larger than the overlap");
        }

        var xs = Positions(w, win, win - o.Overlap, s);
        var ys = Positions(h, win, win - o.Overlap, s);
        var weight = Ramp(win, o.Overlap);
        var acc = new float[win * w];
        var wsum = new float[win * w];
        var lrBand = lr.GetBand(1);
        var lrNoData = lrBand.NoData;
        using var writer = GeoTiffWriter.Create(o.Output, gui.Grid, 1, RasterDataType.Float32, -9999, ["lst"]);
        using var noGrad = TorchSharp.torch.no_grad();
        model.Net.eval();
        for (var k = 0; k < ys.Count; k++)
        {
            var y = ys[k];
            foreach (var x in xs)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var sample = ReadWindow(model.Normalization, gui, lrBand, lrNoData, x, y, win, s, out var valid);
                var pred = Downscaler.ToArray(model.Forward(sample));
                for (var r = 0; r < win; r++)
                {
                    for (var c = 0; c < win; c++)
                    {
                        if (valid[r * win + c])
                        {
                            var wt = weight[r] * weight[c];
                            acc[r * w + x + c] += wt * pred[r * win + c];
                            wsum[r * w + x + c] += wt;
                        }
                    }
                }
            }

            var done = k + 1 < ys.Count ? ys[k + 1] - y : win;
            var rows = new float[done * w];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = wsum[i] > 0 ? acc[i] / wsum[i] : -9999f;
            }

            writer.Write(1, new PixelWindow(0, y, w, done), rows);
            Array.Copy(acc, done * w, acc, 0, (win - done) * w);
            Array.Copy(wsum, done * w, wsum, 0, (win - done) * w);
            Array.Clear(acc, (win - done) * w, done * w);
            Array.Clear(wsum, (win - done) * w, done * w);
            progress?.Report((y + done, h));
        }

        writer.Commit();
    }

    private static TileSample ReadWindow(Normalization norm, RasterDataset gui, RasterBand lrBand, double? lrNoData, int x, int y, int win, int s, out bool[] valid)
    {
        var lw = win / s;
        var lrValues = new float[lw * lw];
        var lrValid = new byte[lw * lw];
        lrBand.Read(new PixelWindow(x / s, y / s, lw, lw), lrValues, lrValid);
        for (var i = 0; i < lrValues.Length; i++)
        {
            if (lrValid[i] == 0)
            {
                lrValues[i] = float.NaN;
            }
        }

        norm.FillLst(lrValues);

        valid = new bool[win * win];
        for (var r = 0; r < win; r++)
        {
            for (var c = 0; c < win; c++)
            {
                valid[r * win + c] = lrValid[(r / s) * lw + c / s] != 0;
            }
        }

        var plane = win * win;
        var guidance = new float[norm.GuidanceShift.Count * plane];
        var mask = new byte[plane];
        for (var b = 0; b < norm.GuidanceShift.Count; b++)
        {
            var span = guidance.AsSpan(b * plane, plane);
            gui.GetBand(b + 1).Read(new PixelWindow(x, y, win, win), span, mask);
            for (var i = 0; i < plane; i++)
            {
                if (mask[i] == 0)
                {
                    valid[i] = false;
                    span[i] = float.NaN;
                }
            }

            norm.ApplyGuidance(b, span);
        }

        return new TileSample(-1, lw, win, lrValues, guidance, []);
    }

    private static List<int> Positions(int size, int window, int stride, int scale)
    {
        stride = Math.Max(scale, stride - stride % scale);
        var p = new List<int>();
        for (var v = 0; v + window < size; v += stride)
        {
            p.Add(v);
        }

        p.Add(size - window);
        return p;
    }

    private static float[] Ramp(int window, int overlap)
    {
        var w = new float[window];
        for (var i = 0; i < window; i++)
        {
            w[i] = overlap == 0 ? 1 : Math.Max(1e-3f, Math.Min(1f, Math.Min((i + 0.5f) / overlap, (window - i - 0.5f) / overlap)));
        }

        return w;
    }
}
