using System.Globalization;
using LstPipe.Core.Compression;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;

namespace LstPipe.Dataset.Crop;

/// <summary>What to do with the output folder.</summary>
public enum OutputMode
{
    /// <summary>The folder must be absent or empty.</summary>
    New,

    /// <summary>Delete whatever is there first.</summary>
    Force,

    /// <summary>Add the scenes' tiles after the existing ones of a complete dataset.</summary>
    Append,

    /// <summary>Finish an interrupted crop; files already written are kept.</summary>
    Resume,
}

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

/// <summary>The validated options of <c>lstpipe crop</c>.</summary>
public sealed record CropOptions
{
    /// <summary>Scene folders, in the order their tiles are numbered.</summary>
    public IReadOnlyList<string> Scenes { get; init; } = [];

    /// <summary>Dataset folder.</summary>
    public required string Output { get; init; }

    /// <summary>Tile edge at the base (30 m) scale.</summary>
    public int TileSize { get; init; } = 512;

    /// <summary>Overlap of neighbouring tiles, in [0, 1).</summary>
    public double Overlap { get; init; } = 0.5;

    /// <summary>Scale factors to write; must include 1 (the truth).</summary>
    public IReadOnlyList<ScaleFactor> Scales { get; init; } = ScaleFactor.GrokLst;

    /// <summary>Largest fraction of nodata pixels a kept tile may have (0: no nodata, as in GrokLST).</summary>
    public double MaxNoData { get; init; }

    /// <summary>Smallest fraction of valid fine pixels under a valid coarse pixel.</summary>
    public double CoarseMinValidFraction { get; init; } = 0.5;

    /// <summary>zlib-compress MAT variables.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>zlib level, 1 (fastest) to 12 (smallest); 6 gives the size of zlib's default, as scipy and matio write.</summary>
    public int CompressionLevel { get; init; } = DeflateCompressor.DefaultLevel;

    /// <summary>Where the truth sits relative to the LST's native resolution.</summary>
    public TruthMode Truth { get; init; } = TruthMode.Grid;

    /// <summary>How to treat an existing output folder.</summary>
    public OutputMode Mode { get; init; } = OutputMode.New;

    /// <summary>Parallel tile encoders.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

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

    /// <summary>Parses <c>1,2,4,8</c>.</summary>
    /// <exception cref="UsageException">The list is malformed.</exception>
    public static IReadOnlyList<ScaleFactor> ParseScales(string text)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ScaleFactor.Parse).ToArray();
        }
        catch (FormatException e)
        {
            throw new UsageException("--scales: " + e.Message);
        }
    }

    /// <summary>Checks the options and returns them.</summary>
    /// <exception cref="UsageException">A value is out of range or inconsistent.</exception>
    public CropOptions Validate()
    {
        var inv = CultureInfo.InvariantCulture;
        if (Mode != OutputMode.Resume && Scenes.Count == 0)
        {
            throw new UsageException("no scene folders given: name at least one (made by 'lstpipe synth' or 'lstpipe ingest')");
        }

        if (Scales.Count == 0 || Scales.Distinct().Count() != Scales.Count || !Scales.Contains(ScaleFactor.One))
        {
            throw new UsageException("--scales must list distinct factors including 1 (the base-resolution truth), for example 1,2,4,8");
        }

        if (TileSize > MaxTileSize)
        {
            throw new UsageException(string.Create(inv, $"--size {TileSize} is larger than the {MaxTileSize} px a tile may have (GrokLST uses 512)"));
        }

        if (TileSize < 8 || TileSize % MaxScale != 0)
        {
            throw new UsageException(string.Create(inv,
                $"--size {TileSize} is not divisible by {MaxScale}; tiles must divide into whole pixels at every scale ({string.Join(",", Scales.Select(s => s.Value))}), for example 512"));
        }

        if (!(Overlap >= 0 && Overlap < 1))
        {
            throw new UsageException(string.Create(inv, $"--overlap {Overlap} is outside [0, 1): use for example 0.5"));
        }

        var step = TileSize * (1 - Overlap);
        if (Math.Abs(step - Math.Round(step)) > 1e-9 || (int)Math.Round(step) % MaxScale != 0 || step < 1)
        {
            throw new UsageException(string.Create(inv,
                $"--overlap {Overlap} gives a step of {step} px for {TileSize} px tiles; the step must be a whole multiple of {MaxScale} px so that every scale stays aligned"));
        }

        if (!(MaxNoData >= 0 && MaxNoData <= 1))
        {
            throw new UsageException(string.Create(inv, $"--max-nodata {MaxNoData} is not a fraction in [0, 1]"));
        }

        if (!(CoarseMinValidFraction > 0 && CoarseMinValidFraction <= 1))
        {
            throw new UsageException(string.Create(inv, $"--coarse-min-valid {CoarseMinValidFraction} is not a fraction in (0, 1]"));
        }

        if (CompressionLevel is < 1 or > 12)
        {
            throw new UsageException($"--zlib-level {CompressionLevel} is outside 1-12 (1 fastest, 6 the usual default, 12 smallest)");
        }

        if (Workers < 1)
        {
            throw new UsageException($"--workers {Workers} must be at least 1");
        }

        return this;
    }
}
