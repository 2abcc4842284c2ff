using System.Text.Json.Serialization;
using LstPipe.Core.Errors;
using LstPipe.Core.Options;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Synthetic;

/// <summary>The options of <c>lstpipe synth</c> and of a recipe's synthetic region; the only declaration of them.</summary>
public sealed record SyntheticSceneOptions
{
    /// <summary>Smallest scene edge: one 64 px tile.</summary>
    public const int MinSize = 64;

    /// <summary>Largest scene edge.</summary>
    public const int MaxSize = 65536;

    /// <summary>The scene folder to write.</summary>
    [Option("out", "Scene folder to write", Alias = "-o", Required = true, Scope = OptionScope.CommandLine)]
    public string Folder { get; init; } = "";

    /// <summary>Scene width in pixels (and height, unless <see cref="Height"/> says otherwise).</summary>
    [Option("size", "Scene width and height in pixels", Min = MinSize, Max = MaxSize)]
    public int Width { get; init; } = 2048;

    /// <summary>Scene height in pixels; null: <see cref="Width"/>.</summary>
    [Option("height", "Scene height, when it differs from --size", Min = MinSize, Max = MaxSize)]
    public int? Height { get; init; }

    /// <summary>Random seed; the same seed gives the same scene, byte for byte.</summary>
    [Option("seed", "Random seed (same seed, same bytes)")]
    public int Seed { get; init; }

    /// <summary>Projected CRS of the grid (default WGS 84 / UTM zone 50N).</summary>
    [Option("epsg", "Projected CRS of the grid (EPSG code)", Min = 1)]
    public int Epsg { get; init; } = 32650;

    /// <summary>Upper-left corner (x, y) in that CRS; null: the generator's default.</summary>
    [Option("origin", "Upper-left corner x,y in the grid's CRS (default 399960,4400040)", Parser = typeof(OriginParser))]
    public IReadOnlyList<double>? Origin { get; init; }

    /// <summary>GeoTIFF codec of the scene's rasters (the rest of their layout is <see cref="Output"/>'s).</summary>
    [Option("compress", "GeoTIFF codec: deflate, zstd, lzw or none")]
    public TiffCompression Compression { get; init; } = TiffCompression.Deflate;

    /// <summary>Replace a non-empty output folder.</summary>
    [Option("force", "Replace a non-empty output folder", Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool Force { get; init; }

    /// <summary>Scene height in pixels.</summary>
    [JsonIgnore]
    public int SceneHeight => Height ?? Width;

    /// <summary>Easting of the upper-left corner.</summary>
    [JsonIgnore]
    public double OriginX => Origin?[0] ?? 399_960;

    /// <summary>Northing of the upper-left corner.</summary>
    [JsonIgnore]
    public double OriginY => Origin?[1] ?? 4_400_040;

    /// <summary>Pixel size in metres.</summary>
    [Option("pixel-size", "Pixel size in metres (GrokLST: 30; 120 stands for a Landsat truth at TIRS's resolution)", Min = 1, Max = 10_000)]
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
    [JsonIgnore]
    public string SceneId => Id ?? $"synth-s{Seed}-{Width}x{SceneHeight}";

    /// <summary>Checks the options and returns them.</summary>
    /// <exception cref="UsageException">A value is out of range.</exception>
    public SyntheticSceneOptions Validate()
    {
        if (Width < MinSize || SceneHeight < MinSize || Width > MaxSize || SceneHeight > MaxSize)
        {
            throw new UsageException($"scene size {Width} x {SceneHeight} is out of range: use {MinSize} to {MaxSize} px per side");
        }

        if (!(PixelSizeMetres > 0))
        {
            throw new UsageException($"pixel size {PixelSizeMetres} m must be positive");
        }

        if (SeaLevelAirTemperatureK is < 250 or > 320)
        {
            throw new UsageException($"sea-level air temperature {SeaLevelAirTemperatureK} K is implausible: use 250 to 320 K");
        }

        if (Channels is { } channels
            && (channels.Count == 0 || channels.Distinct().Count() != channels.Count || channels.Any(c
                => !GuidanceChannel.GrokLstNames.Contains(c))))
        {
            throw new UsageException($"synthetic channels [{string.Join(", ", channels)}]: name each of " +
                $"{string.Join(", ", GuidanceChannel.GrokLstNames)} at most once");
        }

        return this;
    }

    /// <summary>Reads <c>x,y</c>.</summary>
    public sealed class OriginParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text)
        {
            var v = text.Split(',', StringSplitOptions.TrimEntries)
                .Select(p => double.TryParse(p, System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var x) ? x : double.NaN)
                .ToArray();
            return v.Length == 2 && v.All(double.IsFinite) ? (IReadOnlyList<double>)v : throw new FormatException("use x,y: two " +
                "numbers in the grid's CRS");
        }

        /// <inheritdoc/>
        public string Format(object value) =>
            string.Join(",", ((IReadOnlyList<double>)value).Select(v => v.ToString("R",
                System.Globalization.CultureInfo.InvariantCulture)));
    }
}
