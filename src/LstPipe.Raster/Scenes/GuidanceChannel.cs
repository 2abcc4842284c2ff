namespace LstPipe.Raster.Scenes;

/// <summary>One guidance channel of a scene: its GrokLST variable name, its unit and what it is.</summary>
/// <param name="Name">Variable name as in GrokLST (<c>dem</c>, <c>nir</c>, <c>ndvi</c>, ...).</param>
/// <param name="Unit">Physical unit: <c>m</c> for elevation, <c>1</c> for reflectance and indices.</param>
/// <param name="Description">A human-readable description.</param>
public sealed record GuidanceChannel(string Name, string Unit, string Description)
{
    private readonly string? _kind;

    /// <summary>What the channel measures, one of <see cref="GuidanceKinds.All"/>: <c>elevation</c>,
    /// <c>reflectance-toa</c>, <c>reflectance-surface</c>, <c>index</c>, <c>radiance</c>, <c>brightness-temperature</c>,
    /// <c>dn</c> or <c>other</c>. Stored in <c>scene.json</c> and dataset cards (ingest takes it from the recipe); where
    /// a file written before it was stored has none, it is derived from the unit, name and description
    /// (<see cref="KindOf"/>). A model trained on one kind is not fed another under the same name.</summary>
    public string Kind
    {
        get => _kind ?? KindOf(Name, Unit, Description);
        init => _kind = value;
    }

    /// <summary>Channels are equal when their name, unit, description and (stored or derived) kind are.</summary>
    public bool Equals(GuidanceChannel? other) => other is not null && Name == other.Name && Unit == other.Unit
        && Description == other.Description && Kind == other.Kind;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Unit, Description, Kind);

    /// <summary>The kind (see <see cref="Kind"/>) of a channel described by its name, unit and description, for files that
    /// store none: <c>elevation</c>, <c>index</c>, <c>reflectance-toa</c>, <c>reflectance-surface</c> or <c>other</c>.</summary>
    public static string KindOf(string name, string unit, string description) => (unit, description) switch
    {
        ("m", _) => GuidanceKinds.Elevation,
        (_, var d) when d.Contains("index", StringComparison.OrdinalIgnoreCase) || name.StartsWith("nd",
            StringComparison.Ordinal) => GuidanceKinds.Index,
        (_, var d) when d.Contains("top-of-atmosphere", StringComparison.OrdinalIgnoreCase) => GuidanceKinds.ReflectanceToa,
        (_, var d) when d.Contains("reflectance", StringComparison.OrdinalIgnoreCase) => GuidanceKinds.ReflectanceSurface,
        _ => GuidanceKinds.Other,
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
