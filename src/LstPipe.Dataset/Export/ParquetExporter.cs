using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Mat;
using LstPipe.Dataset.Parquet;
using LstPipe.Raster.Checks;

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
    public static ParquetExportResult Run(ExportOptions options, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default, StagedUnits? staged = null)
    {
        staged ??= StagedUnits.None;
        var plan = ExportPlan.Of(options);
        using var output = OutputTransaction.Folder(Path.Combine(options.Dataset, Folder), OutputMode.Force, "lstpipe export",
            [], lockOn: options.Dataset);
        var done = 0;
        void Count(int tiles) => progress?.Report(Interlocked.Add(ref done, tiles));
        Parallelism.For(0, plan.Parts, Math.Max(1, Math.Min(options.Workers, plan.Parts)), cancellationToken, part =>
        {
            var path = ShardPath(output.Path, part);
            if (staged.TryTake(Path.GetFileName(path), path))
            {
                Count(Math.Min(plan.Tiles.Count, (part + 1) * plan.TilesPerPart) - part * plan.TilesPerPart);
            }
            else
            {
                plan.Write(part, path, cancellationToken, Count);
            }
        });
        output.Commit();
        var final = output.FinalPath;
        var shards = Enumerable.Range(0, plan.Parts).Select(p => ShardPath(final, p)).ToList();
        var paths = shards.Select(s => Path.Combine(final, Path.GetFileName(s))).ToArray();
        return new ParquetExportResult(final, paths, (long)plan.Tiles.Count * plan.Card.Scales.Count,
            paths.Sum(p => new FileInfo(p).Length));
    }

    /// <summary>Writes one shard's share of the Parquet parts that <see cref="Run"/> would write (part p belongs to
    /// shard p mod N) into <paramref name="staging"/>; parts already there are kept. The run that follows moves them
    /// into place: part boundaries depend only on the tile count and the options, so the parts are those of a whole
    /// export byte for byte.</summary>
    /// <returns>Parts this shard staged.</returns>
    public static int Stage(ExportOptions options, Shard shard, StagedUnits staging, CancellationToken cancellationToken = default)
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

    /// <summary>Tiles per Parquet part: as many as fit in <see cref="ExportOptions.ShardBytes"/> of raw float32
    /// arrays (every band at every scale), in whole row groups, at least one row group.</summary>
    public static int TilesPerPart(DatasetCard card, ExportOptions options)
    {
        var rawTile = 4L * (1 + card.Guidance.Count) * card.Scales.Sum(s => (long)s.TileSize * s.TileSize);
        var groups = Math.Max(1, options.ShardBytes / rawTile / options.TilesPerRowGroup);
        return (int)Math.Min(int.MaxValue / 2, groups * options.TilesPerRowGroup);
    }

    private static string ShardPath(string folder, int index) =>
        Path.Combine(folder, "part-" + index.ToString("D5", CultureInfo.InvariantCulture) + ".parquet");

    private sealed record ExportPlan(ExportOptions Options, DatasetCard Card, IReadOnlyList<TileRecord> Tiles,
        IReadOnlyList<ColumnSpec> Schema, int TilesPerPart)
    {
        public int Parts => (Tiles.Count + TilesPerPart - 1) / TilesPerPart;

        public static ExportPlan Of(ExportOptions options)
        {
            options = options.Validate();
            var (card, tiles) = DatasetFolder.Load(options.Dataset);
            return new ExportPlan(options, card, tiles, ParquetExporter.Schema(card.Guidance.Select(g => g.Name)),
                ParquetExporter.TilesPerPart(card, options));
        }

        /// <summary>Writes part <paramref name="part"/>; <paramref name="rowGroupDone"/> receives the tiles of each row
        /// group written. ParquetSharp encodes and compresses on the calling thread, so parts are written in parallel
        /// (<see cref="ExportOptions.Workers"/>), each holding one row group of tiles.</summary>
        public void Write(int part, string path, CancellationToken cancellationToken, Action<int>? rowGroupDone = null)
        {
            try
            {
                WriteCore(part, path, cancellationToken, rowGroupDone);
            }
            catch (Exception e) when (WriteFailure.Classify(path, e) is { } failure)
            {
                throw failure;
            }
        }

        private void WriteCore(int part, string path, CancellationToken cancellationToken, Action<int>? rowGroupDone)
        {
            var metadata = new Dictionary<string, string> { [CardKey] = Card.ToJson(), [FormatKey] = FormatId };
            using var writer = ParquetFileWriter.Create(path, Schema, Options.Writer(metadata));
            var end = Math.Min(Tiles.Count, (part + 1) * TilesPerPart);
            for (var first = part * TilesPerPart; first < end; first += Options.TilesPerRowGroup)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = Enumerable.Range(first, Math.Min(Options.TilesPerRowGroup, end - first)).Select(i => Tiles[i]).ToArray();
                var rows = Rows(Card, batch);
                var samples = Card.Guidance.Select(_ => new float[rows.Length][]).ToArray();
                writer.WriteRowGroup(rows.Length, c => Column(c, rows, samples, cancellationToken));
                for (var i = 0; i < rows.Length; i++)
                {
                    GuidanceCheck.Tile(Card.Guidance, [.. samples.Select(s => s[i])], MatPath(rows[i], DatasetLayout.GuidanceFolder));
                }
                rowGroupDone?.Invoke(batch.Length);
            }

            writer.Commit();
        }

        private Array Column(int column, Row[] rows, float[][][] samples, CancellationToken cancellationToken)
        {
            T[] Of<T>(Func<Row, T> value) => rows.Select(value).ToArray();
            return Schema[column].Name switch
            {
                "tile_index" => Of(r => r.Tile.Index),
                "scale" => Of(r => r.Scale.Label),
                "scale_factor" => Of(r => r.Scale.Factor),
                "name" => Of(r => Path.GetFileNameWithoutExtension(Card.TileFileName(r.Tile.Index))),
                "scene" => Of(r => r.Tile.Scene),
                "row" => Of(r => r.Tile.Row),
                "col" => Of(r => r.Tile.Col),
                "height" or "width" => Of(r => r.Scale.TileSize),
                "epsg" => Of(r => r.Scene?.Epsg),
                "crs_wkt" => Of(r => r.Scene?.CrsWkt ?? ""),
                "geotransform" => Of(r => r.Tile.Footprint.Length == 0 ? [] : new[] { r.Tile.Footprint[0][0], r.Resolution, 0,
                    r.Tile.Footprint[0][1], 0, -r.Resolution }),
                "valid_fraction" => Of(r => r.Tile.ValidFraction),
                var band => Band(band, rows, samples, cancellationToken),
            };
        }

        /// <summary>One band of every row, read from the MAT files (one variable of each; in parallel); of a guidance
        /// band, the sample <see cref="GuidanceCheck"/> judges is kept in <paramref name="samples"/>.</summary>
        private float[][] Band(string band, Row[] rows, float[][][] samples, CancellationToken cancellationToken)
        {
            var values = new float[rows.Length][];
            var channel = band == "lst" ? -1 : Card.Guidance.Select(g => g.Name).ToList().IndexOf(band);
            Parallelism.For(0, rows.Length, Environment.ProcessorCount, cancellationToken, i =>
            {
                var path = MatPath(rows[i], channel < 0 ? DatasetLayout.LstFolder : DatasetLayout.GuidanceFolder);
                var a = MatFile.Read(path, channel < 0 ? DatasetLayout.LstVariable : band);
                if (channel >= 0)
                {
                    samples[channel][i] = GuidanceCheck.Sample(a.Values);
                }
                else
                {
                    LstCheck.Tile(a.Values, a.Width, path);
                }

                values[i] = a.Values;
            });
            return values;
        }

        private string MatPath(Row r, string folder) =>
            Path.Combine(Options.Dataset, r.Scale.Label, folder, Card.TileFileName(r.Tile.Index));
    }

    /// <summary>Every band of one tile at every scale, read from its MAT files.</summary>
    /// <summary>One row of a row group: a tile at a scale.</summary>
    private sealed record Row(TileRecord Tile, CardScale Scale, CardScene? Scene, double Resolution);

    private static Row[] Rows(DatasetCard card, TileRecord[] batch) =>
    [
        .. batch.SelectMany(t => card.Scales.Select(s => new Row(t, s, card.Scenes.FirstOrDefault(c => c.Id == t.Scene),
            card.BaseResolutionMetres * s.Factor))),
    ];

}
