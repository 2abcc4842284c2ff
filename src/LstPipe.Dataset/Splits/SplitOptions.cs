using LstPipe.Core.Errors;

namespace LstPipe.Dataset.Splits;

/// <summary>How tiles are assigned to splits.</summary>
public enum SplitStrategy
{
    /// <summary>Tiles shuffled one by one, as GrokLST did: overlapping tiles leak between splits.</summary>
    Random,

    /// <summary>Whole blocks of the tile grid go to one split, and tiles that would share pixels with a tile of
    /// another split are dropped: no pixel of a test tile is in a training or validation tile.</summary>
    Spatial,
}

/// <summary>The validated options of <c>lstpipe split</c>.</summary>
public sealed record SplitOptions
{
    /// <summary>Dataset folder.</summary>
    public required string Dataset { get; init; }

    /// <summary>train:val:test ratio.</summary>
    public SplitRatio Ratio { get; init; } = SplitRatio.GrokLst;

    /// <summary>Seed of the shuffle.</summary>
    public ulong Seed { get; init; }

    /// <summary>Strategy.</summary>
    public SplitStrategy Strategy { get; init; } = SplitStrategy.Random;

    /// <summary>Spatial: extra tiles dropped around other splits' tiles beyond those that overlap; null for auto (0).</summary>
    public int? Buffer { get; init; }

    /// <summary>Spatial: block edge in tiles; null for auto (twice the tiles one tile overlaps, at least 2).</summary>
    public int? Block { get; init; }

    /// <summary>The command line, recorded in the report.</summary>
    public string Command { get; init; } = "lstpipe split";

    /// <summary>Parses <c>random</c> or <c>spatial</c>.</summary>
    public static SplitStrategy ParseStrategy(string text) => text.Trim().ToLowerInvariant() switch
    {
        "random" => SplitStrategy.Random,
        "spatial" => SplitStrategy.Spatial,
        _ => throw new UsageException($"--strategy '{text}' is unknown: use random or spatial"),
    };

    /// <summary>Parses <c>auto</c> or a non-negative tile count.</summary>
    public static int? ParseBuffer(string text) =>
        text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
        : throw new UsageException($"--buffer '{text}' is not 'auto' or a non-negative number of tiles");

    /// <summary>Checks the options and returns them.</summary>
    public SplitOptions Validate()
    {
        if (Block is < 1)
        {
            throw new UsageException($"--block {Block} must be at least 1 tile");
        }

        if (Strategy == SplitStrategy.Random && (Buffer is not null || Block is not null))
        {
            throw new UsageException("--buffer and --block apply to --strategy spatial only");
        }

        return this;
    }
}
