using LstPipe.Ingest.Masks;

namespace LstPipe.Ingest.Tests.Masks;

public class QualityMaskTests
{
    private static readonly HashSet<QualityFlag> Clouds = [QualityFlag.Fill, QualityFlag.Cloud, QualityFlag.DilatedCloud, QualityFlag.Cirrus, QualityFlag.CloudShadow, QualityFlag.Snow];

    [Theory]
    [InlineData(21824, false)] // clear land, low confidences (the common Landsat 8 C2 clear value)
    [InlineData(21952, false)] // clear water: water is a flag, not masked
    [InlineData(1, true)] // fill
    [InlineData(22280, true)] // cloud, high confidence
    [InlineData(23888, true)] // cloud shadow
    [InlineData(54596, true)] // cirrus
    [InlineData(21890, true)] // dilated cloud
    public void Collection_2_qa_pixel_bits(int value, bool masked) =>
        Assert.Equal(masked, new QualityMask(QualityScheme.LandsatC2QaPixel, Clouds).IsMasked(value));

    [Theory]
    [InlineData(20480, false)] // cloud low, cirrus low
    [InlineData(20512, false)] // plus water (bits 4-5 = 10)
    [InlineData(28672, true)] // cirrus high
    [InlineData(45056, true)] // cloud medium
    [InlineData(61440, true)] // cloud high
    [InlineData(1, true)] // designated fill
    public void Landsat_8_pre_collection_bqa_confidences_from_medium(int value, bool masked) =>
        Assert.Equal(masked, new QualityMask(QualityScheme.LandsatPreCollectionBqa, Clouds).IsMasked(value));

    [Fact]
    public void High_confidence_only_keeps_medium_clouds_and_nan_is_always_masked()
    {
        var high = new QualityMask(QualityScheme.LandsatPreCollectionBqa, Clouds, QualityConfidence.High);
        Assert.False(high.IsMasked(45056 & ~0x3000));
        Assert.True(high.IsMasked(61440));
        Assert.True(high.IsMasked(float.NaN));
    }

    [Theory]
    [InlineData(QualityScheme.EcostressQc, 33472, false)]
    [InlineData(QualityScheme.EcostressQc, 33473, false)]
    [InlineData(QualityScheme.EcostressQc, 15, true)]
    [InlineData(QualityScheme.EcostressQc, 2, true)]
    [InlineData(QualityScheme.Nonzero, 0, false)]
    [InlineData(QualityScheme.Nonzero, 1, true)]
    public void Ecostress_qc_and_nonzero_masks(QualityScheme scheme, int value, bool masked) =>
        Assert.Equal(masked, new QualityMask(scheme, new HashSet<QualityFlag>()).IsMasked(value));

    [Theory]
    [InlineData(0, null, false)] // QA 00: good quality
    [InlineData(2, null, true)] // QA 10: not produced (cloud)
    [InlineData(3, null, true)] // QA 11: not produced, other reasons
    [InlineData(17, null, true)] // QA 01, LST error <= 1 K: other quality, dropped by default
    [InlineData(17, 1, false)]
    [InlineData(65, 1, true)] // QA 01, LST error <= 2 K
    [InlineData(65, 2, false)]
    [InlineData(129, 2, true)] // QA 01, LST error <= 3 K
    [InlineData(129, 3, false)]
    [InlineData(193, 3, true)] // QA 01, LST error > 3 K: never kept
    [InlineData(66, 3, true)] // QA 10 whatever the error bits
    public void Modis_lst_qc_keeps_good_quality_and_admits_other_quality_by_its_error(int value, int? maxError, bool masked) =>
        Assert.Equal(masked, new QualityMask(QualityScheme.ModisLstQc, new HashSet<QualityFlag>()) { MaxLstError = maxError }
            .IsMasked(value));
}
