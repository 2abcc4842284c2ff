using LstPipe.Core.Errors;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset;

/// <summary>Opens a complete dataset made by <c>lstpipe crop</c> (or adopted by <c>lstpipe adopt</c>, whose tiles have
/// no geometry: their records carry only the index): its card and tile index, checked against the .mat files (a
/// dataset shipped as Parquet shards alone, without the .mat folders, is complete too).</summary>
public static class DatasetFolder
{
    /// <summary>Loads and checks the card and tile index.</summary>
    /// <exception cref="UsageException">The folder is missing, incomplete or not a dataset.</exception>
    /// <exception cref="DataException">The card, index and files disagree.</exception>
    public static (DatasetCard Card, IReadOnlyList<TileRecord> Tiles) Load(string dataset)
    {
        var cardPath = Path.Combine(dataset, DatasetLayout.CardFileName);
        if (!Directory.Exists(dataset))
        {
            throw new UsageException($"{dataset}: no such dataset folder");
        }

        if (File.Exists(Path.Combine(dataset, DatasetLayout.StateFileName)))
        {
            throw new UsageException($"{dataset}: holds an interrupted crop; finish it with 'lstpipe crop --resume' first");
        }

        if (!File.Exists(cardPath))
        {
            throw new UsageException(Directory.Exists(Path.Combine(dataset, "30m", DatasetLayout.LstFolder))
                ? $"{dataset}: a folder in GrokLST's layout without {DatasetLayout.CardFileName}; run 'lstpipe adopt {dataset}' " +
                    $"once to check it and write one"
                : $"{dataset}: not a dataset ({DatasetLayout.CardFileName} missing); build one with 'lstpipe crop'");
        }

        var card = DatasetCard.FromJson(File.ReadAllText(cardPath), cardPath);

        var tiles = card.IsAdopted
            ? Enumerable.Range(0, card.TileCount).Select(i => new TileRecord(i, DatasetCard.AdoptedSource, 0, i, 0, 0,
                card.TileSize, 1, null, [])).ToArray()
            : TileIndex.Read(Path.Combine(dataset, DatasetLayout.TilesFileName));
        var lstDir = Path.Combine(dataset, card.Scales[0].Label, DatasetLayout.LstFolder);
        var parquetOnly = !Directory.Exists(lstDir) && Directory.Exists(Path.Combine(dataset, Export.ParquetExporter.Folder));
        var files = Directory.Exists(lstDir) ? Directory.GetFiles(lstDir, "*.mat").Length : 0;
        if (tiles.Count != card.TileCount || (!parquetOnly && files != card.TileCount))
        {
            throw new DataException($"{dataset}: the card lists {card.TileCount} tiles, tiles.geojson {tiles.Count} and " +
                $"{lstDir} holds {files} files; rebuild the dataset");
        }

        if (tiles.Count == 0)
        {
            throw new DataException($"{dataset}: holds no tiles");
        }

        return (card, tiles);
    }
}
