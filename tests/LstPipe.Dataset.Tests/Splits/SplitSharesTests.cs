using System.Text.Json;
using LstPipe.Dataset.Splits;

namespace LstPipe.Dataset.Tests.Splits;

/// <summary>A split says how far it is from the ratio asked for, and names the block and buffer that come closest.</summary>
public class SplitSharesTests(SplitDatasetFixture fixture) : IClassFixture<SplitDatasetFixture>
{
    private JsonElement Report() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Dataset, DatasetLayout.SplitFolder, "report.json"))).RootElement;

    [Fact]
    public void Requested_and_achieved_shares_are_reported_and_a_random_split_meets_its_ratio()
    {
        var r = SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Seed = 7 });
        Assert.Equal([0.6, 0.1, 0.3], r.RequestedShares);
        Assert.Equal(r.Train / (double)(r.Train + r.Val + r.Test), r.AchievedShares[0], 3);
        Assert.Null(r.Warning);
        Assert.Equal(3, Report().GetProperty("achievedShares").GetArrayLength());
    }

    [Fact]
    public void A_spatial_split_far_from_its_ratio_warns_and_names_the_closest_block_and_buffer()
    {
        var r = SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Strategy = SplitStrategy.Spatial, Seed = 3 });
        var off = r.RequestedShares.Zip(r.AchievedShares, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(off > SplitShares.Tolerance, $"this dataset's spatial split is {off:P0} off, the case the warning is for");
        Assert.NotNull(r.Warning);
        Assert.Contains("over 10 points off", r.Warning, StringComparison.Ordinal);
        Assert.Equal(r.Warning, Report().GetProperty("warning").GetString());
        var m = System.Text.RegularExpressions.Regex.Match(r.Warning!, @"--block (\d+) --buffer (\d+) comes closest without leakage");
        Assert.True(m.Success, r.Warning);

        var suggested = SplitProcessor.Run(new SplitOptions
        {
            Dataset = fixture.Dataset,
            Strategy = SplitStrategy.Spatial,
            Seed = 3,
            Block = int.Parse(m.Groups[1].Value),
            Buffer = int.Parse(m.Groups[2].Value),
        });
        var closer = suggested.RequestedShares.Zip(suggested.AchievedShares, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(closer < off, $"the suggestion is {closer:P1} off, the default {off:P1}");
        Assert.Equal(0, suggested.Leakage.TestTilesSharingPixelsWithTrainval);
    }
}
