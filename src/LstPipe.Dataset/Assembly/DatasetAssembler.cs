using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Assembly;

/// <summary>What an assembly did.</summary>
/// <param name="Card">The assembled card.</param>
/// <param name="TilesKept">Tiles of parts already in the output (an append).</param>
/// <param name="TilesCopied">Tiles copied in.</param>
public sealed record AssemblyResult(DatasetCard Card, int TilesKept, int TilesCopied);

/// <summary>
/// Joins datasets cropped with the same settings (one per region) into one, in the order given: tiles renumbered
/// and copied, footprints and scenes concatenated, statistics summed from the scenes' moments in that order. The
/// result depends only on the parts and their order: when the output already holds the first parts (same scenes,
/// same checksums) only the rest are appended, and the bytes are those of assembling everything at once. The split
/// and Parquet shards of the output are removed, as they no longer cover the tiles.
/// </summary>
public static class DatasetAssembler
{
    /// <summary>Assembles <paramref name="parts"/> into <paramref name="output"/>.</summary>
    /// <param name="parts">Dataset folders, in order.</param>
    /// <param name="output">The assembled dataset folder.</param>
    /// <param name="command">Recorded in the card's provenance after the parts' commands.</param>
    /// <param name="staged">Tiles already copied by shards (<see cref="Stage"/>): moved into place, not copied.</param>
    /// <exception cref="UsageException">No parts, or a part is not a dataset.</exception>
    /// <exception cref="DataException">The parts were cropped differently or have different channels.</exception>
    public static AssemblyResult Run(IReadOnlyList<string> parts, string output, string command, StagedUnits? staged = null)
    {
        staged ??= StagedUnits.None;
        var plan = Plan(parts, output, command);
        var kept = KeptTiles(output, plan.Card.Scenes);
        if (kept == 0 && Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        Directory.CreateDirectory(output);
        File.Delete(Path.Combine(output, DatasetLayout.CardFileName));
        foreach (var stale in new[] { DatasetLayout.SplitFolder, Export.ParquetExporter.Folder })
        {
            if (Directory.Exists(Path.Combine(output, stale)))
            {
                Directory.Delete(Path.Combine(output, stale), recursive: true);
            }
        }

        var copied = 0;
        foreach (var (from, relative) in plan.Files(kept, Shard.Whole))
        {
            if (!staged.TryTake(relative, Path.Combine(output, relative)))
            {
                Copy(from, Path.Combine(output, relative));
            }

            copied++;
        }

        AtomicFile.WriteAllText(Path.Combine(output, DatasetLayout.TilesFileName), TileIndex.ToGeoJson(plan.Tiles, plan.Card.Scenes));
        AtomicFile.WriteAllText(Path.Combine(output, DatasetLayout.CardFileName), plan.Card.ToJson());
        return new AssemblyResult(plan.Card, kept, copied / (2 * plan.Card.Scales.Count));
    }

    /// <summary>Copies one shard's share of the tiles that <see cref="Run"/> would copy (tile i belongs to shard
    /// i mod N) into <paramref name="staging"/>, leaving <paramref name="output"/> as it is; files already staged are
    /// kept. The run that follows moves them into place.</summary>
    /// <returns>Tiles this shard staged.</returns>
    public static int Stage(IReadOnlyList<string> parts, string output, Shard shard, StagedUnits staging)
    {
        var plan = Plan(parts, output, "");
        var files = 0;
        foreach (var (from, relative) in plan.Files(KeptTiles(output, plan.Card.Scenes), shard))
        {
            if (!staging.Has(relative))
            {
                Copy(from, staging.PathOf(relative));
            }

            files++;
        }

        return files / (2 * plan.Card.Scales.Count);
    }

    private static AssemblyPlan Plan(IReadOnlyList<string> parts, string output, string command)
    {
        if (parts.Count == 0)
        {
            throw new UsageException($"{output}: nothing to assemble (no region datasets)");
        }

        var loaded = parts.Select(p => (Path: p, Data: DatasetFolder.Load(p))).ToArray();
        var first = loaded[0].Data.Card;
        foreach (var (path, (card, _)) in loaded.Skip(1))
        {
            if (Math.Abs(card.BaseResolutionMetres - first.BaseResolutionMetres) > 1e-6)
            {
                throw new DataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: its truth is at {card.BaseResolutionMetres} m and {loaded[0].Path}'s at " +
                        $"{first.BaseResolutionMetres} m (crop truth: native follows each region's thermal sensor); one dataset " +
                            $"needs one truth resolution: use regions of one sensor, or truth: resampled"));
            }

            if (card.TileSize != first.TileSize || card.Step != first.Step || card.Overlap != first.Overlap ||
                !card.Scales.SequenceEqual(first.Scales) || card.MaxNoData != first.MaxNoData ||
                card.CoarseMinValidFraction != first.CoarseMinValidFraction || card.Mat != first.Mat)
            {
                throw new DataException($"{path}: was cropped with other settings than {loaded[0].Path} (size, overlap, scales, " +
                    $"nodata limits or MAT compression); crop every region alike");
            }

            if (!card.Guidance.Select(g => g.Name).SequenceEqual(first.Guidance.Select(g => g.Name)))
            {
                throw new DataException($"{path}: guidance channels [{string.Join(",", card.Guidance.Select(g => g.Name))}] " +
                    $"differ from {loaded[0].Path}'s [{string.Join(",", first.Guidance.Select(g => g.Name))}]");
            }
        }

        var scenes = new List<CardScene>();
        var tiles = new List<TileRecord>();
        var commands = new List<string>();
        var sources = new List<(string Part, int From, int To)>();
        foreach (var (path, (card, partTiles)) in loaded)
        {
            var offset = tiles.Count;
            scenes.AddRange(card.Scenes.Select(s => s with { FirstTile = s.FirstTile + offset }));
            tiles.AddRange(partTiles.Select(t => t with { Index = t.Index + offset }));
            commands.AddRange(card.Provenance.Commands);
            sources.Add((path, offset, tiles.Count));
        }

        if (tiles.Count > DatasetLayout.MaxTiles)
        {
            throw new DataException($"{output}: {tiles.Count} tiles exceed the {DatasetLayout.MaxTiles} that " +
                $"{DatasetLayout.NameDigits}-digit names allow");
        }

        commands.Add(command);
        var assembled = first with
        {
            TileCount = tiles.Count,
            TruthResampledFrom = loaded.Select(l => l.Data.Card.TruthResampledFrom).Max(),
            Scenes = scenes,
            Statistics = DatasetCard.StatisticsOf(scenes, first.Scales.Select(s => s.Label).ToArray(), first.Guidance),
            Provenance = new CardProvenance(first.Provenance.Tool, first.Provenance.Version, commands),
        };
        return new AssemblyPlan(assembled, tiles, sources);
    }

    /// <summary>How many leading tiles of the output already belong to the same leading scenes (an append);
    /// zero when the output is absent, incomplete or differs.</summary>
    private static int KeptTiles(string output, IReadOnlyList<CardScene> scenes)
    {
        var cardPath = Path.Combine(output, DatasetLayout.CardFileName);
        if (!File.Exists(cardPath))
        {
            return 0;
        }

        DatasetCard existing;
        try
        {
            existing = DatasetCard.FromJson(File.ReadAllText(cardPath), cardPath);
        }
        catch (DataException)
        {
            return 0;
        }

        var same = existing.Scenes.Count <= scenes.Count && existing.Scenes.Zip(scenes).All(p =>
            p.First.Id == p.Second.Id && p.First.FirstTile == p.Second.FirstTile && p.First.Tiles == p.Second.Tiles &&
            p.First.Sha256.OrderBy(kv => kv.Key).SequenceEqual(p.Second.Sha256.OrderBy(kv => kv.Key)));
        return same ? existing.TileCount : 0;
    }

    /// <summary>The assembled card and tiles, and where each region's tiles come from.</summary>
    private sealed record AssemblyPlan(DatasetCard Card, IReadOnlyList<TileRecord> Tiles, IReadOnlyList<(string Part, int From,
        int To)> Sources)
    {
        /// <summary>The (source, destination) of every file of the tiles from <paramref name="kept"/> on that
        /// <paramref name="shard"/> owns, tile by tile; destinations are relative to the output.</summary>
        public IEnumerable<(string From, string To)> Files(int kept, Shard shard)
        {
            foreach (var (part, from, to) in Sources.Where(s => s.To > kept))
            {
                for (var index = Math.Max(from, kept); index < to; index++)
                {
                    if (!shard.Owns(index))
                    {
                        continue;
                    }

                    foreach (var scale in Card.Scales)
                    {
                        yield return (DatasetLayout.LstPath(part, scale.Label, index - from), DatasetLayout.LstPath("",
                            scale.Label, index));
                        yield return (DatasetLayout.GuidancePath(part, scale.Label, index - from),
                            DatasetLayout.GuidancePath("", scale.Label, index));
                    }
                }
            }
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        var temp = Path.Combine(Path.GetDirectoryName(to)!, AtomicFile.TemporaryName(Path.GetFileName(to)));
        File.Copy(from, temp, overwrite: true);
        File.Move(temp, to, overwrite: true);
    }
}
