using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Figures;
using LstPipe.Raster.Gdal;

namespace LstPipe.Inference;

/// <summary>
/// Downscales a whole scene window by window: overlapping windows are blended with weights that ramp linearly across
/// the overlap, so there are no seams; memory holds one row of windows (window height x scene width), whatever the
/// scene size. The coarse LST may come in any CRS and resolution: it is averaged onto the guidance grid coarsened by
/// the scale, and a guidance whose size is not a multiple of the scale is padded (the padding is nodata and is not
/// written). Each strip is made consistent with the coarse LST (<see cref="Consistency"/>) before it is written.
/// LR nodata (and guidance nodata) become nodata in the output; inside a window they are filled with the window's
/// mean before the network sees them.
/// </summary>
public static class Predictor
{
    /// <summary>Runs the prediction.</summary>
    /// <param name="o">The options.</param>
    /// <param name="progress">Receives HR rows done and in all.</param>
    /// <param name="note">Receives one line for each thing the run matched, assumed or chose (channel order, warp,
    /// consistency), before any window runs.</param>
    /// <exception cref="UsageException">An input the model was not trained for (see <see cref="PredictInputs"/>).</exception>
    /// <exception cref="DataException">Unreadable inputs, or an output that is not a land-surface temperature where the
    /// inputs were valid; nothing is left under the output's name.</exception>
    public static PredictResult Run(PredictOptions o, IProgress<(int Rows, int Total)>? progress = null, Action<string>? note = null)
    {
        note ??= _ => { };
        using var transaction = Core.IO.OutputTransaction.Files(o.Output, "lstpipe predict",
            [(o.Lst, "LR LST"), (o.Guidance, "guidance"), (o.Checkpoint, "checkpoint"), (o.Truth ?? o.Lst, "truth")]);
        using var model = Downscalers.Open(o.Checkpoint, o.Device, o.Precision, o.Threads);
        var s = model.Normalization.Scale;
        var multiple = s * model.SizeMultiple / (int)System.Numerics.BigInteger.GreatestCommonDivisor(s, model.SizeMultiple);
        var warpedPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Output)) ?? ".",
            Core.IO.AtomicFile.TemporaryName(Path.GetFileName(o.Output) + ".lr.tif"));
        using var inputs = PredictInputs.Open(o, model, multiple, warpedPath, note);
        if (model.Contract?.LstStatistics?.Compare(inputs.Distribution!, o.Lst, o.Checkpoint) is { } warning)
        {
            note("warning: " + warning);
        }

        if (inputs.Warped is { } how)
        {
            note("coarse LST: " + how);
        }

        var mode = o.Consistency ?? (inputs.Aligned ? ConsistencyMode.Radiance : ConsistencyMode.None);
        if (o.Consistency is null)
        {
            note(inputs.Aligned
                ? "consistency: radiance (the coarse LST's pixels nest in the model's LR grid, so block means are the sensor's own)"
                : "consistency: none (the coarse LST was reprojected or resampled, so block means of it are not the sensor's " +
                    "pixels; --consistency radiance forces it)");
        }

        var gui = inputs.Guidance;
        var (w, h) = (gui.Width, gui.Height);
        var coarse = inputs.Coarse;
        var (pw, ph) = (coarse.Width * s, coarse.Height * s);
        var win = inputs.Window;
        using var truth = o.Truth is null ? null : OpenTruth(o.Truth, gui.Grid);
        var truthBand = truth?.GetBand(1);
        var lrBand = inputs.Lr.GetBand(inputs.LrBand);
        var xs = WindowPlan.Positions(pw, win, win - o.Overlap, s);
        var ys = WindowPlan.Positions(ph, win, win - o.Overlap, s);
        var weight = WindowPlan.Ramp(win, o.Overlap);
        var acc = new float[win * pw];
        var wsum = new float[win * pw];
        var look = new Quicklook(w, h, s, coarse.Width, truth is not null);
        (double Squares, long Blocks) before = (0, 0), after = (0, 0);
        (double Squares, long Count) error = (0, 0);
        var written = 0L;
        using var writer = GeoTiffWriter.Create(transaction.Stage(o.Output), gui.Grid, 1, RasterDataType.Float32, -9999,
            ["lst"], GeoTiffOptions.Published, unit: "K");
        for (var k = 0; k < ys.Count; k++)
        {
            var y = ys[k];
            var lrRows = ReadCoarse(lrBand, y / s, win / s, coarse.Width, inputs.ToKelvin);
            foreach (var group in xs.Chunk(o.BatchSize))
            {
                Core.Threading.Interruption.ThrowIfRequested();
                var valid = new bool[group.Length][];
                var samples = group.Select((x, i) => ReadWindow(model.Normalization, inputs, lrRows, x, y, win, s,
                    out valid[i])).ToArray();
                var batch = TileBatch.Collate(samples);
                var pred = model.Predict(batch);
                for (var i = 0; i < group.Length; i++)
                {
                    CheckFinite(batch, i, pred, valid[i], (group[i], y), model, inputs, o);
                    Blend(pred.AsSpan(i * win * win, win * win), valid[i], weight, acc, wsum, pw, group[i]);
                }
            }

            var done = k + 1 < ys.Count ? ys[k + 1] - y : win;
            var rows = new float[done * pw];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = wsum[i] > 0 ? acc[i] / wsum[i] : float.NaN;
            }

            var lrDone = lrRows.AsSpan(0, done / s * coarse.Width);
            Add(ref before, Consistency.Residuals(rows, pw, lrDone, s));
            Consistency.Apply(rows, pw, lrDone, s, mode);
            Add(ref after, Consistency.Residuals(rows, pw, lrDone, s));
            var kept = Math.Min(done, h - y);
            if (kept > 0)
            {
                var output = new float[kept * w];
                for (var r = 0; r < kept; r++)
                {
                    rows.AsSpan(r * pw, w).CopyTo(output.AsSpan(r * w));
                }

                written += CheckOutput(output, w, y, o);
                float[]? reference = null;
                if (truthBand is not null)
                {
                    reference = new float[kept * w];
                    truthBand.Read(new PixelWindow(0, y, w, kept), reference);
                    ValidityMask.ToNaN(reference, truthBand.NoData);
                    for (var i = 0; i < output.Length; i++)
                    {
                        if (!float.IsNaN(output[i]) && !float.IsNaN(reference[i]))
                        {
                            var d = (double)output[i] - reference[i];
                            error = (error.Squares + (d * d), error.Count + 1);
                        }
                    }
                }

                look.Add(y, kept, output, reference, lrDone);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = float.IsNaN(output[i]) ? -9999f : output[i];
                }

                writer.Write(1, new PixelWindow(0, y, w, kept), output);
            }

            Array.Copy(acc, done * pw, acc, 0, (win - done) * pw);
            Array.Copy(wsum, done * pw, wsum, 0, (win - done) * pw);
            Array.Clear(acc, (win - done) * pw, done * pw);
            Array.Clear(wsum, (win - done) * pw, done * pw);
            progress?.Report((Math.Min(y + done, h), h));
        }

        if (written == 0)
        {
            throw new DataException($"{o.Output}: no pixel has both a valid coarse LST and valid guidance ({o.Lst}, " +
                $"{inputs.GuidancePath}); nothing was written");
        }

        writer.Commit();
        var png = Path.ChangeExtension(o.Output, ".png");
        double? rmse = error.Count == 0 ? null : Math.Sqrt(error.Squares / error.Count);
        look.Write(transaction.Stage(png), QuicklookTitle(Path.GetFileName(o.Output), s, model.Spec.Name, mode, Rmse(before),
            Rmse(after), rmse));
        transaction.Commit();
        return new PredictResult(o.Output, png, inputs.Warped, (pw - w, ph - h), Rmse(before), Rmse(after), rmse, mode, written);
    }

    /// <summary>Refuses a window whose prediction is not finite where its inputs are valid, naming the input pixel that
    /// caused it (the coarse LST's or a guidance band's), and the checkpoint's weights only when every input was finite
    /// and in range.</summary>
    /// <exception cref="DataException">The network gave a non-finite value.</exception>
    private static void CheckFinite(TileBatch batch, int i, float[] pred, bool[] valid, (int X, int Y) at, IDownscaler model,
        PredictInputs inputs, PredictOptions o)
    {
        var plane = batch.HrSize * batch.HrSize;
        if (NonFiniteDiagnosis.Find(pred.AsSpan(i * plane, plane), batch.HrSize, p => valid[p]) is not { } bad)
        {
            return;
        }

        var gave = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{o.Checkpoint}: the network gave {bad.Value} at pixel ({at.X + bad.Column}, {at.Y + bad.Row}) of {o.Output}");
        var s = batch.HrSize / batch.LrSize;
        var name = (int k) => model.Contract is { } c ? $" ('{c.Guidance[k].Name}')" : "";
        throw new DataException(NonFiniteDiagnosis.Cause(batch, i, model.Normalization, bad.Column, bad.Row) switch
        {
            null => $"{gave}, {NonFiniteDiagnosis.Blame(model, batch, i, p => valid[p])}; nothing was written",
            { Channel: null } f => $"{gave}, because the coarse LST {o.Lst} is {f.Describe()} at pixel ({(at.X / s) + f.Column}, " +
                $"{(at.Y / s) + f.Row}) of the model's x{s} grid over the guidance; nothing was written (set such pixels to nodata)",
            { Channel: { } k } f => $"{gave}, because the guidance {inputs.GuidancePath} band {inputs.Bands[k]}{name(k)} is " +
                $"{f.Describe()} at pixel ({at.X + f.Column}, {at.Y + f.Row}); nothing was written (set such pixels to nodata)",
        });
    }

    /// <summary>Adds one window's prediction, weighted by the blending ramp, to the row of windows' sums.</summary>
    private static void Blend(ReadOnlySpan<float> pred, bool[] valid, float[] weight, float[] acc, float[] wsum, int pw, int x)
    {
        var win = weight.Length;
        for (var r = 0; r < win; r++)
        {
            for (var c = 0; c < win; c++)
            {
                if (!valid[r * win + c])
                {
                    continue;
                }

                var wt = weight[r] * weight[c];
                acc[r * pw + x + c] += wt * pred[r * win + c];
                wsum[r * pw + x + c] += wt;
            }
        }
    }

    /// <summary>The quicklook's title: the output, the scale and model, the consistency correction with the consistency
    /// error it leaves (and the one before it), and the RMSE against a truth.</summary>
    internal static string QuicklookTitle(string output, int scale, string model, ConsistencyMode mode, double before, double after,
        double? rmse)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var consistency = mode == ConsistencyMode.None
            ? string.Create(inv, $"no consistency correction, consistency error {before:0.0000} K")
            : string.Create(inv, $"{mode.ToString().ToLowerInvariant()} correction, consistency error {after:0.0000} K " +
                $"({before:0.0000} K before)");
        var truth = rmse is { } r ? string.Create(inv, $"  ·  RMSE {r:0.000} K against the truth") : "";
        return string.Create(inv, $"{output}  ·  ×{scale} {model}  ·  {consistency}{truth}");
    }

    /// <summary>Counts the valid pixels of a strip of output, refusing one no land surface has.</summary>
    private static long CheckOutput(ReadOnlySpan<float> output, int width, int y, PredictOptions o)
    {
        var valid = 0L;
        for (var i = 0; i < output.Length; i++)
        {
            var v = output[i];
            if (float.IsNaN(v))
            {
                continue;
            }

            if (!LstUnits.IsPlausible(v))
            {
                throw new DataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{o.Output}: the prediction is {v:0.##} K at pixel ({i % width}, {y + (i / width)}), outside the 150-400 K " +
                        $"of any land surface; " +
                    $"nothing was written ({o.Checkpoint} was not trained for these inputs: check the guidance's channels and values)"));
            }

            valid++;
        }

        return valid;
    }

    private static void Add(ref (double Squares, long Blocks) total, (double Squares, long Blocks) part) =>
        total = (total.Squares + part.Squares, total.Blocks + part.Blocks);

    private static double Rmse((double Squares, long Blocks) t) => t.Blocks == 0 ? double.NaN : Math.Sqrt(t.Squares / t.Blocks);

    private static RasterDataset OpenTruth(string path, RasterGrid grid)
    {
        var truth = RasterDataset.Open(path);
        if (truth.Width != grid.Width || truth.Height != grid.Height || !truth.GeoTransform.IsNear(grid.Transform))
        {
            truth.Dispose();
            throw new DataException($"{path}: the truth must lie on the guidance grid ({grid.Width} x {grid.Height} px from the " +
                $"guidance origin)");
        }

        return truth;
    }

    /// <summary>Whole rows of the coarse LST in Kelvin, NaN where it has nodata.</summary>
    private static float[] ReadCoarse(RasterBand band, int row, int rows, int width, (double Gain, double Offset) toKelvin)
    {
        var values = new float[rows * width];
        band.Read(new PixelWindow(0, row, width, rows), values);
        ValidityMask.ToNaN(values, band.NoData);
        if (toKelvin != (1, 0))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)((values[i] * toKelvin.Gain) + toKelvin.Offset);
            }
        }

        return values;
    }

    /// <summary>One window's sample: its part of the coarse rows of its row of windows (<paramref name="lrRows"/>,
    /// the LR grid's width) and its guidance bands in the model's order, with the pixels the output may use.</summary>
    private static TileSample ReadWindow(Normalization norm, PredictInputs inputs, ReadOnlySpan<float> lrRows, int x, int y,
        int win, int s, out bool[] valid)
    {
        var (gui, lrWidth) = (inputs.Guidance, inputs.Coarse.Width);
        var lw = win / s;
        var lrWindow = new float[lw * lw];
        for (var r = 0; r < lw; r++)
        {
            lrRows.Slice((r * lrWidth) + (x / s), lw).CopyTo(lrWindow.AsSpan(r * lw));
        }

        valid = new bool[win * win];
        for (var r = 0; r < win; r++)
        {
            for (var c = 0; c < win; c++)
            {
                valid[r * win + c] = !float.IsNaN(lrWindow[(r / s * lw) + (c / s)]) && y + r < gui.Height && x + c < gui.Width;
            }
        }

        norm.FillLst(lrWindow);
        var plane = win * win;
        var guidance = new float[norm.GuidanceShift.Count * plane];
        var (rw, rh) = (Math.Min(win, gui.Width - x), Math.Min(win, gui.Height - y));
        var inside = new float[rw * rh];
        var mask = new byte[rw * rh];
        for (var b = 0; b < norm.GuidanceShift.Count; b++)
        {
            var span = guidance.AsSpan(b * plane, plane);
            span.Fill(float.NaN);
            gui.GetBand(inputs.Bands[b]).Read(new PixelWindow(x, y, rw, rh), inside, mask);
            for (var r = 0; r < rh; r++)
            {
                for (var c = 0; c < rw; c++)
                {
                    if (mask[r * rw + c] == 0)
                    {
                        valid[r * win + c] = false;
                    }
                    else
                    {
                        span[r * win + c] = inside[r * rw + c];
                    }
                }
            }

            norm.ApplyGuidance(b, span);
        }

        return new TileSample(-1, lw, win, lrWindow, guidance, []);
    }
}
