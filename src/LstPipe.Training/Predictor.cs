using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;
using LstPipe.Training.Figures;

namespace LstPipe.Training;

/// <summary>The options of <c>lstpipe predict</c>.</summary>
public sealed record PredictOptions
{
    /// <summary>Checkpoint written by <c>lstpipe train</c>, or a PyTorch <c>.pth</c> of GrokLST's toolkit.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Coarse LST raster (Kelvin) in any CRS and resolution GDAL reads; it is warped (average) onto the
    /// guidance grid coarsened by the model's scale unless it already lies on that grid.</summary>
    public required string Lst { get; init; }

    /// <summary>High-resolution guidance GeoTIFF with the model's channels in order.</summary>
    public required string Guidance { get; init; }

    /// <summary>Output GeoTIFF (float32 Kelvin, nodata -9999, on the guidance grid); a PNG quicklook is written beside
    /// it (same name, <c>.png</c>).</summary>
    public required string Output { get; init; }

    /// <summary>HR truth LST on the guidance grid, for the quicklook's truth and error panels and an RMSE.</summary>
    public string? Truth { get; init; }

    /// <summary>How the output is made consistent with the coarse LST.</summary>
    public ConsistencyMode Consistency { get; init; } = ConsistencyMode.Radiance;

    /// <summary>Window edge in HR pixels, rounded down to a multiple of the scale (and of the model's size multiple).</summary>
    public int Window { get; init; } = 256;

    /// <summary>Overlap of neighbouring windows in HR pixels; predictions are blended across it.</summary>
    public int Overlap { get; init; } = 32;

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";
}

/// <summary>What <c>lstpipe predict</c> wrote and measured.</summary>
/// <param name="Output">The downscaled GeoTIFF.</param>
/// <param name="Quicklook">The PNG beside it.</param>
/// <param name="Warped">How the coarse LST was brought onto the model's grid, or null when it lay on it.</param>
/// <param name="Padded">How far the working grid was padded past the guidance's right and bottom edges (HR px).</param>
/// <param name="ConsistencyBefore">Consistency error (K) of the network's output.</param>
/// <param name="ConsistencyAfter">Consistency error (K) of what was written.</param>
/// <param name="TruthRmse">RMSE (K) against the truth, when one was given.</param>
public sealed record PredictResult(string Output, string Quicklook, string? Warped, (int Columns, int Rows) Padded,
    double ConsistencyBefore, double ConsistencyAfter, double? TruthRmse);

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
    public static PredictResult Run(PredictOptions o, IProgress<(int Rows, int Total)>? progress = null)
    {
        Core.IO.OutputGuard.RefuseOverlap(o.Output, [(o.Lst, "LR LST"), (o.Guidance, "guidance"), (o.Checkpoint, "checkpoint"), (o.Truth ?? o.Lst, "truth")]);
        var device = Models.TorchSetup.ParseDevice(o.Device);
        using var model = Downscaler.Load(o.Checkpoint).To(device);
        var s = model.Normalization.Scale;
        using var gui = RasterDataset.Open(o.Guidance);
        var channels = model.Normalization.GuidanceShift.Count;
        if (gui.BandCount != channels)
        {
            throw new DataException($"{o.Guidance}: has {gui.BandCount} bands; the model takes {channels} guidance channels");
        }

        if (!gui.HasGeoTransform || gui.CrsWkt.Length == 0)
        {
            throw new DataException($"{o.Guidance}: has no georeference (geotransform and CRS); the LST cannot be placed on it");
        }

        var (w, h) = (gui.Width, gui.Height);
        var coarse = gui.Grid.CoarsenCovering(new ScaleFactor(s));
        var (pw, ph) = (coarse.Width * s, coarse.Height * s);
        var multiple = s * model.Net.SizeMultiple / (int)System.Numerics.BigInteger.GreatestCommonDivisor(s, model.Net.SizeMultiple);
        var win = Math.Min(o.Window, Math.Min(pw, ph));
        win -= win % multiple;
        if (win < multiple || o.Overlap < 0 || o.Overlap >= win)
        {
            throw new UsageException($"--window {o.Window} / --overlap {o.Overlap}: the window must be at least {multiple} px (a multiple of {multiple} for this model and scale), within the scene, and larger than the overlap");
        }

        using var truth = o.Truth is null ? null : OpenTruth(o.Truth, gui.Grid);
        var truthBand = truth?.GetBand(1);
        var warpedPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Output)) ?? ".", Core.IO.AtomicFile.TemporaryName(Path.GetFileName(o.Output) + ".lr.tif"));
        try
        {
            var (lrPath, warped) = OnCoarseGrid(o.Lst, coarse, warpedPath);
            using var lr = RasterDataset.Open(lrPath);
            var lrBand = lr.GetBand(1);
            var xs = Positions(pw, win, win - o.Overlap, s);
            var ys = Positions(ph, win, win - o.Overlap, s);
            var weight = Ramp(win, o.Overlap);
            var acc = new float[win * pw];
            var wsum = new float[win * pw];
            var look = new Quicklook(w, h, s, coarse.Width, truth is not null);
            (double Squares, long Blocks) before = (0, 0), after = (0, 0);
            (double Squares, long Count) error = (0, 0);
            using var writer = GeoTiffWriter.Create(o.Output, gui.Grid, 1, RasterDataType.Float32, -9999, ["lst"]);
            using (TorchSharp.torch.no_grad())
            {
                model.Net.eval();
                for (var k = 0; k < ys.Count; k++)
                {
                    var y = ys[k];
                    var lrRows = ReadCoarse(lrBand, y / s, win / s, coarse.Width);
                    foreach (var x in xs)
                    {
                        using var scope = TorchSharp.torch.NewDisposeScope();
                        var sample = ReadWindow(model.Normalization, gui, lrRows, coarse.Width, x, y, win, s, out var valid);
                        var pred = Downscaler.ToArray(model.Forward(sample));
                        for (var r = 0; r < win; r++)
                        {
                            for (var c = 0; c < win; c++)
                            {
                                if (valid[r * win + c])
                                {
                                    var wt = weight[r] * weight[c];
                                    acc[r * pw + x + c] += wt * pred[r * win + c];
                                    wsum[r * pw + x + c] += wt;
                                }
                            }
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
                    Consistency.Apply(rows, pw, lrDone, s, o.Consistency);
                    Add(ref after, Consistency.Residuals(rows, pw, lrDone, s));
                    var kept = Math.Min(done, h - y);
                    if (kept > 0)
                    {
                        var output = new float[kept * w];
                        for (var r = 0; r < kept; r++)
                        {
                            rows.AsSpan(r * pw, w).CopyTo(output.AsSpan(r * w));
                        }

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
            }

            writer.Commit();
            var png = Path.ChangeExtension(o.Output, ".png");
            look.Write(png, $"{Path.GetFileName(o.Output)}: x{s} {model.Spec.Name}, consistency {o.Consistency.ToString().ToLowerInvariant()}");
            return new PredictResult(o.Output, png, warped, (pw - w, ph - h), Rmse(before), Rmse(after), error.Count == 0 ? null : Math.Sqrt(error.Squares / error.Count));
        }
        finally
        {
            File.Delete(warpedPath);
        }
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
            throw new DataException($"{path}: the truth must lie on the guidance grid ({grid.Width} x {grid.Height} px from the guidance origin)");
        }

        return truth;
    }

    /// <summary>The coarse LST on the model's grid: the file itself when it lies on it, else a warp (average of the
    /// source pixels under each target pixel) into <paramref name="temporary"/>.</summary>
    private static (string Path, string? Warped) OnCoarseGrid(string lst, RasterGrid coarse, string temporary)
    {
        using (var source = RasterDataset.Open(lst))
        {
            if (source.BandCount < 1)
            {
                throw new DataException($"{lst}: has no band");
            }

            var sameCrs = source.Crs is { } c && Crs.FromWkt(coarse.CrsWkt, lst).IsSameAs(c);
            if (sameCrs && source.Width == coarse.Width && source.Height == coarse.Height && source.GeoTransform.IsNear(coarse.Transform))
            {
                return (lst, null);
            }

            Warper.Warp(source, temporary, new WarpOptions { Target = coarse, Method = Resampling.Average });
            var from = FormattableString.Invariant($"{source.Width} x {source.Height} px of {Math.Abs(source.GeoTransform.PixelWidth):0.######} {(source.Crs?.IsGeographic == true ? "deg" : "m")}{(sameCrs ? "" : " in " + (source.Crs?.Name ?? "another CRS"))}");
            var to = FormattableString.Invariant($"{coarse.Width} x {coarse.Height} px of {Math.Abs(coarse.Transform.PixelWidth):0.##} m");
            return (temporary, $"averaged {from} onto the guidance grid coarsened: {to}");
        }
    }

    /// <summary>Whole rows of the coarse LST, NaN where it has nodata.</summary>
    private static float[] ReadCoarse(RasterBand band, int row, int rows, int width)
    {
        var values = new float[rows * width];
        band.Read(new PixelWindow(0, row, width, rows), values);
        ValidityMask.ToNaN(values, band.NoData);
        return values;
    }

    /// <summary>One window's sample: its part of the coarse rows of its row of windows (<paramref name="lrRows"/>,
    /// <paramref name="lrWidth"/> wide) and its guidance, with the pixels the output may use.</summary>
    private static TileSample ReadWindow(Normalization norm, RasterDataset gui, ReadOnlySpan<float> lrRows, int lrWidth, int x, int y, int win, int s, out bool[] valid)
    {
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
            gui.GetBand(b + 1).Read(new PixelWindow(x, y, rw, rh), inside, mask);
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
