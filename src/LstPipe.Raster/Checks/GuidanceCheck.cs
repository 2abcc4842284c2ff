using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Raster.Scenes;

namespace LstPipe.Raster.Checks;

/// <summary>
/// The one place that judges guidance channels, called wherever guidance enters the toolkit (scene folders, crop,
/// <c>.mat</c> tiles, Parquet shards, predict's guidance raster, ingest before it writes). A channel list must name
/// each channel once and give each a known kind; values must fit their kind (<see cref="RangeOf"/>), and where an index
/// and the reflectances it is made of are all present (<see cref="Relations"/>) the index must equal its formula within
/// <see cref="IndexTolerance"/>. When a check fails but passes with two channels exchanged, the error names the pair.
/// Values are judged on an evenly strided sample of at most <see cref="SamplePixels"/> pixels (docs/DATASET.md).
/// </summary>
public static class GuidanceCheck
{
    /// <summary>Largest median absolute difference between an index and its formula over the reflectances beside it,
    /// measured on real Landsat 8 and synthetic scenes at 30 m to 960 m (docs/DATASET.md, "Guidance checks").</summary>
    public const double IndexTolerance = 0.03;

    /// <summary>Share of a channel's valid pixels that may lie below, and again above, its kind's range.</summary>
    public const double RangeShare = 0.01;

    /// <summary>Pixels judged per call at most: an evenly strided sample of the values given.</summary>
    public const int SamplePixels = 4096;

    /// <summary>Fewest valid pixels a range or a formula is judged on; fewer say nothing either way.</summary>
    public const int MinPixels = 32;

    /// <summary>The normalized-difference indices checked against their formulas: the index channel is
    /// (<c>A</c> - <c>B</c>) / (<c>A</c> + <c>B</c>) of the two reflectance channels.</summary>
    public static IReadOnlyList<(string Index, string A, string B)> Relations { get; } = [("ndvi", "nir", "red"), ("ndwi", "green", "nir")];

    /// <summary>The values a channel of a kind can hold: elevation -500 to 9,000 m, reflectance -0.5 to 2 (surface
    /// reflectance dips below 0 and clouds and snow pass 1), a normalized-difference index -1 to 1; null for the kinds
    /// judged by no range.</summary>
    public static (double Min, double Max)? RangeOf(string? kind) => kind switch
    {
        "elevation" => (-500, 9000),
        "reflectance-toa" or "reflectance-surface" => (-0.5, 2),
        "index" => (-1.0001, 1.0001),
        _ => null,
    };

    /// <summary>Refuses a channel list that names a channel twice or gives one a missing or unknown kind.</summary>
    /// <param name="channels">The channels in their order.</param>
    /// <param name="source">The file that lists them, for the message.</param>
    /// <exception cref="DataException">The list is not one lstpipe can judge.</exception>
    public static void Channels(IReadOnlyList<GuidanceChannel> channels, string source) =>
        Channels([.. channels.Select(c => ((string?)c.Name, (string?)c.Kind))], source);

    /// <inheritdoc cref="Channels(IReadOnlyList{GuidanceChannel}, string)"/>
    public static void Channels(IReadOnlyList<(string? Name, string? Kind)> channels, string source)
    {
        Names([.. channels.Select(c => c.Name)], source);
        foreach (var (name, kind) in channels)
        {
            if (string.IsNullOrWhiteSpace(kind))
            {
                throw new DataException($"{source}: guidance channel '{name}' has no kind; give it one of " +
                    $"{string.Join(", ", Scenes.GuidanceKinds.All)}");
            }

            if (!Scenes.GuidanceKinds.IsKnown(kind))
            {
                throw new DataException($"{source}: guidance channel '{name}' is of kind '{kind}', which lstpipe does not know; " +
                    $"use one of {string.Join(", ", Scenes.GuidanceKinds.All)}");
            }
        }
    }

    /// <summary>Refuses channel names that repeat (letter case aside); unnamed channels are not compared.</summary>
    /// <exception cref="DataException">A name repeats.</exception>
    public static void Names(IReadOnlyList<string?> names, string source)
    {
        if (names.Where(n => !string.IsNullOrWhiteSpace(n)).GroupBy(n => n!.Trim(), StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DataException($"{source}: {twice.Count()} guidance channels are named '{twice.Key}'; name each channel once, " +
                "after its contents");
        }
    }

    /// <summary>Judges one tile's (or one strip's) guidance: the channel list, then the values.</summary>
    /// <param name="channels">The channels in the order of <paramref name="values"/>.</param>
    /// <param name="values">One array per channel, all of the same length, pixel for pixel; NaN is nodata.</param>
    /// <param name="source">The file the values come from, for the message.</param>
    /// <param name="fix">The way forward, as the message ends (see <see cref="Values"/>).</param>
    /// <exception cref="DataException">The channels or their values are wrong.</exception>
    public static void Tile(IReadOnlyList<GuidanceChannel> channels, IReadOnlyList<float[]> values, string source, string? fix = null) =>
        Tile(channels, values.Select(v => (ReadOnlyMemory<float>)v).ToArray(), source, fix);

    /// <summary>Judges the pixels <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> of
    /// each channel's buffer (the rows of a strip just read or computed) as <c>Tile</c> does.</summary>
    /// <exception cref="DataException">The channels or their values are wrong.</exception>
    public static void Strip(IReadOnlyList<GuidanceChannel> channels, IReadOnlyList<float[]> buffers, int start, int length,
        string source, string? fix = null) =>
        Tile(channels, buffers.Select(b => (ReadOnlyMemory<float>)b.AsMemory(start, length)).ToArray(), source, fix);

    /// <inheritdoc cref="Tile(IReadOnlyList{GuidanceChannel}, IReadOnlyList{float[]}, string, string?)"/>
    public static void Tile(IReadOnlyList<GuidanceChannel> channels, IReadOnlyList<ReadOnlyMemory<float>> values, string source,
        string? fix = null)
    {
        var named = channels.Select(c => ((string?)c.Name, (string?)c.Kind)).ToArray();
        Channels(named, source);
        Values(named, values, source, fix);
    }

    /// <summary>Judges guidance values: each channel's against its kind's range, each index of
    /// <see cref="Relations"/> against its formula; on failure, names two channels that look swapped when exchanging
    /// them passes every check.</summary>
    /// <param name="channels">Each channel's name (null or empty: unnamed, judged by no formula) and kind (null: judged by
    /// no range), in the order of <paramref name="values"/>.</param>
    /// <param name="values">One array per channel, all of the same length, pixel for pixel; NaN is nodata.</param>
    /// <param name="source">The file the values come from, for the message.</param>
    /// <param name="fix">The way forward, as the message ends; by default to name the channels after their contents.</param>
    /// <exception cref="DataException">The values are not those of the channels named.</exception>
    public static void Values(IReadOnlyList<(string? Name, string? Kind)> channels, IReadOnlyList<ReadOnlyMemory<float>> values,
        string source, string? fix = null)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(values.Count, channels.Count, nameof(values));
        Names(channels.Select(c => c.Name).ToArray(), source);
        var judge = new GuidanceJudge(channels, values);
        if (judge.Fault(judge.Identity) is not { } fault)
        {
            return;
        }

        fix ??= "name the channels after their contents (and check their scale)";
        throw new DataException(judge.Swapped() is { } pair
            ? $"{source}: '{pair.A}' and '{pair.B}' look swapped: {fault}, and every check passes with the two exchanged; {fix}"
            : $"{source}: {fault}; {fix}");
    }

    /// <summary>The evenly strided sample of <paramref name="values"/> that <see cref="Values"/> judges: judging the
    /// sample gives what judging the values gives, so a reader that holds one channel at a time can keep samples.</summary>
    public static float[] Sample(ReadOnlySpan<float> values)
    {
        var stride = Stride(values.Length);
        var sample = new float[(values.Length + stride - 1) / stride];
        for (var k = 0; k < sample.Length; k++)
        {
            sample[k] = values[k * stride];
        }

        return sample;
    }

    /// <summary>Step between sampled pixels: 1 up to <see cref="SamplePixels"/> values, else odd, so a sample of a
    /// tile does not fall on the same few columns of every row.</summary>
    internal static int Stride(int length) => length <= SamplePixels ? 1 : ((length + SamplePixels - 1) / SamplePixels) | 1;

    internal static string Format(double v) => v.ToString(Math.Abs(v) >= 100 ? "0.#" : "0.####", CultureInfo.InvariantCulture);
}
