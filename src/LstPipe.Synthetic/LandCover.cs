namespace LstPipe.Synthetic;

/// <summary>Land-cover classes of the synthetic world.</summary>
public enum LandCover : byte
{
    /// <summary>Open water (lakes).</summary>
    Water,

    /// <summary>Closed forest.</summary>
    Forest,

    /// <summary>Irrigated or rain-fed cropland.</summary>
    Cropland,

    /// <summary>Grassland and shrubs.</summary>
    Grassland,

    /// <summary>Bare soil and rock.</summary>
    Bare,

    /// <summary>Built-up area.</summary>
    Urban,

    /// <summary>Snow and ice.</summary>
    Snow,
}

/// <summary>Per-class surface properties: reflectance in the six GrokLST optical bands (deep blue, blue, green,
/// red, red edge, NIR) and the LST departure from the elevation-adjusted air temperature.</summary>
internal static class LandCoverProperties
{
    public static readonly float[][] Reflectance =
    [
        [0.080f, 0.070f, 0.060f, 0.040f, 0.030f, 0.020f],
        [0.035f, 0.030f, 0.055f, 0.030f, 0.170f, 0.340f],
        [0.045f, 0.040f, 0.080f, 0.050f, 0.220f, 0.400f],
        [0.065f, 0.060f, 0.095f, 0.090f, 0.190f, 0.280f],
        [0.140f, 0.150f, 0.200f, 0.250f, 0.280f, 0.300f],
        [0.120f, 0.120f, 0.130f, 0.140f, 0.160f, 0.180f],
        [0.800f, 0.780f, 0.750f, 0.720f, 0.680f, 0.600f],
    ];

    /// <summary>LST offset in K relative to grassland at the same elevation and illumination.</summary>
    public static readonly float[] LstOffset = [-8f, -4f, -2.5f, 0f, 6f, 8f, -22f];
}
