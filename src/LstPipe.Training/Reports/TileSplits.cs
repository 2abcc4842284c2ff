using LstPipe.Core.Errors;
using LstPipe.Dataset;

namespace LstPipe.Training.Reports;

/// <summary>Which split each tile of a dataset belongs to, from <c>split/train.txt</c>, <c>val.txt</c> and
/// <c>test.txt</c>: <c>train</c>, <c>val</c> or <c>test</c>; <c>dropped</c> for a tile in none of them (the buffer
/// a spatial split leaves between its parts); <c>unassigned</c> for every tile when the dataset has no split files.</summary>
public sealed class TileSplits
{
    /// <summary>The parts a split writes, in rank order.</summary>
    public static IReadOnlyList<string> Parts { get; } = ["train", "val", "test"];

    private TileSplits(string[] labels, bool any) => (Labels, HasSplit) = (labels, any);

    /// <summary>The split of each tile, by index.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Whether the dataset has split files.</summary>
    public bool HasSplit { get; }

    /// <summary>The tiles of a split, ascending.</summary>
    public IReadOnlyList<int> Of(string split) => Enumerable.Range(0, Labels.Count).Where(i => Labels[i] == split).ToArray();

    /// <summary>Reads the split files of a dataset of <paramref name="tiles"/> tiles (a missing or empty part is an empty
    /// split).</summary>
    /// <exception cref="DataException">A file is malformed, names a tile that does not exist, or a tile is in two parts.</exception>
    public static TileSplits Read(string dataset, int tiles)
    {
        var labels = Enumerable.Repeat("unassigned", tiles).ToArray();
        var any = false;
        foreach (var part in Parts)
        {
            var path = Path.Combine(dataset, DatasetLayout.SplitFolder, part + ".txt");
            if (!File.Exists(path))
            {
                continue;
            }

            any = true;
            if (File.ReadLines(path).All(l => l.Trim().Length == 0))
            {
                continue;
            }

            foreach (var index in TileLoader.ReadSplit(dataset, part))
            {
                labels[index] = labels[index] == "unassigned"
                    ? part
                    : throw new DataException($"{path}: tile {index} is also in split/{labels[index]}.txt; make the splits " +
                        $"again with 'lstpipe split'");
            }
        }

        if (any)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = labels[i] == "unassigned" ? "dropped" : labels[i];
            }
        }

        return new TileSplits(labels, any);
    }
}
