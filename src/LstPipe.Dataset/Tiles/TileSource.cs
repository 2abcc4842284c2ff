using LstPipe.Core.Errors;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Mat;
using LstPipe.Dataset.Parquet;
using LstPipe.Raster.Checks;

namespace LstPipe.Dataset.Tiles;

/// <summary>One tile at one scale: LST and the guidance channels, row-major.</summary>
/// <param name="Index">Tile index.</param>
/// <param name="Scale">Scale label (<c>30m</c>, ...).</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
/// <param name="Lst">LST in Kelvin.</param>
/// <param name="Guidance">Guidance channels in the card's order.</param>
public sealed record TileArrays(int Index, string Scale, int Height, int Width, float[] Lst, IReadOnlyList<float[]> Guidance);

/// <summary>Where a training or evaluation loader reads tiles from: the GrokLST <c>.mat</c> folders or the Parquet
/// shards of the same dataset. Both give identical arrays. Not thread-safe; open one per loader thread.</summary>
public abstract class TileSource : IDisposable
{
    /// <summary>The dataset card.</summary>
    public required DatasetCard Card { get; init; }

    /// <summary>Tiles in the dataset.</summary>
    public int Count => Card.TileCount;

    /// <summary>Reads tile <paramref name="index"/> at scale <paramref name="scale"/>.</summary>
    public abstract TileArrays Read(int index, string scale);

    /// <summary>Reads the LST of tile <paramref name="index"/> from a level folder outside the card's scales (the real LR of
    /// <c>crop --real-lr</c>, <c>960m-real/lst</c>), checked to be <paramref name="height"/> x <paramref name="width"/>.</summary>
    /// <exception cref="UsageException">The source is Parquet, which holds the card's scales only.</exception>
    /// <exception cref="DataException">The file is missing or of another size.</exception>
    public virtual float[] ReadLst(int index, string folder, int height, int width) =>
        throw new UsageException($"{folder}: the real LR is kept in .mat files only, not in Parquet shards; read it with --format mat");

    /// <summary>Opens the <c>.mat</c> files of a dataset.</summary>
    public static TileSource OpenMat(string dataset)
    {
        var card = DatasetFolder.Load(dataset).Card;
        return Directory.Exists(Path.Combine(dataset, card.Scales[0].Label, DatasetLayout.LstFolder))
            ? new MatTileSource(dataset) { Card = card }
            : throw new UsageException($"{dataset}: has no .mat tiles, only Parquet shards; read it with --format parquet");
    }

    /// <summary>Opens the Parquet shards in <c>DATASET/parquet</c> (or a folder of shards).</summary>
    public static TileSource OpenParquet(string datasetOrShards)
    {
        var folder = Directory.Exists(Path.Combine(datasetOrShards, ParquetExporter.Folder)) ? Path.Combine(datasetOrShards,
            ParquetExporter.Folder) : datasetOrShards;
        var shards = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.parquet").Order(StringComparer.Ordinal).ToArray() : [];
        if (shards.Length == 0)
        {
            throw new UsageException($"{datasetOrShards}: no Parquet shards; write them with 'lstpipe export --format parquet'");
        }

        return ParquetTileSource.Open(shards);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases open files.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The fix named for a real-LR tile outside 150-400 K.</summary>
    private const string RealLrFix = "the coarse sensor's LST is not in Kelvin: fix its scene (scene.json lst.unit) and crop again";

    private protected void CheckRange(int index, string scale)
    {
        if (index < 0 || index >= Count || Card.Scales.All(s => s.Label != scale))
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"tile {index} at {scale} is not in the dataset ({Count} " +
                $"tiles; scales {string.Join(", ", Card.Scales.Select(s => s.Label))})");
        }
    }

    private sealed class MatTileSource(string dataset) : TileSource
    {
        public override float[] ReadLst(int index, string folder, int height, int width)
        {
            var path = Path.Combine(dataset, folder, DatasetLayout.LstFolder, Card.TileFileName(index));
            if (!File.Exists(path))
            {
                throw new DataException($"{path}: missing; the real level lacks tile {index}: crop the dataset again with --real-lr");
            }

            var lst = MatFile.Read(path, DatasetLayout.LstVariable);
            LstCheck.Tile(lst.Values, lst.Width, path, RealLrFix);
            return lst.Height == height && lst.Width == width ? lst.Values : throw new DataException(
                $"{path}: is {lst.Height} x {lst.Width}, not the {height} x {width} of the level it stands beside; crop the dataset again");
        }

        public override TileArrays Read(int index, string scale)
        {
            CheckRange(index, scale);
            var name = Card.TileFileName(index);
            var lstPath = Path.Combine(dataset, scale, DatasetLayout.LstFolder, name);
            var lst = MatFile.Read(lstPath, DatasetLayout.LstVariable);
            LstCheck.Tile(lst.Values, lst.Width, lstPath);
            var guidancePath = Path.Combine(dataset, scale, DatasetLayout.GuidanceFolder, name);
            var variables = MatFile.Read(guidancePath).ToDictionary(a => a.Name);
            var guidance = Card.Guidance.Select(g => variables.TryGetValue(g.Name, out var a)
                ? a.Values
                : throw new DataException($"{guidancePath}: has no variable '{g.Name}'")).ToArray();
            GuidanceCheck.Tile(Card.Guidance, guidance, guidancePath);
            return new TileArrays(index, scale, lst.Height, lst.Width, lst.Values, guidance);
        }
    }

    private sealed class ParquetTileSource : TileSource
    {
        private readonly ParquetFileReader[] _readers;
        private readonly Dictionary<(int, string), (int Shard, int Group, int Row)> _where;
        private (int Shard, int Group)? _cachedKey;
        private Dictionary<string, Array>? _cached;

        private ParquetTileSource(ParquetFileReader[] readers, Dictionary<(int, string), (int, int, int)> where)
        {
            _readers = readers;
            _where = where;
        }

        public static ParquetTileSource Open(string[] shards)
        {
            var readers = new List<ParquetFileReader>();
            try
            {
                var where = new Dictionary<(int, string), (int, int, int)>();
                DatasetCard? card = null;
                foreach (var path in shards)
                {
                    var r = ParquetFileReader.Open(path);
                    readers.Add(r);
                    if (!r.Metadata.TryGetValue(ParquetExporter.CardKey, out var json))
                    {
                        throw new DataException($"{path}: has no dataset card ({ParquetExporter.CardKey}); it was not written " +
                            $"by 'lstpipe export'");
                    }

                    card ??= DatasetCard.FromJson(json, $"{path} (footer {ParquetExporter.CardKey})");
                    for (var g = 0; g < r.RowGroupCount; g++)
                    {
                        var tiles = (int[])r.ReadColumn(g, "tile_index").Values;
                        var scales = (string[])r.ReadColumn(g, "scale").Values;
                        for (var i = 0; i < tiles.Length; i++)
                        {
                            where[(tiles[i], scales[i])] = (readers.Count - 1, g, i);
                        }
                    }
                }

                return new ParquetTileSource([.. readers], where) { Card = card! };
            }
            catch
            {
                readers.ForEach(r => r.Dispose());
                throw;
            }
        }

        public override TileArrays Read(int index, string scale)
        {
            CheckRange(index, scale);
            if (!_where.TryGetValue((index, scale), out var at))
            {
                throw new DataException($"tile {index} at {scale} is missing from the Parquet shards");
            }

            if (_cachedKey != (at.Shard, at.Group))
            {
                var reader = _readers[at.Shard];
                _cached = new[] { "height", "width", "lst" }.Concat(Card.Guidance.Select(g => g.Name))
                    .ToDictionary(n => n, n => reader.ReadColumn(at.Group, n).Values);
                _cachedKey = (at.Shard, at.Group);
            }

            var c = _cached!;
            var (lst, width) = (((float[][])c["lst"])[at.Row], ((int[])c["width"])[at.Row]);
            LstCheck.Tile(lst, width, $"{_readers[at.Shard].Path} (tile {index} at {scale})");
            var guidance = Card.Guidance.Select(g => ((float[][])c[g.Name])[at.Row]).ToArray();
            GuidanceCheck.Tile(Card.Guidance, guidance, $"{_readers[at.Shard].Path} (tile {index} at {scale})");
            return new TileArrays(index, scale, ((int[])c["height"])[at.Row], width, lst, guidance);
        }

        protected override void Dispose(bool disposing)
        {
            foreach (var r in _readers)
            {
                r.Dispose();
            }
        }
    }
}
