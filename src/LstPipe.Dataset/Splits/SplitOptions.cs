using LstPipe.Core.Errors;
using LstPipe.Core.Options;

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

/// <summary>The options of <c>lstpipe split</c> and of a recipe's <c>split:</c> section; the only declaration of them.</summary>
public sealed record SplitOptions
{
    /// <summary>train:val:test ratio.</summary>
    [Option("ratio", "train:val:test, for example 6:1:3", Positional = true, Parser = typeof(RatioParser))]
    public SplitRatio Ratio { get; init; } = SplitRatio.GrokLst;

    /// <summary>Dataset folder.</summary>
    [Option("dataset", "Dataset folder (made by crop)", Alias = "-d", Required = true, Scope = OptionScope.CommandLine)]
    public string Dataset { get; init; } = "";

    /// <summary>Seed of the shuffle.</summary>
    [Option("seed", "Seed of the shuffle (same seed, same files)")]
    public ulong Seed { get; init; }

    /// <summary>Strategy.</summary>
    [Option("strategy", "random (as GrokLST; overlapping tiles leak) or spatial (blocks + buffer; no leakage)")]
    public SplitStrategy Strategy { get; init; } = SplitStrategy.Random;

    /// <summary>Spatial: extra tiles dropped around other splits' tiles beyond those that overlap; null for auto (0).</summary>
    [Option("buffer", "spatial: extra tiles dropped beyond overlapping neighbours, or auto (0)", Parser = typeof(AutoCountParser))]
    public int? Buffer { get; init; }

    /// <summary>Spatial: block edge in tiles; null for auto (twice the tiles one tile overlaps, at least 2).</summary>
    [Option("block", "spatial: block edge in tiles, or auto", Parser = typeof(AutoCountParser))]
    public int? Block { get; init; }

    /// <summary>The command line, recorded in the report.</summary>
    public string Command { get; init; } = "lstpipe split";

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

    /// <summary>Reads <c>a:b:c</c>.</summary>
    public sealed class RatioParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text) => SplitRatio.Parse(text);

        /// <inheritdoc/>
        public string Format(object value) => value.ToString()!;
    }

    /// <summary>Reads <c>auto</c> (null) or a non-negative count of tiles.</summary>
    public sealed class AutoCountParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text) =>
            text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
            : throw new FormatException("use auto or a non-negative number of tiles");

        /// <inheritdoc/>
        public string Format(object value) => ((int)value).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
