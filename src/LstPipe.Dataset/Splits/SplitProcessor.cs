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
        var reach = (card.TileSize + card.Step - 1) / card.Step - 1;
        var assignment = options.Strategy == SplitStrategy.Random
            ? AssignRandom(tiles.Count, options)
            : AssignSpatial(tiles, options, reach);
        var block = options.Strategy == SplitStrategy.Spatial ? options.Block ?? AutoBlock(reach) : (int?)null;
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
            Command = options.Command,
        };
        Write(options.Dataset, assignment, report);
        return report;
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

    private static int[] AssignSpatial(IReadOnlyList<TileRecord> tiles, SplitOptions o, int reach)
    {
        var b = o.Block ?? AutoBlock(reach);
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
            var split = Enumerable.Range(0, 3).Where(i => targets[i] > 0).OrderByDescending(i => targets[i] - counts[i]).ThenBy(i => i).First();
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
