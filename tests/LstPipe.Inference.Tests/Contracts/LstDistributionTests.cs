using LstPipe.Core.Errors;
using LstPipe.Dataset.Cards;
using LstPipe.Inference.Contracts;

namespace LstPipe.Inference.Tests.Contracts;

public class LstDistributionTests
{
    private static readonly ContractLstStatistics Trained = new("120m", 300, 5, 285, 318);

    private static LstDistribution Of(IEnumerable<double> kelvin)
    {
        var histogram = new long[LstDistribution.Bins];
        foreach (var k in kelvin)
        {
            LstDistribution.Add(histogram, k);
        }

        return LstDistribution.FromHistogram(histogram)!;
    }

    [Fact]
    public void Percentiles_of_the_histogram_are_those_of_the_values_to_a_bin()
    {
        var d = Of(Enumerable.Range(0, 1001).Select(i => 280 + (i * 0.04)));
        Assert.Equal(280.4, d.P01, 1);
        Assert.Equal(300, d.Median, 1);
        Assert.Equal(319.6, d.P99, 1);
        Assert.Null(LstDistribution.FromHistogram(new long[LstDistribution.Bins]));
    }

    [Fact]
    public void An_input_inside_the_training_range_says_nothing_and_one_reaching_beyond_it_is_a_warning()
    {
        Assert.Null(Trained.Compare(Of(Enumerable.Range(0, 100).Select(i => 290 + (i * 0.2))), "lr.tif", "m.safetensors"));
        var w = Trained.Compare(Of(Enumerable.Range(0, 100).Select(i => 300 + (i * 0.3))), "lr.tif", "m.safetensors");
        Assert.StartsWith("lr.tif: its LST has median 314.68 K, 1st-99th percentile 30", w, StringComparison.Ordinal);
        Assert.Contains("m.safetensors was trained on 285-318 K (mean 300, std 5 K at 120m): part of the input lies outside", w,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_whose_median_is_beyond_the_widened_range_is_refused_with_the_numbers()
    {
        // 290-310 K in Fahrenheit read as Celsius: 335-371 K; the widened range is 270-333 K.
        var e = Assert.Throws<UsageException>(() => Trained.Compare(Of(Enumerable.Range(0, 100).Select(i => 335 + (i * 0.36))), "lr.tif",
            "m.safetensors"));
        Assert.Contains("the median lies outside 270-333 K (the training range widened by 15 K: 3 std, at least 15 K)", e.Message,
            StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => Trained.Compare(Of(Enumerable.Range(0, 100).Select(i => 260.0)), "lr.tif", "m"));
        var narrow = new ContractLstStatistics("960m", 286.81, 1.58, 281.88, 292.67);
        Assert.Contains("part of the input lies outside", narrow.Compare(Of(Enumerable.Range(0, 100).Select(i => 298.4 + (i * 0.03))),
            "modis", "m"), StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => narrow.Compare(Of(Enumerable.Range(0, 100).Select(i => 318 + (i * 0.3))), "modis", "m"));
    }

    [Fact]
    public void A_dataset_is_compared_by_its_card_statistics()
    {
        var d = LstDistribution.FromStatistics(new BandStatisticsEntry("lst", 300, 4, 290, 315, 1000));
        Assert.Equal(290.696, d.P01, 3);
        Assert.Equal(300, d.Median);
        Assert.Equal(309.304, d.P99, 3);
        Assert.Null(Trained.Compare(d, "ds", "m"));
    }
}
