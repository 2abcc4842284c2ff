namespace LstPipe.Raster.Scenes;

/// <summary>
/// The kinds of quantity a guidance channel (or an ingest recipe's band) can hold: the one list that scene.json, dataset
/// cards, checkpoint contracts and ingest recipes share. <see cref="GuidanceChannel.Kind"/> holds one of them.
/// </summary>
public static class GuidanceKinds
{
    /// <summary>Height above sea level, metres.</summary>
    public const string Elevation = "elevation";

    /// <summary>Top-of-atmosphere reflectance (Level-1 products), unitless.</summary>
    public const string ReflectanceToa = "reflectance-toa";

    /// <summary>Surface (atmospherically corrected) reflectance (Level-2 products), unitless.</summary>
    public const string ReflectanceSurface = "reflectance-surface";

    /// <summary>A normalized-difference index (NDVI, NDWI, ...), -1 to 1.</summary>
    public const string Index = "index";

    /// <summary>At-sensor spectral radiance, W/(m2 sr um).</summary>
    public const string Radiance = "radiance";

    /// <summary>At-sensor brightness temperature, K.</summary>
    public const string BrightnessTemperature = "brightness-temperature";

    /// <summary>Uncalibrated digital numbers.</summary>
    public const string Dn = "dn";

    /// <summary>Anything else (a slope, a land-cover fraction): no physical check applies.</summary>
    public const string Other = "other";

    /// <summary>Every kind, in this order: elevation, reflectance-toa, reflectance-surface, index, radiance,
    /// brightness-temperature, dn, other.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Elevation, ReflectanceToa, ReflectanceSurface, Index, Radiance, BrightnessTemperature, Dn, Other];

    /// <summary>Whether a string is one of <see cref="All"/> (exact, lower case).</summary>
    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);

    /// <summary>The unit a channel of a kind has: <c>m</c> for elevation, <c>K</c> for brightness temperature,
    /// <c>W/(m2 sr um)</c> for radiance, <c>1</c> otherwise.</summary>
    public static string UnitOf(string kind) => kind switch
    {
        Elevation => "m",
        BrightnessTemperature => "K",
        Radiance => "W/(m2 sr um)",
        _ => "1",
    };

    /// <summary>How a description names a kind (<c>top-of-atmosphere reflectance</c>, <c>digital numbers</c>, ...).</summary>
    public static string Describe(string kind) => kind switch
    {
        Elevation => "elevation above sea level",
        ReflectanceToa => "top-of-atmosphere reflectance",
        ReflectanceSurface => "surface reflectance",
        Index => "index",
        Radiance => "at-sensor radiance",
        BrightnessTemperature => "brightness temperature",
        Dn => "digital numbers (uncalibrated)",
        _ => "values of no stated kind",
    };
}
