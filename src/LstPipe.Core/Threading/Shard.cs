using System.Globalization;
using LstPipe.Core.Errors;

namespace LstPipe.Core.Threading;

/// <summary>
/// One deterministic share of a stage's work (<c>--shard i/N</c>): the stage numbers its units of work (regions, tiles,
/// Parquet parts, test chunks) the same way whatever N is, and shard i takes the units whose number modulo N is i, so
/// the shards together do every unit once and each unit's output does not depend on N.
/// </summary>
/// <param name="Index">0-based shard.</param>
/// <param name="Count">Shards in all.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole work: shard 0 of 1.</summary>
    public static Shard Whole => new(0, 1);

    /// <summary>Whether this shard does unit <paramref name="unit"/>.</summary>
    public bool Owns(int unit) => unit % Count == Index;

    /// <summary>Parses <c>i/N</c>.</summary>
    /// <exception cref="UsageException">Not two integers with 0 &lt;= i &lt; N.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i) &&
               int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && i < n
            ? new Shard(i, n)
            : throw new UsageException($"--shard {text}: use i/N with 0 <= i < N (for example 0/4)");
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
