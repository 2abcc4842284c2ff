using System.Globalization;
using System.Text.Json;
using LstPipe.Core;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Splits;

/// <summary>How much of the test set a model has seen during training.</summary>
/// <param name="TestTiles">Tiles in the test split.</param>
/// <param name="TestTilesSharingPixelsWithTrain">Test tiles that share at least one pixel with a train tile.</param>
/// <param name="TestPixelFractionSeenInTrain">Fraction of test pixels that lie in some train tile.</param>
/// <param name="TestTilesSharingPixelsWithTrainval">The same against train + val (GrokLST trained on trainval).</param>
/// <param name="TestPixelFractionSeenInTrainval">The same against train + val.</param>
public sealed record LeakageReport(int TestTiles, int TestTilesSharingPixelsWithTrain, double TestPixelFractionSeenInTrain,
    int TestTilesSharingPixelsWithTrainval, double TestPixelFractionSeenInTrainval);

/// <summary><c>split/report.json</c>.</summary>
public sealed record SplitReport
{
    /// <summary>Strategy used.</summary>
    public required string Strategy { get; init; }

    /// <summary>Requested ratio.</summary>
    public required string Ratio { get; init; }

    /// <summary>Seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Tiles in the dataset.</summary>
    public required int Tiles { get; init; }

    /// <summary>Tiles in train.</summary>
    public required int Train { get; init; }

    /// <summary>Tiles in val.</summary>
    public required int Val { get; init; }

    /// <summary>Tiles in test.</summary>
    public required int Test { get; init; }

    /// <summary>Tiles left out as a buffer between splits (spatial only).</summary>
    public required int Dropped { get; init; }

    /// <summary>Block edge in tiles (spatial only).</summary>
    public int? Block { get; init; }

    /// <summary>Buffer beyond overlapping neighbours, in tiles (spatial only).</summary>
    public int? Buffer { get; init; }

    /// <summary>Leakage between test and training tiles.</summary>
    public required LeakageReport Leakage { get; init; }

    /// <summary>Asked shares of train, val and test.</summary>
    public IReadOnlyList<double> RequestedShares { get; init; } = [];

    /// <summary>Achieved shares of train, val and test among the kept tiles (the buffer's dropped tiles left out).</summary>
    public IReadOnlyList<double> AchievedShares { get; init; } = [];

    /// <summary>Set when a share is more than 10 points off the ratio: by how much, and the <c>--block</c>/<c>--buffer</c>
    /// that comes closest.</summary>
    public string? Warning { get; init; }

    /// <summary>What the split changed on its own to give every part with a positive share a tile (smaller blocks).</summary>
    public string? Note { get; init; }

    /// <summary>The command that made the split.</summary>
    public required string Command { get; init; }

    /// <summary>Tool version.</summary>
    public string Version { get; init; } = ToolInfo.Version;
}

/// <summary>Writes GrokLST split files (<c>split/train.txt</c>, <c>val.txt</c>, <c>test.txt</c>, <c>trainval.txt</c>: one
/// 0-based index per line into the sorted file list) and a leakage report.</summary>
public static class SplitProcessor
{
    private const int TrainSplit = 0;
    private const int ValSplit = 1;
    private const int TestSplit = 2;
    private const int Dropped = -1;

    /// <summary>Runs a split.</summary>
    public static SplitReport Run(SplitOptions options)
    {
        options = options.Validate();
        var (card, tiles) = DatasetFolder.Load(options.Dataset);
        if (card.IsAdopted)
        {
            throw new UsageException($"{options.Dataset}: an adopted dataset has no tile geometry, so lstpipe can neither split " +
                $"it without leakage nor measure the leakage; it keeps the split files it came with (split/*.txt)");
        }

        var reach = (card.TileSize + card.Step - 1) / card.Step - 1;
        var (assignment, block, note) = Assign(tiles, options, reach, card);
        var leakage = Leakage(tiles, assignment, reach, card);
        var report = new SplitReport
        {
            Strategy = options.Strategy.ToString().ToLowerInvariant(),
            Ratio = options.Ratio.ToString(),
            Seed = options.Seed,
            Tiles = tiles.Count,
            Train = assignment.Count(a => a == TrainSplit),
            Val = assignment.Count(a => a == ValSplit),
            Test = assignment.Count(a => a == TestSplit),
            Dropped = assignment.Count(a => a == Dropped),
            Block = block,
            Buffer = options.Strategy == SplitStrategy.Spatial ? options.Buffer ?? 0 : null,
            Leakage = leakage,
            Note = note,
            RequestedShares = SplitShares.Requested(options.Ratio).Select(v => Math.Round(v, 4)).ToArray(),
            AchievedShares = SplitShares.Achieved(assignment).Select(v => Math.Round(v, 4)).ToArray(),
            Warning = SplitShares.Warning(tiles, options, reach, assignment, block),
            Command = options.Command,
        };
        Write(options.Dataset, assignment, report);
        return report;
    }

    private static readonly string[] PartNames = ["train", "val", "test"];

    /// <summary>Assigns the tiles so that every part with a positive share gets at least one: the spatial strategy
    /// tries smaller blocks when the requested (or automatic) block leaves a part empty.</summary>
    /// <exception cref="UsageException">No block size works, or an explicit <c>--block</c> does not; the message names
    /// what would.</exception>
    private static (int[] Assignment, int? Block, string? Note) Assign(IReadOnlyList<TileRecord> tiles, SplitOptions o,
        int reach, DatasetCard card)
    {
        if (o.Strategy == SplitStrategy.Random)
        {
            var random = AssignRandom(tiles.Count, o);
            var emptyParts = Empty(random, o.Ratio);
            if (emptyParts.Length > 0)
            {
                var enough = Enumerable.Range(1,
                    1000).First(n => o.Ratio.Allocate(n).Zip(Shares(o.Ratio)).All(p => p.Second == 0 || p.First > 0));
                throw new UsageException($"{o.Dataset}: {tiles.Count} tiles are too few for a {o.Ratio} split " +
                    $"({string.Join(" and ", emptyParts)} would be empty); it needs at least {enough} tiles, or a ratio without that part");
            }

            return (random, null, null);
        }

        var requested = o.Block ?? AutoBlock(reach);
        var first = AssignSpatial(tiles, o, reach, requested);
        var empty = Empty(first, o.Ratio);
        if (empty.Length == 0)
        {
            return (first, requested, null);
        }

        for (var b = requested - 1; b >= 1; b--)
        {
            var smaller = AssignSpatial(tiles, o, reach, b);
            if (Empty(smaller, o.Ratio).Length > 0)
            {
                continue;
            }

            if (o.Block is not null)
            {
                throw new UsageException($"--block {requested}: leaves {string.Join(" and ", empty)} empty on {o.Dataset} " +
                    $"({tiles.Count} tiles); --block {b} gives every part tiles, or leave --block out to choose it");
            }

            return (smaller, b, $"blocks of {requested} x {requested} tiles left {string.Join(" and ", empty)} empty; used {b} x {b}");
        }

        var grid = SmallestGrid(o, reach, card);
        var rows = tiles.Select(t => (t.Scene, t.Row)).Distinct().Count();
        var scenes = tiles.Select(t => t.Scene).Distinct().Count();
        var smallest = grid is { } g
            ? string.Create(CultureInfo.InvariantCulture, $"the smallest that works is one scene of {g} x {g} tiles " +
                $"({(g - 1) * card.Step + card.TileSize} x {(g - 1) * card.Step + card.TileSize} px at --size {card.TileSize} " +
                    $"--overlap {card.Overlap})")
            : "no scene up to 64 x 64 tiles works with this ratio";
        throw new UsageException(string.Create(CultureInfo.InvariantCulture,
            $"{o.Dataset}: {tiles.Count} tiles ({scenes} scene(s), {rows} rows) are too few for a spatial {o.Ratio} split: " +
                $"{string.Join(" and ", empty)} {(empty.Length > 1 ? "stay" : "stays")} empty at every block size, because " +
                    $"tiles beside another part's are dropped; {smallest}. Crop a larger area, or use --strategy random (whose " +
                        $"overlapping tiles leak)"));
    }

    private static double[] Shares(SplitRatio r) => [r.Train, r.Val, r.Test];

    internal static string[] EmptyParts(int[] assignment, SplitRatio ratio) => Empty(assignment, ratio);

    private static string[] Empty(int[] assignment, SplitRatio ratio)
    {
        var shares = Shares(ratio);
        return Enumerable.Range(0, 3).Where(i => shares[i] > 0 && !assignment.Contains(i)).Select(i => PartNames[i]).ToArray();
    }

    /// <summary>The edge, in tiles, of the smallest square single-scene grid on which the spatial split (with its
    /// block fallback) gives every part with a positive share a tile.</summary>
    private static int? SmallestGrid(SplitOptions o, int reach, DatasetCard card)
    {
        for (var g = 2; g <= 64; g++)
        {
            var grid = Enumerable.Range(0, g * g).Select(i => new TileRecord(i, "s", i / g, i % g, i % g * card.Step,
                i / g * card.Step, card.TileSize, 1, null, [])).ToArray();
            for (var b = o.Block ?? AutoBlock(reach); b >= 1; b--)
            {
                if (Empty(AssignSpatial(grid, o, reach, b), o.Ratio).Length == 0)
                {
                    return g;
                }
            }
        }

        return null;
    }

    private static int[] AssignRandom(int n, SplitOptions o)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new SplitMix64(o.Seed).Shuffle(order);
        var counts = o.Ratio.Allocate(n);
        var assignment = new int[n];
        for (var k = 0; k < n; k++)
        {
            assignment[order[k]] = k < counts[0] ? TrainSplit : k < counts[0] + counts[1] ? ValSplit : TestSplit;
        }

        return assignment;
    }

    private static int AutoBlock(int reach) => Math.Max(2, 2 * (reach + 1));

    internal static int[] AssignSpatial(IReadOnlyList<TileRecord> tiles, SplitOptions o, int reach, int b)
    {
        var blocks = tiles.GroupBy(t => (t.Scene, Row: t.Row / b, Col: t.Col / b))
            .Select(g => g.Select(t => t.Index).ToArray())
            .OrderBy(g => g[0])
            .ToList();
        new SplitMix64(o.Seed).Shuffle(blocks);
        var targets = o.Ratio.Allocate(tiles.Count);
        var counts = new int[3];
        var assignment = new int[tiles.Count];
        foreach (var members in blocks)
        {
            var split = Enumerable.Range(0,
                3).Where(i => targets[i] > 0).OrderByDescending(i => targets[i] - counts[i]).ThenBy(i => i).First();
            foreach (var i in members)
            {
                assignment[i] = split;
            }

            counts[split] += members.Length;
        }

        var radius = reach + (o.Buffer ?? 0);
        var byPosition = tiles.ToDictionary(t => (t.Scene, t.Row, t.Col), t => t.Index);
        var keep = (int[])assignment.Clone();
        foreach (var t in tiles)
        {
            var mine = assignment[t.Index];
            if (mine == TestSplit)
            {
                continue;
            }

            for (var dr = -radius; dr <= radius && keep[t.Index] != Dropped; dr++)
            {
                for (var dc = -radius; dc <= radius; dc++)
                {
                    if (byPosition.TryGetValue((t.Scene, t.Row + dr, t.Col + dc), out var other) && assignment[other] > mine)
                    {
                        keep[t.Index] = Dropped;
                        break;
                    }
                }
            }
        }

        return keep;
    }

    private static LeakageReport Leakage(IReadOnlyList<TileRecord> tiles, int[] assignment, int reach, DatasetCard card)
    {
        var byPosition = tiles.ToDictionary(t => (t.Scene, t.Row, t.Col), t => t.Index);
        bool Touches(TileRecord t, Func<int, bool> inTraining)
        {
            for (var dr = -reach; dr <= reach; dr++)
            {
                for (var dc = -reach; dc <= reach; dc++)
                {
                    if (byPosition.TryGetValue((t.Scene, t.Row + dr, t.Col + dc), out var o) && inTraining(assignment[o]))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        var test = tiles.Where(t => assignment[t.Index] == TestSplit).ToList();
        static bool Train(int a) => a == TrainSplit;
        static bool TrainVal(int a) => a is TrainSplit or ValSplit;
        return new LeakageReport(
            test.Count,
            test.Count(t => Touches(t, Train)),
            SeenFraction(tiles, assignment, Train, card),
            test.Count(t => Touches(t, TrainVal)),
            SeenFraction(tiles, assignment, TrainVal, card));
    }

    /// <summary>Fraction of the union of test pixels covered by training tiles, counted on a grid of cells of
    /// gcd(size, step) pixels, which tile edges never cut.</summary>
    private static double SeenFraction(IReadOnlyList<TileRecord> tiles, int[] assignment, Func<int, bool> inTraining, DatasetCard card)
    {
        var cell = (int)GreatestCommonDivisor(card.TileSize, card.Step);
        long testCells = 0, seenCells = 0;
        foreach (var scene in tiles.GroupBy(t => t.Scene))
        {
            var w = scene.Max(t => t.X + t.Size) / cell;
            var h = scene.Max(t => t.Y + t.Size) / cell;
            var test = new bool[w * h];
            var train = new bool[w * h];
            foreach (var t in scene)
            {
                var a = assignment[t.Index];
                var target = a == TestSplit ? test : inTraining(a) ? train : null;
                if (target is null)
                {
                    continue;
                }

                for (var r = t.Y / cell; r < (t.Y + t.Size) / cell; r++)
                {
                    Array.Fill(target, true, r * w + t.X / cell, t.Size / cell);
                }
            }

            for (var i = 0; i < test.Length; i++)
            {
                testCells += test[i] ? 1 : 0;
                seenCells += test[i] && train[i] ? 1 : 0;
            }
        }

        return testCells == 0 ? 0 : (double)seenCells / testCells;
    }

    private static long GreatestCommonDivisor(long a, long b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    private static void Write(string dataset, int[] assignment, SplitReport report)
    {
        var final = Path.GetFullPath(Path.Combine(dataset, DatasetLayout.SplitFolder));
        var work = Path.Combine(Path.GetFullPath(dataset), AtomicFile.TemporaryName(DatasetLayout.SplitFolder));
        Directory.CreateDirectory(work);
        try
        {
            string Lines(Func<int, bool> keep) => string.Concat(Enumerable.Range(0, assignment.Length)
                .Where(i => keep(assignment[i])).Select(i => i.ToString(CultureInfo.InvariantCulture) + "\n"));
            File.WriteAllText(Path.Combine(work, "train.txt"), Lines(a => a == TrainSplit));
            File.WriteAllText(Path.Combine(work, "val.txt"), Lines(a => a == ValSplit));
            File.WriteAllText(Path.Combine(work, "test.txt"), Lines(a => a == TestSplit));
            File.WriteAllText(Path.Combine(work, "trainval.txt"), Lines(a => a is TrainSplit or ValSplit));
            File.WriteAllText(Path.Combine(work, "report.json"), JsonSerializer.Serialize(report, JsonDefaults.Options) + "\n");
            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(work, final);
        }
        catch
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }

            throw;
        }
    }
}
