using System.Globalization;
using System.Text.Json.Serialization;
using LstPipe.Core.Compression;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Options;
using LstPipe.Core.Units;

namespace LstPipe.Dataset.Crop;

/// <summary>Where a dataset's truth (its finest scale) sits relative to the LST's native resolution.</summary>
public enum TruthMode
{
    /// <summary>On the scenes' grid; refused when the LST is natively coarser than that grid.</summary>
    Grid,

    /// <summary>At the first power-of-two multiple of the grid at or above the LST's native resolution (for example
    /// 120 m for a 100 m TIRS LST on a 30 m grid), with the guidance averaged onto it.</summary>
    Native,

    /// <summary>On the scenes' grid even where the LST was resampled onto it; the card says from what.</summary>
    Resampled,
}

/// <summary>The options of <c>lstpipe crop</c> and of a recipe's <c>crop:</c> section; the only declaration of them.</summary>
public sealed record CropOptions
{
    /// <summary>Scene folders, in the order their tiles are numbered.</summary>
    [Option("scenes", "Scene folders (made by synth or ingest), in the order their tiles are numbered", Positional = true,
        Scope = OptionScope.CommandLine)]
    public IReadOnlyList<string> Scenes { get; init; } = [];

    /// <summary>Dataset folder.</summary>
    [Option("out", "Dataset folder to write", Alias = "-o", Required = true, Scope = OptionScope.CommandLine)]
    public string Output { get; init; } = "";

    /// <summary>Tile edge at the base (30 m) scale.</summary>
    [Option("size", "Tile edge at the base scale, in pixels (GrokLST: 512)", Min = 8, Max = MaxTileSize)]
    public int TileSize { get; init; } = 512;

    /// <summary>Overlap of neighbouring tiles, in [0, 1).</summary>
    [Option("overlap", "Overlap of neighbouring tiles, in [0, 1) (GrokLST: 0.5)", Min = 0)]
    public double Overlap { get; init; } = 0.5;

    /// <summary>Scale factors to write; must include 1 (the truth).</summary>
    [Option("scales", "Scale factors to write (1 is the truth)", Parser = typeof(ScalesParser))]
    public IReadOnlyList<ScaleFactor> Scales { get; init; } = ScaleFactor.GrokLst;

    /// <summary>Largest fraction of nodata pixels a kept tile may have (0: no nodata, as in GrokLST).</summary>
    [Option("max-nodata", "Largest nodata fraction of a kept tile (GrokLST: 0)", Min = 0, Max = 1)]
    public double MaxNoData { get; init; }

    /// <summary>Smallest fraction of valid fine pixels under a valid coarse pixel.</summary>
    [Option("coarse-min-valid", "Smallest valid fraction of fine pixels under a valid coarse pixel, in (0, 1]", Max = 1)]
    public double CoarseMinValidFraction { get; init; } = 0.5;

    /// <summary>zlib-compress MAT variables.</summary>
    [Option("compress", "zlib-compress the MAT variables")]
    public bool Compress { get; init; } = true;

    /// <summary>zlib level, 1 (fastest) to 12 (smallest); 6 gives the size of zlib's default, as scipy and matio write.</summary>
    [Option("zlib-level", "zlib level of the MAT variables, 1 (fastest) to 12 (smallest)", Min = 1, Max = 12)]
    public int CompressionLevel { get; init; } = DeflateCompressor.DefaultLevel;

    /// <summary>Where the truth sits relative to the LST's native resolution.</summary>
    [Option("truth", "grid: truth on the scenes' grid, refused where the LST is natively coarser; native: base at the first scale " +
        "the thermal sensor resolves (120 m for Landsat 8); resampled: the scenes' grid anyway, the card saying from what")]
    public TruthMode Truth { get; init; } = TruthMode.Grid;

    /// <summary>A coarse scene (a MODIS granule ingested with <c>pipelines/modis-mod11a1.yaml</c>) whose LST becomes a real-LR
    /// level beside the simulated level nearest its native resolution; null: none.</summary>
    [Option("real-lr", "A coarse scene (ingested MODIS) written, for every tile, beside the level nearest its native resolution " +
        "(for example 960m-real/lst): the sensor's own LST, averaged from its pixels", Scope = OptionScope.CommandLine)]
    public string? RealLr { get; init; }

    /// <summary>The smallest share of a tile's real-LR pixels holding real data for the tile to count as covered (null: 1).</summary>
    [Option("real-min-coverage", "Smallest share of a tile's real-LR pixels with real data (not cloud or fill) for the tile to " +
        "count as covered; the others are marked in the card (default 1)", Min = 0, Max = 1)]
    public double? RealMinCoverage { get; init; }

    /// <summary>Parallel tile encoders.</summary>
    [Option("workers", "Parallel tile encoders", Min = 1, Scope = OptionScope.CommandLine)]
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Replace an existing dataset (built beside it, swapped in on success).</summary>
    [Option("force", "Replace an existing output folder (the old one is kept until the new one is whole)", Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool Force { get; init; }

    /// <summary>Add the scenes' tiles after those of an existing dataset.</summary>
    [Option("append", "Add the scenes' tiles after those of an existing dataset", Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool Append { get; init; }

    /// <summary>Finish an interrupted crop with its own options.</summary>
    [Option("resume", "Finish an interrupted crop (its original options are used)", Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool Resume { get; init; }

    /// <summary>How to treat an existing output folder, from <see cref="Force"/>, <see cref="Append"/> and
    /// <see cref="Resume"/>.</summary>
    [JsonIgnore]
    public OutputMode Mode => Force ? OutputMode.Force : Append ? OutputMode.Append : Resume ? OutputMode.Resume : OutputMode.New;

    /// <summary>The folder relative scene paths are resolved from (the current directory by default).</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The command line, recorded in the card.</summary>
    public string Command { get; init; } = "lstpipe crop";

    /// <summary>The largest tile edge accepted, in pixels.</summary>
    public const int MaxTileSize = 16384;

    /// <summary>Distance between tile origins on the base grid.</summary>
    public Pixels Step => new((int)Math.Round(TileSize * (1 - Overlap)));

    /// <summary>The largest scale factor.</summary>
    public int MaxScale => Scales.Max(s => s.Value);

    /// <summary>Checks the options and returns them.</summary>
    /// <exception cref="UsageException">A value is out of range or inconsistent.</exception>
    public CropOptions Validate()
    {
        var inv = CultureInfo.InvariantCulture;
        OptionSchema<CropOptions>.Check(this);
        if (new[] { Force, Append, Resume }.Count(m => m) > 1)
        {
            throw new UsageException("--force, --append and --resume exclude each other; pick one");
        }

        if (RealLr is not null && Append)
        {
            throw new UsageException("--real-lr cannot be appended to a dataset: crop all its scenes with --real-lr in one run " +
                "(or with --force)");
        }

        if (RealMinCoverage is not null && RealLr is null)
        {
            throw new UsageException("--real-min-coverage needs --real-lr (the coarse scene whose coverage it judges)");
        }

        if (Mode != OutputMode.Resume && Scenes.Count == 0)
        {
            throw new UsageException("no scene folders given: name at least one (made by 'lstpipe synth' or 'lstpipe ingest')");
        }

        if (Scales.Count == 0 || Scales.Distinct().Count() != Scales.Count || !Scales.Contains(ScaleFactor.One))
        {
            throw new UsageException("--scales must list distinct factors including 1 (the base-resolution truth), for example 1,2,4,8");
        }

        if (TileSize < 8 || TileSize % MaxScale != 0)
        {
            throw new UsageException(string.Create(inv,
                $"--size {TileSize} is not divisible by {MaxScale}; tiles must divide into whole pixels at every scale " +
                    $"({string.Join(",", Scales.Select(s => s.Value))}), for example 512"));
        }

        if (!(Overlap >= 0 && Overlap < 1))
        {
            throw new UsageException(string.Create(inv, $"--overlap {Overlap} is outside [0, 1): use for example 0.5"));
        }

        var step = TileSize * (1 - Overlap);
        if (Math.Abs(step - Math.Round(step)) > 1e-9 || (int)Math.Round(step) % MaxScale != 0 || step < 1)
        {
            throw new UsageException(string.Create(inv,
                $"--overlap {Overlap} gives a step of {step} px for {TileSize} px tiles; the step must be a whole multiple of " +
                    $"{MaxScale} px so that every scale stays aligned"));
        }

        if (!(CoarseMinValidFraction > 0 && CoarseMinValidFraction <= 1))
        {
            throw new UsageException(string.Create(inv, $"--coarse-min-valid {CoarseMinValidFraction} is not a fraction in (0, 1]"));
        }

        return this;
    }

    /// <summary>Reads <c>1,2,4,8</c>.</summary>
    public sealed class ScalesParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text) =>
            (IReadOnlyList<ScaleFactor>)text.Split(',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ScaleFactor.Parse).ToArray();

        /// <inheritdoc/>
        public string Format(object value) => string.Join(",", ((IReadOnlyList<ScaleFactor>)value).Select(s => s.Value));
    }
}
