using System.Globalization;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Mat;
using LstPipe.Parquet;
using LstPipe.Parquet.Format;

namespace LstPipe.Dataset.Export;

/// <summary>What an export wrote.</summary>
/// <param name="Folder">The shard folder.</param>
/// <param name="Shards">Shard paths.</param>
/// <param name="Rows">Rows written (tiles x scales).</param>
/// <param name="Bytes">Bytes on disk.</param>
public sealed record ParquetExportResult(string Folder, IReadOnlyList<string> Shards, long Rows, long Bytes);

/// <summary>
/// Writes a dataset as Parquet shards, <c>parquet/part-NNNNN.parquet</c>: one row per tile and scale, tile-major so a
/// tile's scales sit in the same shard. Arrays are Parquet LIST of FLOAT (DuckDB reads them as <c>FLOAT[]</c>, pandas
/// and pyarrow as lists of float32) in row-major order; every shard carries the dataset card in its key-value metadata.
/// </summary>
public static class ParquetExporter
{
    /// <summary>Shard folder inside a dataset.</summary>
    public const string Folder = "parquet";

    /// <summary>Key of the dataset card in the file metadata.</summary>
    public const string CardKey = "lstpipe.dataset_card";

    /// <summary>Key of the row layout identifier in the file metadata.</summary>
    public const string FormatKey = "lstpipe.format";

    /// <summary>Row layout identifier.</summary>
    public const string FormatId = "lstpipe-tiles/1";

    /// <summary>The columns of a tile shard for the given guidance channels.</summary>
    public static IReadOnlyList<ColumnSpec> Schema(IEnumerable<string> guidance) =>
    [
        new("tile_index", PhysicalType.Int32),
        ColumnSpec.String("scale"),
        new("scale_factor", PhysicalType.Int32),
        ColumnSpec.String("name"),
        ColumnSpec.String("scene"),
        new("row", PhysicalType.Int32),
        new("col", PhysicalType.Int32),
        new("height", PhysicalType.Int32),
        new("width", PhysicalType.Int32),
        new("epsg", PhysicalType.Int32, ColumnShape.Optional),
        ColumnSpec.String("crs_wkt"),
        new("geotransform", PhysicalType.Double, ColumnShape.List),
        new("valid_fraction", PhysicalType.Double),
        ColumnSpec.FloatList("lst"),
        .. guidance.Select(ColumnSpec.FloatList),
    ];

    /// <summary>Exports a dataset; an existing <c>parquet/</c> folder is replaced when the new one is complete.</summary>
    public static ParquetExportResult Run(ParquetExportOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        options = options.Validate();
        var (card, tiles) = DatasetFolder.Load(options.Dataset);
        var names = card.Guidance.Select(g => g.Name).ToArray();
        var schema = Schema(names);
        var metadata = new Dictionary<string, string> { [CardKey] = card.ToJson(), [FormatKey] = FormatId };
        var root = Path.GetFullPath(options.Dataset);
        var final = Path.Combine(root, Folder);
        var work = Path.Combine(root, AtomicFile.TemporaryName(Folder));
        Directory.CreateDirectory(work);
        var shards = new List<string>();
        ParquetFileWriter? writer = null;
        long rows = 0;
        try
        {
            for (var first = 0; first < tiles.Count; first += options.TilesPerRowGroup)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = tiles.Skip(first).Take(options.TilesPerRowGroup).ToArray();
                var loaded = new TileArrays[batch.Length];
                Parallelism.For(0, batch.Length, Environment.ProcessorCount, cancellationToken,
                    i => loaded[i] = TileArrays.Load(options.Dataset, card, batch[i]));
                writer ??= ParquetFileWriter.Create(ShardPath(work, shards.Count), schema, options.Writer(metadata));
                writer.WriteRowGroup(Columns(schema, card, batch, loaded));
                rows += batch.Length * card.Scales.Count;
                progress?.Report(first + batch.Length);
                if (writer.Length >= options.ShardBytes)
                {
                    writer.Commit();
                    shards.Add(writer.Path);
                    writer = null;
                }
            }

            if (writer is not null)
            {
                writer.Commit();
                shards.Add(writer.Path);
                writer = null;
            }

            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(work, final);
        }
        finally
        {
            writer?.Dispose();
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        var paths = shards.Select(s => Path.Combine(final, Path.GetFileName(s))).ToArray();
        return new ParquetExportResult(final, paths, rows, paths.Sum(p => new FileInfo(p).Length));
    }

    private static string ShardPath(string folder, int index) =>
        Path.Combine(folder, "part-" + index.ToString("D5", CultureInfo.InvariantCulture) + ".parquet");

    private static List<ColumnValues> Columns(IReadOnlyList<ColumnSpec> schema, DatasetCard card, TileRecord[] batch, TileArrays[] loaded)
    {
        var scales = card.Scales;
        var n = batch.Length * scales.Count;
        var columns = schema.Select(c => Array.CreateInstance(c.Shape switch
        {
            ColumnShape.List => c.Type == PhysicalType.Double ? typeof(double[]) : typeof(float[]),
            ColumnShape.Optional => typeof(int?),
            _ => c.IsString ? typeof(string) : c.Type == PhysicalType.Double ? typeof(double) : typeof(int),
        }, n)).ToArray();
        var row = 0;
        for (var t = 0; t < batch.Length; t++)
        {
            var tile = batch[t];
            var scene = card.Scenes.First(s => s.Id == tile.Scene);
            for (var s = 0; s < scales.Count; s++, row++)
            {
                var scale = scales[s];
                var res = card.BaseResolutionMetres * scale.Factor;
                object?[] values =
                [
                    tile.Index, scale.Label, scale.Factor, tile.Name, tile.Scene, tile.Row, tile.Col, scale.TileSize, scale.TileSize,
                    scene.Epsg, scene.CrsWkt, new[] { tile.Footprint[0][0], res, 0, tile.Footprint[0][1], 0, -res }, tile.ValidFraction,
                    .. loaded[t].Bands[s],
                ];
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c].SetValue(values[c], row);
                }
            }
        }

        return schema.Select((c, i) => new ColumnValues(c, columns[i])).ToList();
    }

    /// <summary>Every band of one tile at every scale, read from its MAT files.</summary>
    private sealed record TileArrays(float[][][] Bands)
    {
        public static TileArrays Load(string dataset, DatasetCard card, TileRecord tile) => new(card.Scales.Select(scale =>
        {
            var lst = MatFile.Read(DatasetLayout.LstPath(dataset, scale.Label, tile.Index), DatasetLayout.LstVariable).Values;
            var guidance = MatFile.Read(DatasetLayout.GuidancePath(dataset, scale.Label, tile.Index));
            return new[] { lst }.Concat(card.Guidance.Select(g =>
                (guidance.FirstOrDefault(a => a.Name == g.Name) ?? throw new Core.Errors.DataException(
                    $"{DatasetLayout.GuidancePath(dataset, scale.Label, tile.Index)}: has no variable '{g.Name}'")).Values)).ToArray();
        }).ToArray());
    }
}
