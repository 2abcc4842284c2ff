using LstPipe.Core.Errors;
using LstPipe.Core.Scenes;
using LstPipe.Raster.Gdal;

namespace LstPipe.Synthetic;

/// <summary>The validated options of <c>lstpipe synth</c>.</summary>
public sealed record SyntheticSceneOptions
{
    /// <summary>Smallest scene edge: one 64 px tile.</summary>
    public const int MinSize = 64;

    /// <summary>Largest scene edge.</summary>
    public const int MaxSize = 65536;

    /// <summary>Scene width in pixels.</summary>
    public int Width { get; init; } = 2048;

    /// <summary>Scene height in pixels.</summary>
    public int Height { get; init; } = 2048;

    /// <summary>Random seed; the same seed gives the same scene, byte for byte.</summary>
    public int Seed { get; init; }

    /// <summary>Projected CRS of the grid (default WGS 84 / UTM zone 50N).</summary>
    public int Epsg { get; init; } = 32650;

    /// <summary>Easting of the upper-left corner.</summary>
    public double OriginX { get; init; } = 399_960;

    /// <summary>Northing of the upper-left corner.</summary>
    public double OriginY { get; init; } = 4_400_040;

    /// <summary>Pixel size in metres.</summary>
    public double PixelSizeMetres { get; init; } = 30;

    /// <summary>Air temperature at sea level in Kelvin; the LST field is built around it.</summary>
    public double SeaLevelAirTemperatureK { get; init; } = 298;

    /// <summary>GeoTIFF layout of <c>lst.tif</c> and <c>guidance.tif</c>.</summary>
    public GeoTiffOptions Output { get; init; } = GeoTiffOptions.Default;

    /// <summary>The guidance channels written, by GrokLST name and in this order (a subset, to match another
    /// product's channel list); all ten in GrokLST order when null.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Scene identifier; derived from the seed and size when null.</summary>
    public string? Id { get; init; }

    /// <summary>The identifier written into <c>scene.json</c>.</summary>
    public string SceneId => Id ?? $"synth-s{Seed}-{Width}x{Height}";

    /// <summary>Checks the options and returns them.</summary>
    /// <exception cref="UsageException">A value is out of range.</exception>
    public SyntheticSceneOptions Validate()
    {
        if (Width < MinSize || Height < MinSize || Width > MaxSize || Height > MaxSize)
        {
            throw new UsageException($"scene size {Width} x {Height} is out of range: use {MinSize} to {MaxSize} px per side");
        }

        if (!(PixelSizeMetres > 0))
        {
            throw new UsageException($"pixel size {PixelSizeMetres} m must be positive");
        }

        if (SeaLevelAirTemperatureK is < 250 or > 320)
        {
            throw new UsageException($"sea-level air temperature {SeaLevelAirTemperatureK} K is implausible: use 250 to 320 K");
        }

        if (Channels is { } channels && (channels.Count == 0 || channels.Distinct().Count() != channels.Count || channels.Any(c => !GuidanceChannel.GrokLstNames.Contains(c))))
        {
            throw new UsageException($"synthetic channels [{string.Join(", ", channels)}]: name each of {string.Join(", ", GuidanceChannel.GrokLstNames)} at most once");
        }

        return this;
    }
}
