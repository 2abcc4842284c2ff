using LstPipe.Core.Errors;
using LstPipe.Core.Options;
using LstPipe.Dataset.Splits;

namespace LstPipe.Dataset.Tests.Splits;

public class SplitRatioTests
{
    [Theory]
    [InlineData("6:1")]
    [InlineData("a:b:c")]
    [InlineData("0:0:0")]
    [InlineData("-1:1:1")]
    [InlineData("6:1:3:1")]
    [InlineData("6:1:")]
    [InlineData("NaN:1:1")]
    public void Bad_ratios_are_usage_errors_with_an_example(string text)
    {
        var ratio = OptionSchema<SplitOptions>.Find("ratio")!;
        var e = Assert.Throws<UsageException>(() => OptionSchema<SplitOptions>.Parse(ratio, text, "ratio"));
        Assert.StartsWith($"ratio {text}: give three non-negative numbers", e.Message);
        Assert.Contains("for example 6:1:3", e.Message);
    }

    [Fact]
    public void Allocation_never_loses_or_duplicates_and_stays_within_one_of_the_quota()
    {
        foreach (var text in new[] { "6:1:3", "1:1:1", "0:0:1", "7:0:3", "0.6:0.1:0.3", "2:3:5", "1:0:0" })
        {
            var ratio = SplitRatio.Parse(text);
            var shares = new[] { ratio.Train, ratio.Val, ratio.Test };
            for (var n = 0; n <= 400; n++)
            {
                var counts = ratio.Allocate(n);
                Assert.Equal(n, counts.Sum());
                for (var i = 0; i < 3; i++)
                {
                    Assert.True(Math.Abs(counts[i] - n * shares[i] / shares.Sum()) < 1, $"{text}, n={n}: {string.Join(",", counts)}");
                    Assert.True(shares[i] > 0 || counts[i] == 0);
                }
            }
        }
    }

    [Fact]
    public void GrokLst_ratio_on_641_tiles()
    {
        Assert.Equal([385, 64, 192], SplitRatio.GrokLst.Allocate(641));
    }
}
