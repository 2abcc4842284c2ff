using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Dataset.Cards;

namespace LstPipe.Inference.Contracts;

/// <summary>The LST a model was trained on, recorded in its contract (<see cref="DataContract.LstStatistics"/>): the
/// dataset card's statistics of the LR level's LST (the network's input), over every tile of the dataset.</summary>
/// <param name="Scale">The card's level the statistics are of (<c>120m</c>).</param>
/// <param name="Mean">Mean (K).</param>
/// <param name="Std">Standard deviation (K).</param>
/// <param name="Min">Lowest value (K).</param>
/// <param name="Max">Highest value (K).</param>
public sealed record ContractLstStatistics(string Scale, double Mean, double Std, double Min, double Max)
{
    /// <summary>How many standard deviations the training range is widened by before an input is refused.</summary>
    public const double Widening = 3;

    /// <summary>The least the training range is widened by (K): a model trained on one small scene has a narrow LST
    /// range, and a scene of another day or a real coarse sensor a few kelvins warmer is a warning, not a refusal; a
    /// wrong unit is still tens of kelvins off.</summary>
    public const double MinWideningKelvin = 15;

    /// <summary>The statistics of a card's LST at the level of factor <paramref name="scale"/> (else its finest level),
    /// or null when the card has none.</summary>
    public static ContractLstStatistics? FromCard(DatasetCard card, int scale)
    {
        var level = card.Scales.FirstOrDefault(s => s.Factor == scale) ?? card.Scales.FirstOrDefault();
        var lst = level is null ? null : card.Statistics.FirstOrDefault(s => s.Scale == level.Label)?.Bands
            .FirstOrDefault(b => b.Name == "lst");
        return lst is { Count: > 0 } && double.IsFinite(lst.Mean) && double.IsFinite(lst.Std)
            ? new ContractLstStatistics(level!.Label, lst.Mean, lst.Std, lst.Min, lst.Max)
            : null;
    }

    /// <summary>How far beyond the training range an input's median may lie (K): <see cref="Widening"/> standard
    /// deviations, at least <see cref="MinWideningKelvin"/>.</summary>
    public double Margin => Math.Max(Widening * Std, MinWideningKelvin);

    /// <summary>The statistics and the range a coarse LST's median must lie in, as <c>lstpipe info</c> shows them.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Min:0.##}-{Max:0.##} K (mean {Mean:0.##}, std {Std:0.##} K) at {Scale}, the coarse input; predict and test refuse a " +
            $"coarse LST whose median lies outside {Min - Margin:0.##}-{Max + Margin:0.##} K");

    /// <summary>
    /// Compares an input's LST with the training LST. The rule: the training range widened by
    /// <see cref="Widening"/> standard deviations (at least <see cref="MinWideningKelvin"/>) on each side is what the
    /// model can be asked about; an input whose median lies outside it (most of the input is hotter or colder than
    /// anything the model saw, by far: a wrong unit, a wrong scale, another climate) is refused; an input whose 1st or
    /// 99th percentile lies outside the training range itself gets a warning with the numbers.
    /// </summary>
    /// <param name="input">The input's distribution.</param>
    /// <param name="source">The input, for messages.</param>
    /// <param name="checkpoint">The model, for messages.</param>
    /// <returns>A warning, or null when the input lies within the training range.</returns>
    /// <exception cref="UsageException">The input is far outside the training LST.</exception>
    public string? Compare(LstDistribution input, string source, string checkpoint)
    {
        var inv = CultureInfo.InvariantCulture;
        var margin = Margin;
        var (low, high) = (Min - margin, Max + margin);
        var numbers = string.Create(inv, $"its LST has median {input.Median:0.##} K, 1st-99th percentile {input.P01:0.##}-" +
            $"{input.P99:0.##} K{input.Basis}; {checkpoint} was trained on {Min:0.##}-{Max:0.##} K (mean {Mean:0.##}, std {Std:0.##} K " +
                $"at {Scale})");
        if (input.Median < low || input.Median > high)
        {
            throw new UsageException(string.Create(inv, $"{source}: {numbers}: the median lies outside {low:0.##}-{high:0.##} K " +
                $"(the training range widened by {margin:0.#} K: {Widening} std, at least {MinWideningKelvin} K), so the model " +
                    $"was not trained for it; check the unit " +
                    $"(--lst-units {string.Join("|", Enum.GetValues<TemperatureUnit>().Select(LstUnits.Symbol))}) and scale, " +
                        $"or use a model trained on such temperatures"));
        }

        return input.P01 < Min || input.P99 > Max
            ? $"{source}: {numbers}: part of the input lies outside the temperatures the model was trained on; expect larger errors there"
            : null;
    }
}

/// <summary>An input's LST distribution for <see cref="ContractLstStatistics.Compare"/>.</summary>
/// <param name="P01">1st percentile (K).</param>
/// <param name="Median">Median (K).</param>
/// <param name="P99">99th percentile (K).</param>
/// <param name="Basis">How the percentiles were found, for messages (empty: from the values).</param>
public sealed record LstDistribution(double P01, double Median, double P99, string Basis = "")
{
    /// <summary>Width of a histogram bin (K).</summary>
    public const double BinKelvin = 0.05;

    /// <summary>Bins covering the plausible 150-400 K.</summary>
    public static int Bins => (int)Math.Ceiling((LstUnits.MaxPlausibleKelvin - LstUnits.MinPlausibleKelvin) / BinKelvin) + 1;

    /// <summary>Adds a Kelvin value (finite and plausible) to a histogram of <see cref="Bins"/> bins.</summary>
    public static void Add(long[] histogram, double kelvin) =>
        histogram[Math.Clamp((int)((kelvin - LstUnits.MinPlausibleKelvin) / BinKelvin), 0, histogram.Length - 1)]++;

    /// <summary>The percentiles of a histogram of <see cref="Bins"/> bins (to the bin's centre), or null when it is empty.</summary>
    public static LstDistribution? FromHistogram(long[] histogram)
    {
        var total = histogram.Sum();
        if (total == 0)
        {
            return null;
        }

        double At(double q)
        {
            var (target, seen) = ((long)Math.Ceiling(q * total), 0L);
            for (var i = 0; i < histogram.Length; i++)
            {
                seen += histogram[i];
                if (seen >= Math.Max(1, target))
                {
                    return LstUnits.MinPlausibleKelvin + ((i + 0.5) * BinKelvin);
                }
            }

            return LstUnits.MaxPlausibleKelvin;
        }

        return new LstDistribution(At(0.01), At(0.5), At(0.99));
    }

    /// <summary>A dataset's LST from its card's mean and standard deviation (percentiles of a normal distribution, clamped
    /// to the recorded range): used where only the card is read (<c>test</c> on another dataset).</summary>
    public static LstDistribution FromStatistics(BandStatisticsEntry s) => new(Math.Max(s.Min, s.Mean - (2.326 * s.Std)), s.Mean,
        Math.Min(s.Max, s.Mean + (2.326 * s.Std)), " (mean and mean -+2.33 std of the dataset card)");
}
