using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Inference.Contracts;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Inference;

/// <summary>
/// The inputs of <c>lstpipe predict</c>, opened and checked against the model's <see cref="DataContract"/> before any
/// window runs: guidance channels matched by name (reordered when they come in another order), the guidance's pixel
/// size against the truth's, the coarse LST's band and unit (values a land surface cannot have are refused), and how
/// much valid coarse LST falls on the guidance. The coarse LST is averaged onto the model's LR grid unless it lies on
/// it; it counts as aligned (its block means are the sensor's own pixels) when it shares the CRS and its pixels and
/// the LR pixels nest whole.
/// </summary>
internal sealed class PredictInputs : IDisposable
{
    private readonly string? _temporary;
    private readonly IDisposable? _abandon;

    private PredictInputs(RasterDataset guidance, string guidancePath, int[] bands, RasterGrid coarse, int window,
        RasterDataset lr, int lrBand, (double Gain, double Offset) toKelvin, string? warped, bool aligned, string? temporary)
    {
        (Guidance, GuidancePath, Bands, Coarse, Window) = (guidance, guidancePath, bands, coarse, window);
        (Lr, LrBand, ToKelvin, Warped, Aligned, _temporary) = (lr, lrBand, toKelvin, warped, aligned, temporary);
        _abandon = temporary is null ? null : Core.Threading.Interruption.OnAbandon(() => File.Delete(temporary));
    }

    /// <summary>The guidance raster.</summary>
    public RasterDataset Guidance { get; }

    /// <summary>The guidance file.</summary>
    public string GuidancePath { get; }

    /// <summary>For each of the model's channels, the 1-based guidance band that feeds it.</summary>
    public int[] Bands { get; }

    /// <summary>The model's LR grid covering the guidance.</summary>
    public RasterGrid Coarse { get; }

    /// <summary>Window edge in HR pixels.</summary>
    public int Window { get; }

    /// <summary>The coarse LST on <see cref="Coarse"/>.</summary>
    public RasterDataset Lr { get; }

    /// <summary>Its band that holds the LST.</summary>
    public int LrBand { get; }

    /// <summary>Stored value to Kelvin: value * Gain + Offset.</summary>
    public (double Gain, double Offset) ToKelvin { get; }

    /// <summary>How the coarse LST was brought onto the LR grid, or null when it lay on it.</summary>
    public string? Warped { get; }

    /// <summary>Whether the LR pixels are whole unions (or parts) of the coarse sensor's pixels.</summary>
    public bool Aligned { get; }

    /// <summary>The coarse LST's distribution on the guidance (Kelvin), for the comparison with the training LST.</summary>
    public LstDistribution? Distribution { get; private set; }

    /// <summary>Opens and checks the inputs.</summary>
    /// <param name="o">The options.</param>
    /// <param name="model">The model, with its contract.</param>
    /// <param name="multiple">The window multiple of the model at its scale.</param>
    /// <param name="temporary">Where a warped coarse LST may be written (deleted on dispose).</param>
    /// <param name="note">Receives what was matched, reordered or assumed.</param>
    /// <exception cref="UsageException">An input the model was not trained for.</exception>
    /// <exception cref="DataException">A coarse LST with too little valid data on the guidance.</exception>
    public static PredictInputs Open(PredictOptions o, IDownscaler model, int multiple, string temporary, Action<string> note)
    {
        var s = model.Normalization.Scale;
        var scene = SceneFolder.IsSceneFolder(o.Guidance) ? SceneFolder.Open(o.Guidance) : null;
        var guidancePath = scene?.GuidancePath ?? o.Guidance;
        var gui = RasterDataset.Open(guidancePath);
        try
        {
            if (!gui.HasGeoTransform || gui.CrsWkt.Length == 0)
            {
                throw new DataException($"{guidancePath}: has no georeference (geotransform and CRS); the LST cannot be placed on it");
            }

            var bands = MatchBands(o, model, gui, guidancePath, scene, note);
            if (model.Contract is { } contract)
            {
                var ground = GroundPixel.Of(gui.Grid, guidancePath);
                var (tr, here) = (Metres(contract.TruthResolutionMetres), Metres(ground.NominalMetres));
                var metric = ground.MapUnitsAreGroundMetres(0.02);
                var warp = metric ? $"gdalwarp -tr {tr} {tr} -r average"
                    : $"gdalwarp -t_srs {UtmOf(gui)} -tr {tr} {tr} -r average, onto a grid in metres on the ground";
                ContractCheck.CheckResolution(contract, ground.NominalMetres, guidancePath, o.Checkpoint,
                    $"resample the guidance to {tr} m ({warp}), or use a model trained on {here} m truth",
                    metric ? "its pixels are" : $"its pixels are {ground.MapSize(gui.Crs!.Label)}, on the ground");
            }

            CheckGuidanceValues(o, model.Contract, gui, guidancePath, scene);
            var coarse = gui.Grid.CoarsenCovering(new ScaleFactor(s));
            var (pw, ph) = (coarse.Width * s, coarse.Height * s);
            if (pw < multiple || ph < multiple)
            {
                throw new UsageException($"{guidancePath}: {gui.Width} x {gui.Height} px is smaller than the {multiple} x {multiple} px " +
                    $"this model takes at x{s}; give guidance of at least that size");
            }

            var window = Math.Min(o.Window, Math.Min(pw, ph));
            window -= window % multiple;
            if (window < multiple || o.Overlap < 0 || o.Overlap >= window)
            {
                throw new UsageException($"--window {o.Window} / --overlap {o.Overlap}: the window must be at least {multiple} px " +
                    $"(a multiple of {multiple} for this model and scale) and larger than the overlap");
            }

            var lstScene = SceneFolder.IsSceneFolder(o.Lst) ? SceneFolder.Open(o.Lst) : null;
            var (lstPath, declared) = (lstScene?.LstPath ?? o.Lst, lstScene?.LstUnit);
            var (lr, band, toKelvin, warped, aligned, made) = OpenCoarse(o, lstPath, declared, coarse, temporary, note);
            var inputs = new PredictInputs(gui, guidancePath, bands, coarse, window, lr, band, toKelvin, warped, aligned, made);
            try
            {
                inputs.CheckCoarseValues(lstPath, s);
                return inputs;
            }
            catch
            {
                inputs.Dispose();
                throw;
            }
        }
        catch
        {
            gui.Dispose();
            throw;
        }
    }

    /// <summary>The guidance band of each of the model's channels.</summary>
    private static int[] MatchBands(PredictOptions o, IDownscaler model, RasterDataset gui, string path, SceneFolder? scene,
        Action<string> note)
    {
        var channels = model.Normalization.GuidanceShift.Count;
        if (o.GuidanceBands is { } listed && listed.Count != gui.BandCount)
        {
            throw new UsageException($"--guidance-bands lists {listed.Count} names; {path} has {gui.BandCount} bands (name " +
                $"each, in band order)");
        }

        if (model.Contract is not { } contract)
        {
            note($"{o.Checkpoint} records no data contract (written before lstpipe recorded one): its channels, resolution and truth " +
                 "are not checked; re-save it with 'lstpipe convert CHECKPOINT NEW.safetensors --dataset DATASET'");
            return gui.BandCount == channels ? Enumerable.Range(1, channels).ToArray()
                : throw new UsageException($"{path}: has {gui.BandCount} bands; the model takes {channels} guidance channels");
        }

        IReadOnlyList<InputChannel> input = o.GuidanceBands is { } names ? names.Select(n => new InputChannel(n, null)).ToArray()
            : scene is not null ? scene.Manifest.Guidance.Bands.Select(c => new InputChannel(c.Name, c.Kind)).ToArray()
            : gui.Bands.Select(b => new InputChannel(b.Description, null)).ToArray();
        var order = ContractCheck.MatchChannels(contract, input, path, o.Checkpoint,
            "name them with --guidance-bands " + string.Join(",", contract.ChannelNames) + " (in band order), or pass a scene " +
                "folder", out var matched);
        if (matched is not null)
        {
            note(matched);
        }

        return order.Select(b => b + 1).ToArray();
    }

    /// <summary>Judges every guidance band (<see cref="GuidanceCheck.Values"/>) on a grid of up to 64 x 64 evenly
    /// spaced pixels: each band of the kind its scene, the model's channel of its name or GrokLST's says.</summary>
    private static void CheckGuidanceValues(PredictOptions o, DataContract? contract, RasterDataset gui, string path, SceneFolder? scene)
    {
        var names = o.GuidanceBands?.ToArray() ?? scene?.Manifest.Guidance.Bands.Select(c => c.Name).ToArray()
            ?? gui.Bands.Select(b => b.Description).ToArray();
        string? KindOf(int b) => scene?.Manifest.Guidance.Bands[b].Kind
            ?? contract?.Guidance.FirstOrDefault(c => Same(c.Name, names[b]))?.Kind
            ?? GuidanceChannel.GrokLst.FirstOrDefault(c => Same(c.Name, names[b]))?.Kind;
        var (rows, cols) = (Math.Min(64, gui.Height), Math.Min(64, gui.Width));
        var (row, mask) = (new float[gui.Width], new byte[gui.Width]);
        var values = Enumerable.Range(0, gui.BandCount).Select(_ => new float[rows * cols]).ToArray();
        for (var b = 0; b < values.Length; b++)
        {
            for (var i = 0; i < rows; i++)
            {
                gui.GetBand(b + 1).Read(new PixelWindow(0, (int)((i + 0.5) * gui.Height / rows), gui.Width, 1), row, mask);
                for (var j = 0; j < cols; j++)
                {
                    var x = (int)((j + 0.5) * gui.Width / cols);
                    values[b][i * cols + j] = mask[x] != 0 && float.IsFinite(row[x]) ? row[x] : float.NaN;
                }
            }
        }

        GuidanceCheck.Values([.. names.Select((n, b) => ((string?)n, KindOf(b)))], [.. values.Select(v => (ReadOnlyMemory<float>)v)], path,
            "name each band after its contents (band descriptions, or --guidance-bands in band order)");
    }

    private static string Metres(double m) => m.ToString("0.##", CultureInfo.InvariantCulture);

    private static bool Same(string a, string? b) => string.Equals(a, b?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The WGS 84 UTM zone (<c>EPSG:326xx</c>) at a raster's centre.</summary>
    private static string UtmOf(RasterDataset r)
    {
        var (x, y) = r.GeoTransform.PixelToMap(r.Width / 2.0, r.Height / 2.0);
        var (lon, lat) = (new[] { x }, new[] { y });
        r.Crs!.TransformPoints(Crs.FromEpsg(4326), lon, lat);
        return double.IsFinite(lon[0]) ? "EPSG:" + Crs.UtmEpsg(lon[0], lat[0]).ToString(CultureInfo.InvariantCulture) : "EPSG:326xx";
    }

    private static (RasterDataset Lr, int Band, (double, double) ToKelvin, string? Warped, bool Aligned, string? Made) OpenCoarse(
        PredictOptions o, string lst, TemperatureUnit? declared, RasterGrid coarse, string temporary, Action<string> note)
    {
        using var source = RasterDataset.Open(lst);
        var band = o.LstBand ?? (source.BandCount == 1 ? 1
            : throw new UsageException($"{lst}: has {source.BandCount} bands; choose the LST with --lst-band N"));
        if (band < 1 || band > source.BandCount)
        {
            throw new UsageException($"--lst-band {band}: {lst} has {source.BandCount} band(s)");
        }

        var b = source.GetBand(band);
        var unit = o.LstUnit ?? declared;
        if (unit is null && b.Unit.Length > 0)
        {
            unit = LstUnits.TryParse(b.Unit)
                ?? throw new UsageException($"{lst}: band {band} declares the unit '{b.Unit}', not a temperature; give an LST " +
                    $"in K, C or F (--lst-units K|C|F if it is one)");
        }

        var place = new LstPlace(lst, source.Width, 0, unit ?? TemperatureUnit.Kelvin, "check its unit, scale and band (--lst-units, " +
            "--lst-band)")
        { Gain = b.Scale ?? 1, Offset = b.Offset ?? 0, UnitOption = "--lst-units" };
        LstCheck.Band(source, band, place);
        var (ug, uo) = LstUnits.KelvinLinear(unit ?? TemperatureUnit.Kelvin);
        var (gain, offset) = ((b.Scale ?? 1) * ug, ((b.Offset ?? 0) * ug) + uo);
        if (gain != 1 || offset != 0)
        {
            note(string.Create(CultureInfo.InvariantCulture, $"coarse LST: stored values x {gain:R} + {offset:R} to Kelvin " +
                $"({lst} band {band})"));
        }

        var sameCrs = source.Crs is { } c && Crs.FromWkt(coarse.CrsWkt, lst).IsSameAs(c);
        if (sameCrs && source.Width == coarse.Width && source.Height == coarse.Height && source.GeoTransform.IsNear(coarse.Transform))
        {
            return (RasterDataset.Open(lst), band, (gain, offset), null, true, null);
        }

        Warper.Warp(source, temporary, new WarpOptions { Target = coarse, Method = Resampling.Average });
        var from = string.Create(CultureInfo.InvariantCulture,
            $"{source.Width} x {source.Height} px of {Math.Abs(source.GeoTransform.PixelWidth):0.######} " +
                $"{(source.Crs?.IsGeographic == true ? "deg" : "m")}" +
            $"{(sameCrs ? "" : " in " + (source.Crs?.Name ?? "another CRS"))}");
        var to = string.Create(CultureInfo.InvariantCulture, $"{coarse.Width} x {coarse.Height} px of " +
            $"{Math.Abs(coarse.Transform.PixelWidth):0.##} m");
        return (RasterDataset.Open(temporary), band, (gain, offset), $"averaged {from} onto the guidance grid coarsened: {to}",
            sameCrs && Nested(source.GeoTransform, coarse.Transform), temporary);
    }

    /// <summary>Whether two north-up grids' pixels nest whole: one pixel size a whole multiple of the other and the
    /// origins a whole number of the finer pixels apart.</summary>
    internal static bool Nested(GeoTransform a, GeoTransform b)
    {
        if (!a.IsNorthUp || !b.IsNorthUp)
        {
            return false;
        }

        static bool Integer(double v) => Math.Abs(v - Math.Round(v)) < 1e-6;
        var fine = Math.Min(a.PixelWidth, b.PixelWidth);
        var square = Math.Abs(a.PixelWidth + a.PixelHeight) < 1e-9 * fine && Math.Abs(b.PixelWidth + b.PixelHeight) < 1e-9 * fine;
        return square && Integer(Math.Max(a.PixelWidth, b.PixelWidth) / fine)
               && Integer((a.OriginX - b.OriginX) / fine) && Integer((a.OriginY - b.OriginY) / fine);
    }

    /// <summary>Refuses a coarse LST that leaves too little of the guidance with a valid coarse pixel: none, or fewer
    /// than one window's worth (or half the scene, when the scene is smaller than a window); finds its
    /// <see cref="Distribution"/>. Its values were judged before it was warped (<see cref="LstCheck"/>).</summary>
    private void CheckCoarseValues(string lst, int scale)
    {
        var band = Lr.GetBand(LrBand);
        var rows = Math.Max(1, (1 << 20) / Coarse.Width);
        var values = new float[rows * Coarse.Width];
        var valid = 0L;
        var histogram = new long[LstDistribution.Bins];
        foreach (var strip in Coarse.Extent.Strips(rows))
        {
            var span = values.AsSpan(0, (int)strip.Area);
            band.Read(strip, span);
            ValidityMask.ToNaN(span, band.NoData);
            foreach (var v in span)
            {
                if (float.IsFinite(v))
                {
                    valid++;
                    LstDistribution.Add(histogram, (v * ToKelvin.Gain) + ToKelvin.Offset);
                }
            }
        }

        Distribution = LstDistribution.FromHistogram(histogram);

        var needed = (long)Math.Min((double)(Window / scale) * (Window / scale), 0.5 * Coarse.Width * Coarse.Height);
        if (valid == 0 || valid < needed)
        {
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"{lst}: {(valid == 0 ? "no valid pixel of it falls" : $"only {valid} valid pixels of it fall")} on the " +
                    $"guidance {GuidancePath} " +
                $"({Coarse.Width} x {Coarse.Height} coarse " +
                    $"pixels{(valid == 0 ? "" : $"; at least {needed}, one window's worth, are needed")}); " +
                $"give a coarse LST that covers the guidance"));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Lr.Dispose();
        Guidance.Dispose();
        _abandon?.Dispose();
        if (_temporary is not null)
        {
            File.Delete(_temporary);
        }
    }
}
