
namespace LstPipe.Dataset.Parquet;

/// <summary>What <c>lstpipe info</c> shows of a Parquet file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Rows">Rows.</param>
/// <param name="RowGroups">Row groups.</param>
/// <param name="CreatedBy">Writer.</param>
/// <param name="MetadataKeys">Key-value metadata keys.</param>
/// <param name="Columns">Per-column schema, sizes and statistics over all row groups.</param>
public sealed record ParquetSummary(string Path, long Rows, int RowGroups, string? CreatedBy,
    IReadOnlyList<string> MetadataKeys, IReadOnlyList<ParquetColumnSummary> Columns)
{
    /// <summary>Whether a file starts with the Parquet magic.</summary>
    public static bool IsParquet(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var s = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return s.Read(head) == 4 && head.SequenceEqual("PAR1"u8);
    }

    /// <summary>Reads the footer of a file and aggregates its column statistics.</summary>
    public static ParquetSummary Describe(string path)
    {
        using var reader = ParquetFileReader.Open(path);
        var chunks = Enumerable.Range(0, reader.RowGroupCount).Select(reader.ColumnChunks).ToList();
        var columns = reader.Schema.Select((c, i) =>
        {
            var mine = chunks.Select(g => g[i]).ToList();
            var mins = mine.Select(m => m.Min).OfType<IComparable>().ToList();
            var maxs = mine.Select(m => m.Max).OfType<IComparable>().ToList();
            return new ParquetColumnSummary(c.Name, Describe(c), mine.FirstOrDefault()?.Codec.ToString().ToUpperInvariant() ?? "-",
                string.Join(",", mine.SelectMany(m => m.Encodings).Distinct().Select(e => e.ToString().ToUpperInvariant())),
                mine.Sum(m => m.Values), mine.Sum(m => m.CompressedBytes), mine.Sum(m => m.UncompressedBytes),
                mine.All(m => m.NullCount is not null) ? mine.Sum(m => m.NullCount!.Value) : null,
                mins.Count > 0 ? mins.Min() : null, maxs.Count > 0 ? maxs.Max() : null);
        }).ToList();
        return new ParquetSummary(path, reader.NumRows, reader.RowGroupCount, reader.CreatedBy,
            reader.Metadata.Keys.Order(StringComparer.Ordinal).ToList(), columns);
    }

    private static string Describe(ColumnSpec c)
    {
        var t = c.IsString ? "STRING" : c.Type.ToString().ToUpperInvariant();
        return c.Shape switch
        {
            ColumnShape.List => $"LIST<{t}>",
            ColumnShape.Optional => t + " (optional)",
            _ => t,
        };
    }
}

/// <summary>One column of a <see cref="ParquetSummary"/>.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Type and shape.</param>
/// <param name="Codec">Compression.</param>
/// <param name="Encodings">Encodings.</param>
/// <param name="Values">Leaf values (list elements and nulls included).</param>
/// <param name="CompressedBytes">Bytes on disk.</param>
/// <param name="UncompressedBytes">Bytes uncompressed.</param>
/// <param name="Nulls">Null count.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
public sealed record ParquetColumnSummary(string Name, string Type, string Codec, string Encodings, long Values,
    long CompressedBytes, long UncompressedBytes, long? Nulls, object? Min, object? Max);
