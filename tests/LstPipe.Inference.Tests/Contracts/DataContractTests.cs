using LstPipe.Dataset.Cards;
using LstPipe.Inference.Contracts;
using LstPipe.Raster.Scenes;

namespace LstPipe.Inference.Tests.Contracts;

public class DataContractTests
{
    private static DatasetCard Card(double? resampledFrom = null, double? coarsenedFrom = null) => new()
    {
        TileCount = 1,
        TileSize = 64,
        Step = 32,
        Overlap = 0.5,
        BaseResolutionMetres = coarsenedFrom is null ? 30 : 120,
        TruthResampledFrom = resampledFrom,
        TruthCoarsenedFrom = coarsenedFrom,
        MaxNoData = 0,
        CoarseMinValidFraction = 1,
        Scales = [new CardScale("30m", 1, 64, 30)],
        Lst = new CardLst("data", "K"),
        Guidance = [GuidanceChannel.GrokLst[0], GuidanceChannel.GrokLst[4] with { Description = "red top-of-atmosphere reflectance" }],
        Mat = new CardMat("5", "zlib"),
        Statistics = [],
        Scenes = [new CardScene
        {
            Id = "s", Path = "s", Sha256 = new Dictionary<string, string>(), CrsWkt = "", FirstTile = 0, Tiles = 1, SkippedNoData = 0,
            Columns = 1, Rows = 1, CoveragePercent = 100, Moments = [], Sensor = "Landsat 8 OLI/TIRS", NativeResolutionMetres = 100,
        }],
        Provenance = new CardProvenance("lstpipe", "0", []),
    };

    [Fact]
    public void A_dataset_s_contract_names_its_channels_kinds_resolutions_and_how_its_truth_was_made()
    {
        var c = DataContract.FromCard(Card(coarsenedFrom: 30), 4, "card", null);
        Assert.Equal(["dem", "red"], c.ChannelNames);
        Assert.Equal(["elevation", "reflectance-toa"], c.Guidance.Select(g => g.Kind));
        Assert.Equal((120.0, 480.0, 4), (c.TruthResolutionMetres, c.LrResolutionMetres, c.Scale));
        Assert.Equal(new ContractTruth("native", "Landsat 8 OLI/TIRS", 100, CoarsenedFromMetres: 30), c.Truth);
        Assert.Contains("averaged from 30 m onto the sensor's resolution (Landsat 8 OLI/TIRS, native 100 m)", c.Truth.Describe(), StringComparison.Ordinal);

        var resampled = DataContract.FromCard(Card(resampledFrom: 100), 2, "card", null).Truth;
        Assert.Equal(("resampled", 100.0), (resampled.Method, resampled.ResampledFromMetres!.Value));
        Assert.Contains("holds no finer detail", resampled.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void GrokLst_s_published_models_get_grokLst_s_contract()
    {
        var c = DataContract.GrokLst(8);
        Assert.Equal(GuidanceChannel.GrokLstNames, c.ChannelNames);
        Assert.Equal((30.0, 240.0, "published", "SDGSAT-1 TIS", "groklst"), (c.TruthResolutionMetres, c.LrResolutionMetres, c.Truth.Method, c.Truth.Sensor, c.Normalization));
    }
}
