using System.Globalization;
using System.Text.RegularExpressions;
using LstPipe.Core;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Options;
using LstPipe.Core.Units;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Mat;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Scenes;

namespace LstPipe.Dataset.Adopt;

/// <summary>The options of <c>lstpipe adopt</c>.</summary>
public sealed record AdoptOptions
{
    /// <summary>A folder in GrokLST's layout: <c>NNm/lst/*.mat</c>, <c>NNm/guidance/*.mat</c>, <c>split/*.txt</c>.</summary>
    [Option("dataset", "A folder in GrokLST's layout: 30m/lst, 30m/guidance, 60m/..., split/*.txt", Positional = true, Required = true,
        Scope = OptionScope.CommandLine)]
    public string Dataset { get; init; } = "";

    /// <summary>Adopt again over an existing <c>dataset.json</c>.</summary>
    [Option("force", "Check the folder and write dataset.json again", Scope = OptionScope.CommandLine)]
    public bool Force { get; init; }

    /// <summary>The command line, recorded in the card.</summary>
    public string Command { get; init; } = "lstpipe adopt";
}

/// <summary>What <c>lstpipe adopt</c> found.</summary>
/// <param name="Card">The card it wrote.</param>
/// <param name="MissingChannels">GrokLST guidance channels the folder does not hold.</param>
/// <param name="Splits">The split files it found, with their tile counts.</param>
/// <param name="Stored">How values are stored (<c>single</c>, <c>double</c> or both), across the files.</param>
public sealed record AdoptResult(DatasetCard Card, IReadOnlyList<string> MissingChannels, IReadOnlyDictionary<string,
    int> Splits, string Stored);

/// <summary>
/// Checks a folder in GrokLST's layout that lstpipe did not build (the published benchmark, or one written by MATLAB or
/// scipy) and writes its <c>dataset.json</c>: the same sorted file names in every folder, tile sizes consistent across
/// the scales, every value finite, guidance variables among GrokLST's ten (a subset is listed), and the statistics of
/// every band at every scale from one pass over the files. The card says the source is adopted and carries no tile
/// geometry (<c>tiles.geojson</c> is not written): spatial splits refuse, and the shipped split files are kept.
/// </summary>
public static partial class GrokLstAdopter
{
    [GeneratedRegex(@"^(\d+(?:\.\d+)?)m$")]
    private static partial Regex ScaleFolder();

    /// <summary>Adopts the folder.</summary>
    /// <exception cref="UsageException">The folder is missing, already a dataset, or not in GrokLST's layout.</exception>
    /// <exception cref="DataException">Its files disagree (names, sizes, variables) or hold non-finite values.</exception>
    public static AdoptResult Run(AdoptOptions o, IProgress<(int Done, int Total)>? progress = null)
    {
        var root = o.Dataset;
        if (!Directory.Exists(root))
        {
            throw new UsageException($"{root}: no such folder");
        }

        var cardPath = Path.Combine(root, DatasetLayout.CardFileName);
        if (File.Exists(cardPath) && !o.Force)
        {
            throw new UsageException($"{root}: is already a dataset ({DatasetLayout.CardFileName}); pass --force to check it " +
                $"and write the card again");
        }

        using var output = OutputTransaction.Folder(root, OutputMode.Into, o.Command, []);
        var scales = Directory.GetDirectories(root)
            .Select(d => (Dir: d, Match: ScaleFolder().Match(Path.GetFileName(d))))
            .Where(s => s.Match.Success && Directory.Exists(Path.Combine(s.Dir,
                DatasetLayout.LstFolder)) && Directory.Exists(Path.Combine(s.Dir, DatasetLayout.GuidanceFolder)))
            .Select(s => (Label: Path.GetFileName(s.Dir), Metres: double.Parse(s.Match.Groups[1].Value, CultureInfo.InvariantCulture)))
            .OrderBy(s => s.Metres)
            .ToList();
        if (scales.Count < 2)
        {
            throw new UsageException($"{root}: not in GrokLST's layout: it needs two or more scale folders such as 30m/ and " +
                $"120m/, each with lst/ and guidance/ (found {scales.Count})");
        }

        if (scales.FirstOrDefault(s => s.Metres <= 0) is { Label: not null } zero)
        {
            throw new DataException($"{Path.Combine(root, zero.Label)}: a scale folder of 0 m; GrokLST names its scale folders " +
                $"by their pixel size in metres (30m, 60m, ...)");
        }

        var names = FileNames(root, scales[0].Label, DatasetLayout.LstFolder);
        foreach (var (label, _) in scales)
        {
            foreach (var kind in new[] { DatasetLayout.LstFolder, DatasetLayout.GuidanceFolder })
            {
                var other = FileNames(root, label, kind);
                var first = Enumerable.Range(0, Math.Max(names.Count,
                    other.Count)).FirstOrDefault(i => i >= names.Count || i >= other.Count || names[i] != other[i], -1);
                if (first >= 0)
                {
                    var where = Path.Combine(root, label, kind);
                    throw new DataException(first >= other.Count || first >= names.Count
                        ? $"{where}: holds {other.Count} .mat files where {scales[0].Label}/lst holds {names.Count}; GrokLST " +
                            $"pairs files by their sorted position, so every folder needs the same names"
                        : $"{where}: file {first} is '{other[first]}' where {scales[0].Label}/lst has '{names[first]}'; GrokLST " +
                            $"pairs files by their sorted position, so every folder needs the same names");
                }
            }
        }

        var baseMetres = scales[0].Metres;
        var factors = scales.Select(s => s.Metres / baseMetres).ToList();
        if (factors.Any(f => Math.Abs(f - Math.Round(f)) > 1e-9))
        {
            throw new DataException($"{root}: scale folders {string.Join(", ", scales.Select(s => s.Label))} are not whole " +
                $"multiples of {scales[0].Label}");
        }

        var sample = ReadLst(Path.Combine(root, scales[0].Label, DatasetLayout.LstFolder, names[0]));
        if (sample.Height != sample.Width)
        {
            throw new DataException($"{Path.Combine(root, scales[0].Label, DatasetLayout.LstFolder, names[0])}: tiles are " +
                $"{sample.Height} x {sample.Width}; lstpipe trains on square tiles");
        }

        var tileSize = sample.Height;
        var coarse = factors.FindIndex(f => f > tileSize);
        if (coarse >= 0)
        {
            var label = scales[coarse].Label.Length <= 40 ? scales[coarse].Label : scales[coarse].Label[..37] + "...";
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"{root}: scale folder '{label}' is x{factors[coarse]:G3} the {scales[0].Label} folder's pixel size: coarser " +
                    $"than its {tileSize} px tiles"));
        }

        var sizes = factors.Select(f => (int)Math.Round(f)).Select(f => tileSize % f == 0 ? tileSize / f
            : throw new DataException($"{root}: {tileSize} px tiles at {scales[0].Label} do not divide by the x{f} scale")).ToList();
        var firstGuidance = ReadAll(Path.Combine(root, scales[0].Label, DatasetLayout.GuidanceFolder,
            names[0])).Select(a => a.Name).ToList();
        var unknown = firstGuidance.Where(n => GuidanceChannel.GrokLst.All(g => g.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new DataException($"{Path.Combine(root, scales[0].Label, DatasetLayout.GuidanceFolder, names[0])}: variables " +
                $"{string.Join(", ", unknown)} are not GrokLST guidance channels " +
                    $"({string.Join(", ", GuidanceChannel.GrokLst.Select(g => g.Name))})");
        }

        var channels = GuidanceChannel.GrokLst.Where(g => firstGuidance.Contains(g.Name)).ToList();
        var bands = new[] { "lst" }.Concat(channels.Select(c => c.Name)).ToArray();
        var moments = scales.Select(_ => bands.Select(_ => new BandMoments()).ToArray()).ToArray();
        var stored = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            for (var s = 0; s < scales.Count; s++)
            {
                var lstPath = Path.Combine(root, scales[s].Label, DatasetLayout.LstFolder, names[i]);
                var lst = ReadLst(lstPath);
                Check(lstPath, lst, sizes[s]);
                LstCheck.Tile(lst.Values, lst.Width, lstPath, "GrokLST's LST is in Kelvin: convert the folder before adopting it");
                moments[s][0].Add(lst.Values);
                stored.Add(lst.Stored);
                var guidancePath = Path.Combine(root, scales[s].Label, DatasetLayout.GuidanceFolder, names[i]);
                var variables = ReadAll(guidancePath).ToDictionary(a => a.Name, StringComparer.Ordinal);
                for (var c = 0; c < channels.Count; c++)
                {
                    var v = variables.GetValueOrDefault(channels[c].Name)
                        ?? throw new DataException($"{guidancePath}: has no variable '{channels[c].Name}' " +
                            $"({scales[0].Label}/guidance/{names[0]} has it)");
                    Check(guidancePath, v, sizes[s]);
                    moments[s][c + 1].Add(v.Values);
                    stored.Add(v.Stored);
                }

                GuidanceCheck.Tile(channels, [.. channels.Select(c => variables[c.Name].Values)], guidancePath);
            }

            progress?.Report((i + 1, names.Count));
        }

        var splits = DatasetLayout.SplitCounts(root);
        var standard = names.Select((n, i) => n == DatasetLayout.TileFileName(i)).All(b => b);
        var card = new DatasetCard
        {
            Source = DatasetCard.AdoptedSource,
            FileNames = standard ? null : names,
            TileCount = names.Count,
            TileSize = tileSize,
            Step = tileSize,
            Overlap = 0,
            BaseResolutionMetres = baseMetres,
            MaxNoData = 0,
            CoarseMinValidFraction = 1,
            Scales = scales.Select((sc, k) => new CardScale(sc.Label, (int)Math.Round(factors[k]), sizes[k], sc.Metres)).ToArray(),
            Lst = new CardLst(DatasetLayout.LstVariable, "K"),
            Guidance = channels,
            Mat = new CardMat("5", "as adopted"),
            Statistics = scales.Select((sc, k) => new CardScaleStatistics(sc.Label,
                bands.Select((b, c) => new BandStatisticsEntry(b, moments[k][c].Mean, moments[k][c].Std, moments[k][c].Min,
                    moments[k][c].Max, moments[k][c].Count)).ToArray())).ToArray(),
            Scenes = [],
            Provenance = new CardProvenance(ToolInfo.Name, ToolInfo.Version, [o.Command]),
        };
        AtomicFile.WriteAllText(output.Stage(cardPath), card.ToJson());
        output.Commit();
        return new AdoptResult(card,
            GuidanceChannel.GrokLst.Where(g => !firstGuidance.Contains(g.Name)).Select(g => g.Name).ToArray(), splits,
            string.Join(" and ", stored.Order(StringComparer.Ordinal)));
    }

    private static List<string> FileNames(string root, string label, string kind)
    {
        var dir = Path.Combine(root, label, kind);
        return Directory.GetFiles(dir,
            "*.mat").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } list
            ? list
            : throw new DataException($"{dir}: holds no .mat files");
    }

    private static MatArray ReadLst(string path) => MatFile.Read(Version5(path), DatasetLayout.LstVariable);

    private static IReadOnlyList<MatArray> ReadAll(string path) => MatFile.Read(Version5(path));

    /// <summary>The path, unless the file is MAT v7.3, which GrokLST's loader cannot read.</summary>
    private static string Version5(string path) => File.Exists(path) && MatFile.IsVersion73(path)
        ? throw new DataException($"{path}: MAT v7.3 (HDF5) is not read (GrokLST's loader, scipy.io.loadmat, reads v5 to v7); " +
            $"save it with -v7")
        : path;

    private static void Check(string path, MatArray a, int size)
    {
        if (a.Height != size || a.Width != size)
        {
            throw new DataException($"{path}: '{a.Name}' is {a.Height} x {a.Width}; this scale's tiles are {size} x {size}");
        }

        var bad = Array.FindIndex(a.Values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{path}: '{a.Name}' holds {a.Values[bad]} at " +
                $"row {bad / a.Width}, column {bad % a.Width}; GrokLST's tiles are finite everywhere"));
        }
    }
}
