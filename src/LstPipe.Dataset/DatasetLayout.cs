using System.Globalization;
using LstPipe.Core.Units;

namespace LstPipe.Dataset;

/// <summary>The GrokLST folder layout: <c>{30m,60m,120m,240m}/{lst,guidance}/NNNNN.mat</c>, <c>split/</c>, plus
/// lstpipe's <c>dataset.json</c> (the card) and <c>tiles.geojson</c>.</summary>
public static class DatasetLayout
{
    /// <summary>The dataset card.</summary>
    public const string CardFileName = "dataset.json";

    /// <summary>Tile footprints.</summary>
    public const string TilesFileName = "tiles.geojson";

    /// <summary>Marks a crop in progress; its presence means the dataset is incomplete.</summary>
    public const string StateFileName = ".lstpipe-crop.json";

    /// <summary>Split folder.</summary>
    public const string SplitFolder = "split";

    /// <summary>The held-out split (<c>split/test.txt</c>) that a pipeline's test stage scores.</summary>
    public const string TestSplit = "test";

    /// <summary>LST folder name inside a scale folder.</summary>
    public const string LstFolder = "lst";

    /// <summary>Guidance folder name inside a scale folder.</summary>
    public const string GuidanceFolder = "guidance";

    /// <summary>The variable holding LST in an LST file.</summary>
    public const string LstVariable = "data";

    /// <summary>Digits of a tile name; names sort as numbers.</summary>
    public const int NameDigits = 5;

    /// <summary>The largest number of tiles a dataset can hold with <see cref="NameDigits"/>-digit names.</summary>
    public const int MaxTiles = 99_999;

    /// <summary>The file name of tile <paramref name="index"/> (0-based): <c>00000.mat</c>.</summary>
    public static string TileFileName(int index) => index.ToString("D" + NameDigits, CultureInfo.InvariantCulture) + ".mat";

    /// <summary>The label of a scale's folder, such as <c>60m</c>.</summary>
    public static string ScaleLabel(GroundSamplingDistance baseGsd, ScaleFactor scale) => baseGsd.Coarsen(scale).Label;

    /// <summary>Path of an LST tile.</summary>
    public static string LstPath(string dataset, string scaleLabel, int index) =>
        Path.Combine(dataset, scaleLabel, LstFolder, TileFileName(index));

    /// <summary>Path of a guidance tile.</summary>
    public static string GuidancePath(string dataset, string scaleLabel, int index) =>
        Path.Combine(dataset, scaleLabel, GuidanceFolder, TileFileName(index));

    /// <summary>The split files of a dataset (<c>split/NAME.txt</c>) by name, with the tiles each lists; empty when it
    /// has none.</summary>
    public static IReadOnlyDictionary<string, int> SplitCounts(string dataset)
    {
        var folder = Path.Combine(dataset, SplitFolder);
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal)
                .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => File.ReadLines(f).Count(l => l.Trim().Length > 0),
                    StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal);
    }
}
