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
    /// <param name="options">What to write.</param>
    /// <param name="progress">Receives the tiles written so far.</param>
    /// <param name="cancellationToken">Stops between row groups.</param>
    /// <param name="staged">Parts already written by shards (<see cref="Stage"/>): moved into place, not rewritten.</param>
    public static ParquetExportResult Run(ParquetExportOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default, StagedUnits? staged = null)
    {
        staged ??= StagedUnits.None;
        var plan = ExportPlan.Of(options);
        var root = Path.GetFullPath(options.Dataset);
        var final = Path.Combine(root, Folder);
        var work = Path.Combine(root, AtomicFile.TemporaryName(Folder));
        Directory.CreateDirectory(work);
        var shards = new List<string>();
        try
        {
            for (var part = 0; part < plan.Parts; part++)
            {
                var path = ShardPath(work, part);
                if (!staged.TryTake(Path.GetFileName(path), path))
                {
                    plan.Write(part, path, cancellationToken, progress);
                }

                shards.Add(path);
                progress?.Report(Math.Min(plan.Tiles.Count, (part + 1) * plan.TilesPerPart));
            }

            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(work, final);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        var paths = shards.Select(s => Path.Combine(final, Path.GetFileName(s))).ToArray();
        return new ParquetExportResult(final, paths, (long)plan.Tiles.Count * plan.Card.Scales.Count, paths.Sum(p => new FileInfo(p).Length));
    }

    /// <summary>Writes one shard's share of the Parquet parts that <see cref="Run"/> would write (part p belongs to
    /// shard p mod N) into <paramref name="staging"/>; parts already there are kept. The run that follows moves them
    /// into place: part boundaries depend only on the tile count and the options, so the parts are those of a whole
    /// export byte for byte.</summary>
    /// <returns>Parts this shard staged.</returns>
    public static int Stage(ParquetExportOptions options, Shard shard, StagedUnits staging, CancellationToken cancellationToken = default)
    {
        var plan = ExportPlan.Of(options);
        var staged = 0;
        for (var part = shard.Index; part < plan.Parts; part += shard.Count)
        {
            var name = Path.GetFileName(ShardPath("", part));
            if (!staging.Has(name))
            {
                plan.Write(part, staging.PathOf(name), cancellationToken);
            }

            staged++;
        }

        return staged;
    }

    /// <summary>Tiles per Parquet part: as many as fit in <see cref="ParquetExportOptions.ShardBytes"/> of raw float32
    /// arrays (every band at every scale), in whole row groups, at least one row group.</summary>
    public static int TilesPerPart(DatasetCard card, ParquetExportOptions options)
    {
        var rawTile = 4L * (1 + card.Guidance.Count) * card.Scales.Sum(s => (long)s.TileSize * s.TileSize);
        var groups = Math.Max(1, options.ShardBytes / rawTile / options.TilesPerRowGroup);
        return (int)Math.Min(int.MaxValue / 2, groups * options.TilesPerRowGroup);
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

    /// <summary>A dataset's tiles cut into parts of a fixed tile count, and the writing of one part.</summary>
    private sealed record ExportPlan(ParquetExportOptions Options, DatasetCard Card, IReadOnlyList<TileRecord> Tiles, IReadOnlyList<ColumnSpec> Schema, int TilesPerPart)
    {
        public int Parts => (Tiles.Count + TilesPerPart - 1) / TilesPerPart;

        public static ExportPlan Of(ParquetExportOptions options)
        {
            options = options.Validate();
            var (card, tiles) = DatasetFolder.Load(options.Dataset);
            return new ExportPlan(options, card, tiles, ParquetExporter.Schema(card.Guidance.Select(g => g.Name)), ParquetExporter.TilesPerPart(card, options));
        }

        /// <summary>Writes part <paramref name="part"/>; <paramref name="progress"/> receives the dataset's tiles
        /// written so far, after each row group.</summary>
        public void Write(int part, string path, CancellationToken cancellationToken, IProgress<int>? progress = null)
        {
            var metadata = new Dictionary<string, string> { [CardKey] = Card.ToJson(), [FormatKey] = FormatId };
            using var writer = ParquetFileWriter.Create(path, Schema, Options.Writer(metadata));
            var end = Math.Min(Tiles.Count, (part + 1) * TilesPerPart);
            for (var first = part * TilesPerPart; first < end; first += Options.TilesPerRowGroup)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = Enumerable.Range(first, Math.Min(Options.TilesPerRowGroup, end - first)).Select(i => Tiles[i]).ToArray();
                var loaded = new TileArrays[batch.Length];
                Parallelism.For(0, batch.Length, Environment.ProcessorCount, cancellationToken,
                    i => loaded[i] = TileArrays.Load(Options.Dataset, Card, batch[i]));
                writer.WriteRowGroup(Columns(Schema, Card, batch, loaded));
                progress?.Report(first + batch.Length);
            }

            writer.Commit();
        }
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
