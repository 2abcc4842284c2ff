namespace LstPipe.Ingest.Masks;

/// <summary>How a quality band's values are decoded.</summary>
public enum QualityScheme
{
    /// <summary>Landsat Collection 2 <c>QA_PIXEL</c> (Level-1 and Level-2): bit 0 fill, 1 dilated cloud, 2 cirrus,
    /// 3 cloud, 4 cloud shadow, 5 snow, 7 water; bits 8-9 cloud, 10-11 shadow, 12-13 snow, 14-15 cirrus confidence.</summary>
    LandsatC2QaPixel,

    /// <summary>Landsat Collection 1 <c>BQA</c>: bit 0 fill, 4 cloud; bits 5-6 cloud, 7-8 shadow, 9-10 snow,
    /// 11-12 cirrus confidence.</summary>
    LandsatC1Bqa,

    /// <summary>Landsat 8 pre-collection <c>BQA</c>: bit 0 fill; bits 4-5 water, 10-11 snow, 12-13 cirrus,
    /// 14-15 cloud confidence. It has no cloud-shadow flag.</summary>
    LandsatPreCollectionBqa,

    /// <summary>ECOSTRESS L2 <c>QC</c>: bits 0-1 are the mandatory flag; 2 and 3 mean the pixel was not produced.</summary>
    EcostressQc,

    /// <summary>Any nonzero value is masked (for example the ECOSTRESS cloud mask).</summary>
    Nonzero,

    /// <summary>MODIS LST <c>QC_Day</c>/<c>QC_Night</c> (MOD11A1, MYD11A1): bits 0-1 are the mandatory QA (00 good
    /// quality, 01 produced with other quality, 10 and 11 not produced); bits 6-7 the average LST error (00: at most
    /// 1 K, 01: 2 K, 10: 3 K, 11: more). Only 00 is kept unless <see cref="QualityMask.MaxLstError"/> admits 01.</summary>
    ModisLstQc,
}

/// <summary>A condition a quality band can flag.</summary>
public enum QualityFlag
{
    /// <summary>Fill (no data).</summary>
    Fill,

    /// <summary>Cloud.</summary>
    Cloud,

    /// <summary>Dilated cloud (cloud edge).</summary>
    DilatedCloud,

    /// <summary>Cirrus.</summary>
    Cirrus,

    /// <summary>Cloud shadow.</summary>
    CloudShadow,

    /// <summary>Snow or ice.</summary>
    Snow,

    /// <summary>Water (usually kept, as a flag).</summary>
    Water,
}

/// <summary>A confidence level of the Landsat two-bit confidence fields.</summary>
public enum QualityConfidence
{
    /// <summary>Low (01) and above.</summary>
    Low = 1,

    /// <summary>Medium (10) and above.</summary>
    Medium = 2,

    /// <summary>High (11) only.</summary>
    High = 3,
}

/// <summary>Decodes a quality band into a mask: a pixel is masked when any of the chosen flags is set.</summary>
/// <param name="Scheme">The decoding.</param>
/// <param name="Flags">The flags that mask a pixel.</param>
/// <param name="Confidence">The lowest confidence that counts as set, for confidence fields.</param>
public sealed record QualityMask(QualityScheme Scheme, IReadOnlySet<QualityFlag> Flags,
    QualityConfidence Confidence = QualityConfidence.Medium)
{
    /// <summary>For <see cref="QualityScheme.ModisLstQc"/>: also keep pixels of mandatory QA 01 whose LST error class
    /// is at most this many kelvin (1, 2 or 3); null keeps QA 00 only.</summary>
    public int? MaxLstError { get; init; }

    /// <summary>The flags each scheme can report.</summary>
    public static IReadOnlySet<QualityFlag> Supported(QualityScheme scheme) => scheme switch
    {
        QualityScheme.LandsatC2QaPixel => new HashSet<QualityFlag>(Enum.GetValues<QualityFlag>()),
        QualityScheme.LandsatC1Bqa => new HashSet<QualityFlag> { QualityFlag.Fill, QualityFlag.Cloud, QualityFlag.Cirrus,
            QualityFlag.CloudShadow, QualityFlag.Snow },
        QualityScheme.LandsatPreCollectionBqa => new HashSet<QualityFlag> { QualityFlag.Fill, QualityFlag.Cloud,
            QualityFlag.Cirrus, QualityFlag.Snow, QualityFlag.Water },
        _ => new HashSet<QualityFlag>(),
    };

    /// <summary>Whether a quality value masks its pixel; NaN (the quality band's own nodata) always does.</summary>
    public bool IsMasked(float value)
    {
        if (float.IsNaN(value))
        {
            return true;
        }

        var q = (uint)value;
        var c = (int)Confidence;
        bool Has(QualityFlag f) => Flags.Contains(f);
        bool Conf(int shift) => (int)((q >> shift) & 3) >= c;
        bool Bit(int bit) => ((q >> bit) & 1) != 0;
        return Scheme switch
        {
            QualityScheme.LandsatC2QaPixel =>
                (Has(QualityFlag.Fill) && Bit(0)) || (Has(QualityFlag.DilatedCloud) && Bit(1)) || (Has(QualityFlag.Cirrus) && Bit(2)) ||
                (Has(QualityFlag.Cloud) && (Bit(3) || Conf(8))) || (Has(QualityFlag.CloudShadow) && Bit(4)) ||
                (Has(QualityFlag.Snow) && Bit(5)) || (Has(QualityFlag.Water) && Bit(7)),
            QualityScheme.LandsatC1Bqa =>
                (Has(QualityFlag.Fill) && Bit(0)) || (Has(QualityFlag.Cloud) && (Bit(4) || Conf(5))) ||
                (Has(QualityFlag.CloudShadow) && Conf(7)) || (Has(QualityFlag.Snow) && Conf(9)) || (Has(QualityFlag.Cirrus) && Conf(11)),
            QualityScheme.LandsatPreCollectionBqa =>
                (Has(QualityFlag.Fill) && Bit(0)) || (Has(QualityFlag.Water) && Conf(4)) || (Has(QualityFlag.Snow) && Conf(10)) ||
                (Has(QualityFlag.Cirrus) && Conf(12)) || (Has(QualityFlag.Cloud) && Conf(14)),
            QualityScheme.EcostressQc => (q & 3) >= 2,
            QualityScheme.Nonzero => q != 0,
            QualityScheme.ModisLstQc => (q & 3) switch
            {
                0 => false,
                1 => MaxLstError is not { } max || (int)((q >> 6) & 3) + 1 > max,
                _ => true,
            },
            _ => throw new InvalidOperationException(Scheme.ToString()),
        };
    }
}
