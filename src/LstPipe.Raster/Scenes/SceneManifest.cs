using System.Text.Json;
using System.Text.Json.Serialization;
using LstPipe.Core;
using LstPipe.Core.Json;
using LstPipe.Core.Units;

namespace LstPipe.Raster.Scenes;

/// <summary>
/// <c>scene.json</c>: the contract between ingest and crop. A scene folder holds this manifest, <c>lst.tif</c>
/// (float32 Kelvin on the base grid) and <c>guidance.tif</c> (float32, one band per guidance channel, band
/// descriptions set to the channel names), all on one north-up grid.
/// </summary>
public sealed record SceneManifest
{
    /// <summary>The format identifier written in every manifest.</summary>
    public const string CurrentFormat = "lstpipe-scene/1";

    /// <summary>Format identifier and version of this manifest.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Scene identifier, unique within a dataset (used in tile provenance).</summary>
    public required string Id { get; init; }

    /// <summary>Coordinate reference system of the grid.</summary>
    public required SceneCrs Crs { get; init; }

    /// <summary>GDAL geotransform of the grid (six values).</summary>
    public required double[] GeoTransform { get; init; }

    /// <summary>Grid width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Grid height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>The LST raster.</summary>
    public required SceneLst Lst { get; init; }

    /// <summary>The guidance raster and its channels.</summary>
    public required SceneGuidance Guidance { get; init; }

    /// <summary>Where the scene came from.</summary>
    public required SceneProvenance Provenance { get; init; }

    /// <summary>The geotransform as a typed value.</summary>
    [JsonIgnore]
    public GeoTransform Transform => Core.Units.GeoTransform.FromArray(GeoTransform);

    /// <summary>Serializes the manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonDefaults.Options);

    /// <summary>Parses a manifest; throws <see cref="JsonException"/> when the text is not one.</summary>
    public static SceneManifest FromJson(string json) =>
        JsonSerializer.Deserialize<SceneManifest>(json, JsonDefaults.Options) ?? throw new JsonException("the manifest is null");
}

/// <summary>A CRS in WKT, with its EPSG code where it has one.</summary>
/// <param name="Wkt">Well-known text of the CRS.</param>
/// <param name="Epsg">EPSG code, or null when the CRS has none (written as null: MODIS's sinusoidal grid has none).</param>
public sealed record SceneCrs(string Wkt, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Epsg);

/// <summary>The LST raster of a scene.</summary>
/// <param name="File">File name inside the scene folder (<c>lst.tif</c>).</param>
/// <param name="Unit">Unit of the values; always <c>K</c>.</param>
/// <param name="NoData">The nodata value of the raster.</param>
/// <param name="NativeResolutionMetres">Native resolution of the LST in metres: the resolution the thermal sensor
/// recorded (Landsat 8/9 TIRS 100 m, ETM+ 60 m, TM 120 m, ECOSTRESS 70 m, SDGSAT-1 TIS 30 m), however fine the
/// grid it was resampled onto; null in scenes written before this was recorded.</param>
public sealed record SceneLst(string File, string Unit, double NoData, double? NativeResolutionMetres = null);

/// <summary>The guidance raster of a scene.</summary>
/// <param name="File">File name inside the scene folder (<c>guidance.tif</c>); null for a coarse scene, which has no
/// guidance channels (a MODIS LST granule: the input a model downscales, never the ground it is trained on).</param>
/// <param name="NoData">The nodata value of the raster.</param>
/// <param name="Bands">The channels, in band order; empty for a coarse scene.</param>
public sealed record SceneGuidance([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? File, double NoData,
    IReadOnlyList<GuidanceChannel> Bands)
{
    /// <summary>Whether the scene has guidance channels (a coarse scene has none).</summary>
    [JsonIgnore]
    public bool Present => Bands.Count > 0;
}

/// <summary>Provenance of a scene.</summary>
public sealed record SceneProvenance
{
    /// <summary>Name of the tool that wrote the scene.</summary>
    public string Tool { get; init; } = ToolInfo.Name;

    /// <summary>Version of the tool that wrote the scene.</summary>
    public string Version { get; init; } = ToolInfo.Version;

    /// <summary>The command line that produced the scene.</summary>
    public string? Command { get; init; }

    /// <summary>Sensor or generator name (for example <c>Landsat 8 OLI/TIRS</c> or <c>synthetic</c>).</summary>
    public string? Sensor { get; init; }

    /// <summary>Acquisition date and time (UTC, ISO 8601) where known.</summary>
    public string? Acquired { get; init; }

    /// <summary>Product identifiers of the sources.</summary>
    public IReadOnlyList<string> ProductIds { get; init; } = [];

    /// <summary>Source files with their checksums.</summary>
    public IReadOnlyList<SourceFile> Sources { get; init; } = [];

    /// <summary>Parameters of the recipe or generator, as name/value pairs.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}

/// <summary>A source file of a scene.</summary>
/// <param name="Path">Path as given to the tool.</param>
/// <param name="Sha256">SHA-256 of the file's bytes.</param>
/// <param name="Role">What the file provided (for example <c>lst</c>, <c>red</c>, <c>dem</c>).</param>
public sealed record SourceFile(string Path, string Sha256, string Role);
