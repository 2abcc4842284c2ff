using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Crop;

/// <summary>Progress of a crop.</summary>
/// <param name="Scene">Scene id being cropped.</param>
/// <param name="SceneIndex">0-based position of the scene.</param>
/// <param name="SceneCount">Scenes in the run.</param>
/// <param name="RowsDone">Tile rows of this scene done.</param>
/// <param name="Rows">Tile rows of this scene.</param>
/// <param name="TilesWritten">Tiles written so far in the run.</param>
public sealed record CropProgress(string Scene, int SceneIndex, int SceneCount, int RowsDone, int Rows, int TilesWritten);

/// <summary>What a crop produced.</summary>
/// <param name="Output">Dataset folder.</param>
/// <param name="Card">The card written to <c>dataset.json</c>.</param>
/// <param name="NewTiles">Tiles added by this run.</param>
/// <param name="ReusedFiles">MAT files found complete from an interrupted run and kept.</param>
/// <param name="StaleSplitRemoved">Whether an append removed a split that no longer covered every tile.</param>
/// <param name="StaleParquetRemoved">Whether an append removed Parquet shards that no longer held every tile.</param>
/// <param name="Hints">Advice on the options, one line each (a scene that lost many tiles to nodata and the
/// <c>--max-nodata</c> that would keep them).</param>
/// <param name="RewrittenFiles">MAT files of an interrupted run that no longer matched the checksum recorded when they
/// were written (damaged since), written again.</param>
/// <param name="FirstRewritten">The first of them, relative to the dataset.</param>
public sealed record CropResult(string Output, DatasetCard Card, int NewTiles, int ReusedFiles, bool StaleSplitRemoved,
    bool StaleParquetRemoved = false,
    IReadOnlyList<string>? Hints = null, int RewrittenFiles = 0, string? FirstRewritten = null);

/// <summary>A crop stopped by the user; the folder keeps its state so <c>--resume</c> can finish it.</summary>
public sealed class CropInterruptedException(string message) : LstPipeException(message)
{
    /// <inheritdoc />
    public override int ExitCode => 130;
}

/// <summary>
/// Builds the multi-scale GrokLST dataset from scene folders: the 60/120/240 m levels by s x s block averaging of the
/// 30 m grid, co-registered tiles at every scale, MAT v5 files, <c>tiles.geojson</c> and <c>dataset.json</c>.
/// Memory holds one band of tile rows of the scene (tile size x scene width x channels) plus one tile per worker.
/// </summary>
public static class CropProcessor
{
    /// <summary>Runs a crop inside one <see cref="OutputTransaction"/>: a new dataset is written in place (and removed
    /// when the run fails, kept for <c>--resume</c> when it is interrupted); <c>--force</c> over an existing dataset
    /// builds the new one beside it and swaps it in only when complete, so a failed or interrupted run leaves the
    /// previous dataset as it was; <c>--append</c> adds tiles in place and takes them out again when the run fails;
    /// <c>--resume</c> finishes an interrupted crop with its original options.</summary>
    public static CropResult Run(CropOptions options, IProgress<CropProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var resumed = options.Resume ? CropState.Load(options.Output) : null;
        if (resumed is not null)
        {
            options = resumed.Options with { Output = options.Output, Workers = options.Workers, Resume = true };
        }

        options = options.Validate();
        var occupied = File.Exists(Path.Combine(options.Output, DatasetLayout.StateFileName))
            ? $"{options.Output}: holds an interrupted crop; pass --resume to finish it or --force to start over"
            : $"{options.Output}: exists and is not empty; pass --force to replace it or --append to add scenes to it";
        using var output = OutputTransaction.Folder(options.Output, options.Mode, options.Command,
            options.Scenes.Select(sc => (Path.Combine(options.WorkingDirectory, sc), "scene"))
                .Concat(options.RealLr is { } real ? [(Path.Combine(options.WorkingDirectory, real), "real-LR scene")] : []),
            inPlace: true, occupied: occupied);
        var plan = CropPlanner.Plan(options);
        if (options.RealLr is not null)
        {
            RealLrLevel.Check(options, plan);
        }

        if (resumed?.SceneSha256 is { } recorded)
        {
            RefuseChangedScenes(plan, recorded);
        }

        var state = resumed ?? CropState.Begin(options, output.Mode, output.Path, plan);
        try
        {
            var result = Execute(options, plan, state, output.Path, progress, cancellationToken);
            output.Commit();
            return result with { Output = output.FinalPath };
        }
        catch (OperationCanceledException)
        {
            output.KeepForResume();
            throw new CropInterruptedException(output.Staged
                ? $"{options.Output}: crop interrupted; the previous dataset is kept as it was (run the command again)"
                : $"{options.Output}: crop interrupted; run the same command with --resume to finish it (or --force to start over)");
        }
        catch when (state.Mode == OutputMode.Append)
        {
            CropState.RemoveTilesFrom(output.Path, plan, state.StartIndex);
            TileJournal.Delete(output.Path);
            File.Delete(Path.Combine(output.Path, DatasetLayout.StateFileName));
            throw;
        }
    }

    private static void RefuseChangedScenes(RunPlan plan, IReadOnlyList<IReadOnlyDictionary<string, string>> recorded)
    {
        for (var i = 0; i < plan.Scenes.Count; i++)
        {
            var now = CropPlanner.SceneChecksums(plan.Scenes[i]);
            var changed = now.FirstOrDefault(kv => !recorded[i].TryGetValue(kv.Key, out var was) || was != kv.Value).Key;
            if (changed is not null)
            {
                throw new DataException($"{Path.Combine(plan.Scenes[i].GivenPath, changed)}: changed since the interrupted crop began " +
                    "(SHA-256 differs), so its tiles would not match those already written; start over with --force");
            }
        }
    }

    private static CropResult Execute(CropOptions o, RunPlan plan, CropState state, string output, IProgress<CropProgress>? progress,
        CancellationToken ct)
    {
        foreach (var label in plan.Labels)
        {
            foreach (var folder in new[] { DatasetLayout.LstFolder, DatasetLayout.GuidanceFolder })
            {
                var dir = Directory.CreateDirectory(Path.Combine(output, label, folder));
                foreach (var leftover in dir.EnumerateFiles().Where(f => AtomicFile.IsTemporaryName(f.Name)))
                {
                    leftover.Delete();
                }
            }
        }

        var tiles = new List<TileRecord>(state.PreviousTiles ?? []);
        var cardScenes = new List<CardScene>(state.PreviousCard?.Scenes ?? []);
        var hints = new List<string>();
        var next = state.StartIndex;
        var (reused, rewritten) = (0, 0);
        string? firstRewritten = null;
        using var journal = TileJournal.Open(output, o.Resume);
        for (var i = 0; i < plan.Scenes.Count; i++)
        {
            var sp = plan.Scenes[i];
            var first = next;
            var sceneRun = new SceneCropper(o, plan, sp, output, o.Resume, journal);
            var before = tiles.Count - (state.PreviousTiles?.Count ?? 0);
            var (sceneTiles, moments, skipped, reusedHere, skippedNoData) = sceneRun.Run(next, ct,
                (rows, written) => progress?.Report(new CropProgress(sp.Scene.Manifest.Id, i, plan.Scenes.Count, rows,
                    sp.Grid.Rows, before + written)));
            if (sceneTiles.Count == 0)
            {
                throw new DataException(string.Create(CultureInfo.InvariantCulture,
                    $"{sp.GivenPath}: none of its {sp.Grid.Count} tile positions has at most {o.MaxNoData:P0} nodata; the scene " +
                        $"is mostly nodata (check its masks) or raise --max-nodata"));
            }

            if (CropCard.NoDataHint(sp.Scene.Manifest.Id, sp.Grid.Count, skippedNoData, o.MaxNoData) is { } hint)
            {
                hints.Add(hint);
            }

            tiles.AddRange(sceneTiles);
            next += sceneTiles.Count;
            reused += reusedHere;
            rewritten += sceneRun.Rewritten;
            firstRewritten ??= sceneRun.FirstRewritten is { } f ? Path.GetRelativePath(output, f) : null;
            cardScenes.Add(new CardScene
            {
                Id = sp.Scene.Manifest.Id,
                Path = sp.GivenPath,
                Sha256 = state.SceneSha256 is { } sums ? new SortedDictionary<string, string>(sums[i].ToDictionary(),
                    StringComparer.Ordinal) : CropPlanner.SceneChecksums(sp),
                Epsg = sp.Scene.Manifest.Crs.Epsg,
                Sensor = sp.Scene.Manifest.Provenance.Sensor,
                NativeResolutionMetres = sp.Scene.Manifest.Lst.NativeResolutionMetres,
                CrsWkt = sp.Scene.Manifest.Crs.Wkt,
                FirstTile = first,
                Tiles = sceneTiles.Count,
                SkippedNoData = skipped,
                Columns = sp.Grid.Columns,
                Rows = sp.Grid.Rows,
                CoveragePercent = Math.Round(sp.Grid.CoveragePercent, 3),
                KeptCoveragePercent = Math.Round(CropCard.KeptCoverage(sceneTiles, sp.Grid), 3),
                Moments = moments,
            });
            progress?.Report(new CropProgress(sp.Scene.Manifest.Id, i, plan.Scenes.Count, sp.Grid.Rows, sp.Grid.Rows,
                next - state.StartIndex));
        }

        var commands = new List<string>(state.PreviousCard?.Provenance.Commands ?? []) { o.Command };
        var card = CropCard.Build(o, plan, tiles.Count, cardScenes, commands, state.PreviousCard) with
        {
            RealLr = o.RealLr is null ? null : RealLrLevel.Write(o, plan, tiles, output),
        };
        AtomicFile.WriteAllText(Path.Combine(output, DatasetLayout.TilesFileName), TileIndex.ToGeoJson(tiles, card.Scenes));
        var splitDir = Path.Combine(output, DatasetLayout.SplitFolder);
        var staleSplit = state.Mode == OutputMode.Append && Directory.Exists(splitDir);
        if (staleSplit)
        {
            Directory.Delete(splitDir, recursive: true);
        }

        var parquetDir = Path.Combine(output, Export.ParquetExporter.Folder);
        var staleParquet = state.Mode == OutputMode.Append && Directory.Exists(parquetDir);
        if (staleParquet)
        {
            Directory.Delete(parquetDir, recursive: true);
        }

        AtomicFile.WriteAllText(Path.Combine(output, DatasetLayout.CardFileName), card.ToJson());
        journal.Dispose();
        TileJournal.Delete(output);
        File.Delete(Path.Combine(output, DatasetLayout.StateFileName));
        return new CropResult(output, card, next - state.StartIndex, reused, staleSplit, staleParquet, hints, rewritten, firstRewritten);
    }
}
