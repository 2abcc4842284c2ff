namespace LstPipe.Raster.Scenes;

/// <summary>One guidance channel of a scene: its GrokLST variable name, its unit and what it is.</summary>
/// <param name="Name">Variable name as in GrokLST (<c>dem</c>, <c>nir</c>, <c>ndvi</c>, ...).</param>
/// <param name="Unit">Physical unit: <c>m</c> for elevation, <c>1</c> for reflectance and indices.</param>
/// <param name="Description">A human-readable description.</param>
public sealed record GuidanceChannel(string Name, string Unit, string Description)
{
    /// <summary>What the channel measures, from its unit, name and description: <c>elevation</c> (metres),
    /// <c>reflectance-toa</c>, <c>reflectance-surface</c>, <c>index</c> (a normalized difference) or <c>other</c>. A
    /// model trained on one kind is not fed another under the same name.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Kind => KindOf(Name, Unit, Description);

    /// <summary>The kind (see <see cref="Kind"/>) of a channel described by its name, unit and description.</summary>
    public static string KindOf(string name, string unit, string description) => (unit, description) switch
    {
        ("m", _) => "elevation",
        (_, var d) when d.Contains("index", StringComparison.OrdinalIgnoreCase) || name.StartsWith("nd",
            StringComparison.Ordinal) => "index",
        (_, var d) when d.Contains("top-of-atmosphere", StringComparison.OrdinalIgnoreCase) => "reflectance-toa",
        (_, var d) when d.Contains("reflectance", StringComparison.OrdinalIgnoreCase) => "reflectance-surface",
        _ => "other",
    };

    /// <summary>The ten GrokLST guidance channels in the order the original loader stacks them.</summary>
    public static IReadOnlyList<GuidanceChannel> GrokLst { get; } =
    [
        new("dem", "m", "elevation above sea level"),
        new("deepblue", "1", "deep-blue (coastal aerosol) surface reflectance"),
        new("blue", "1", "blue surface reflectance"),
        new("green", "1", "green surface reflectance"),
        new("red", "1", "red surface reflectance"),
        new("vre", "1", "vegetation red-edge surface reflectance"),
        new("nir", "1", "near-infrared surface reflectance"),
        new("ndmvi", "1", "normalized difference mountain vegetation index"),
        new("ndvi", "1", "normalized difference vegetation index (nir - red) / (nir + red)"),
        new("ndwi", "1", "normalized difference water index (green - nir) / (green + nir)"),
    ];

    /// <summary>The GrokLST channel names in order.</summary>
    public static IReadOnlyList<string> GrokLstNames { get; } = GrokLst.Select(c => c.Name).ToArray();
}
