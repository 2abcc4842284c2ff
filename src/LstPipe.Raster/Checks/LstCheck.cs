using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Checks;

/// <summary>
/// The one place that judges LST values, called by every reader of LST (scene folders, <c>.mat</c> tiles, Parquet
/// shards, GeoTIFF inputs, ingest outputs, the real-LR level, model outputs): a value that is not finite and not
/// nodata (+-Inf, or NaN where nodata is a number) is a data error naming the file and the pixel; so is a value outside
/// the 150-400 K of any land surface, with the units (Celsius, Fahrenheit) the whole range of values would fit. One
/// pass over values already decoded; nothing is read again.
/// </summary>
public static class LstCheck
{
    /// <summary>The fix named for a dataset tile.</summary>
    public const string TileFix = "a dataset's LST is in Kelvin: convert the scenes' LST (scene.json lst.unit) and crop again";

    /// <summary>Checks an LST tile in Kelvin whose nodata is NaN (a <c>.mat</c> tile, a Parquet row, a model's output).</summary>
    /// <param name="values">The tile, row-major.</param>
    /// <param name="width">Its width, to name the pixel.</param>
    /// <param name="path">The file (or file and row) named in the error.</param>
    /// <param name="fix">What to do, for the message.</param>
    /// <exception cref="DataException">A value is +-Inf or outside 150-400 K.</exception>
    public static void Tile(ReadOnlySpan<float> values, int width, string path, string fix = TileFix)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is < (float)LstUnits.MinPlausibleKelvin or > (float)LstUnits.MaxPlausibleKelvin)
            {
                var place = new LstPlace(path, width, 0, TemperatureUnit.Kelvin, fix);
                var (min, max) = new Scan(null, place).Range(values, 0);
                throw Error(values[i], i, min, max, place);
            }
        }
    }

    /// <summary>The largest share of a strip's valid LST pixels <see cref="MaskOutliers"/> turns into nodata; more
    /// outside 150-400 K is a wrong unit or calibration, refused by <see cref="Rows"/>.</summary>
    public const double OutlierShare = 0.01;

    /// <summary>Turns the few finite values outside 150-400 K of a strip a product computed (a gas flare, a fire, a
    /// split-window artefact at a cloud edge) into NaN, when they are at most <see cref="OutlierShare"/> of its valid
    /// pixels; otherwise leaves them for <see cref="Rows"/> to refuse.</summary>
    /// <returns>The values turned into NaN.</returns>
    public static int MaskOutliers(Span<float> values)
    {
        var (valid, outside) = (0, 0);
        foreach (var v in values)
        {
            valid += float.IsFinite(v) ? 1 : 0;
            outside += float.IsFinite(v) && !LstUnits.IsPlausible(v) ? 1 : 0;
        }

        if (outside == 0 || outside > OutlierShare * valid)
        {
            return 0;
        }

        foreach (ref var v in values)
        {
            v = float.IsFinite(v) && !LstUnits.IsPlausible(v) ? float.NaN : v;
        }

        return outside;
    }

    /// <summary>Checks rows of a raster read as stored and converts them to Kelvin in place: nodata becomes NaN, a NaN
    /// where nodata is a number, +-Inf and a value outside 150-400 K (after conversion) are data errors.</summary>
    /// <param name="values">Whole rows, as stored.</param>
    /// <param name="noData">The band's nodata value; null or NaN: NaN is nodata.</param>
    /// <param name="place">The file, its width, the first row's index, the unit the values are in and the fix.</param>
    /// <exception cref="DataException">A value is not finite and not nodata, or not a plausible LST.</exception>
    public static void Rows(Span<float> values, double? noData, LstPlace place)
    {
        var scan = new Scan(noData, place);
        var bad = scan.FirstBad(values);
        if (bad >= 0)
        {
            var (min, max) = scan.Range(values, bad);
            throw Error(values[bad], bad, min, max, place);
        }
    }

    /// <summary>Checks every value of band <paramref name="band"/> of a raster, read by strips of rows (for rasters read
    /// elsewhere through GDAL's warper: the coarse LST of <c>predict</c>, the coarse scene of the real-LR level, the scene
    /// of <c>degrade</c>); the unit hint is judged on the range of the whole band.</summary>
    /// <exception cref="DataException">A value is not finite and not nodata, or not a plausible LST.</exception>
    /// <exception cref="UsageException">With <see cref="LstPlace.UnitOption"/>: the values are not plausible in the unit.</exception>
    public static void Band(RasterDataset raster, int band, LstPlace place)
    {
        var b = raster.GetBand(band);
        var rows = Math.Max(1, (1 << 20) / Math.Max(1, raster.Width));
        var values = new float[rows * raster.Width];
        var scan = new Scan(b.NoData, place with { Width = raster.Width });
        var (first, value, min, max) = (-1L, 0f, double.PositiveInfinity, double.NegativeInfinity);
        foreach (var strip in raster.Extent.Strips(rows))
        {
            var span = values.AsSpan(0, (int)strip.Area);
            b.Read(strip, span);
            var bad = first < 0 ? scan.FirstBad(span) : 0;
            if (bad >= 0 && first < 0)
            {
                (first, value) = (((long)strip.Y * raster.Width) + bad, span[bad]);
            }

            var (lo, hi) = scan.Range(span, bad < 0 ? span.Length : bad);
            (min, max) = (Math.Min(min, lo), Math.Max(max, hi));
        }

        if (first >= 0)
        {
            throw Error(value, first, min, max, place with { Width = raster.Width, FirstRow = 0 });
        }
    }

    private static Exception Error(float v, long bad, double min, double max, LstPlace place)
    {
        var inv = CultureInfo.InvariantCulture;
        var pixel = string.Create(inv, $"row {place.FirstRow + (bad / place.Width)}, column {bad % place.Width}");
        if (!float.IsFinite(v))
        {
            return new DataException($"{place.Path}: the LST at {pixel} is {Name(v)}, neither a temperature nor nodata; " +
                $"mask it as nodata (NaN) or fix what wrote it");
        }

        var unit = LstUnits.Symbol(place.Unit);
        var fits = LstUnits.UnitsThatFit(min, max).Where(u => u != place.Unit).Select(LstUnits.Symbol).ToArray();
        var fix = place.UnitOption is { } option && fits.Length > 0 ? $"pass {option} {string.Join(" or ", fits)}" : place.Fix;
        var declared = (v * place.Gain) + place.Offset;
        var stored = place.Gain == 1 && place.Offset == 0 ? "" : $" (stored {Number(v)})";
        var kelvin = place.Unit == TemperatureUnit.Kelvin ? "" : string.Create(inv, $" ({LstUnits.ToKelvin(declared, place.Unit):0.##} K)");
        var message = string.Create(inv,
            $"{place.Path}: holds an LST of {Number(declared)} {unit}{kelvin}{stored} at {pixel} (values {Number(min)} to " +
                $"{Number(max)} {unit}), outside the 150-400 K of any land surface ({LstUnits.Hint(min, max, place.Unit)}); {fix}");
        return place.UnitOption is null ? new DataException(message) : new UsageException(message);
    }

    private static string Number(double v) => v.ToString(Math.Abs(v) < 1e6 ? "0.###" : "G4", CultureInfo.InvariantCulture);

    private static string Name(float v) => float.IsNaN(v) ? "NaN (the band's nodata is a number)" : v > 0 ? "+Infinity" : "-Infinity";

    /// <summary>One pass over stored values: nodata to NaN, the rest to Kelvin, up to the first bad value.</summary>
    private readonly struct Scan
    {
        private readonly float _noData;
        private readonly bool _numeric;
        private readonly double _gain;
        private readonly double _offset;
        private readonly LstPlace _place;

        public Scan(double? noData, LstPlace place)
        {
            _noData = noData is { } d && !double.IsNaN(d) ? (float)d : float.NaN;
            _numeric = !float.IsNaN(_noData);
            var (g, o) = LstUnits.KelvinLinear(place.Unit);
            (_gain, _offset, _place) = (place.Gain * g, (place.Offset * g) + o, place);
        }

        /// <summary>Converts values in place up to the first bad one and returns its index, or -1.</summary>
        public int FirstBad(Span<float> values)
        {
            var (g, o) = ((float)_gain, (float)_offset);
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i];
                if (_numeric && v == _noData)
                {
                    values[i] = float.NaN;
                    continue;
                }

                var k = (v * g) + o;
                if (k is >= (float)LstUnits.MinPlausibleKelvin and <= (float)LstUnits.MaxPlausibleKelvin)
                {
                    values[i] = k;
                }
                else if (_numeric || !float.IsNaN(v))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The range of the finite values in the declared unit; those before <paramref name="stored"/> were
        /// converted to Kelvin, the rest are as stored.</summary>
        public (double Min, double Max) Range(ReadOnlySpan<float> values, int stored)
        {
            var (ug, uo) = LstUnits.KelvinLinear(_place.Unit);
            var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
            for (var i = 0; i < values.Length; i++)
            {
                var x = values[i];
                if (float.IsFinite(x) && !(i >= stored && _numeric && x == _noData))
                {
                    var d = i < stored ? (x - uo) / ug : (x * _place.Gain) + _place.Offset;
                    (min, max) = (Math.Min(min, d), Math.Max(max, d));
                }
            }

            return (min, max);
        }
    }
}

/// <summary>Where LST values come from, for <see cref="LstCheck"/>'s messages and conversion.</summary>
/// <param name="Path">The file named.</param>
/// <param name="Width">Row length in pixels.</param>
/// <param name="FirstRow">Index of the first row of the values in the file.</param>
/// <param name="Unit">The unit the values are in (after <see cref="Gain"/> and <see cref="Offset"/>).</param>
/// <param name="Fix">What to do, for the message.</param>
public readonly record struct LstPlace(string Path, int Width, int FirstRow, TemperatureUnit Unit, string Fix)
{
    /// <summary>The stored values' scale (GDAL's band scale) to <see cref="Unit"/>.</summary>
    public double Gain { get; init; } = 1;

    /// <summary>The stored values' offset (GDAL's band offset) to <see cref="Unit"/>.</summary>
    public double Offset { get; init; }

    /// <summary>The option that chooses the unit (<c>--lst-units</c>), where the command has one: values that fit another
    /// unit are then a usage error that names the option and the unit.</summary>
    public string? UnitOption { get; init; }
}
