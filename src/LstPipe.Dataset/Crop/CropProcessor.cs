using System.Collections.Concurrent;
using System.Globalization;
using LstPipe.Core;
using LstPipe.Core.Compression;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Scenes;
using LstPipe.Core.Threading;
using LstPipe.Core.Units;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Mat;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

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
public sealed record CropResult(string Output, DatasetCard Card, int NewTiles, int ReusedFiles, bool StaleSplitRemoved, bool StaleParquetRemoved = false,
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
    /// <summary>Runs a crop. With <see cref="OutputMode.Force"/> over an existing dataset the new one is built beside
    /// it and swapped in only when complete: a failed or interrupted run leaves the previous dataset as it was.</summary>
    public static CropResult Run(CropOptions options, IProgress<CropProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var writer = OutputLock.Acquire(options.Output, options.Command);
        var target = Path.GetFullPath(options.Output);
        if (options.Mode != OutputMode.Force || !Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any())
        {
            return RunInPlace(options, progress, cancellationToken);
        }

        options.Validate();
        OutputGuard.RefuseOverlap(options.Output, options.Scenes.Select(sc => (Path.Combine(options.WorkingDirectory, sc), "scene")));
        var parent = Path.GetDirectoryName(target)!;
        AtomicFile.RemoveStale(parent, Path.GetFileName(target));
        var staging = Path.Combine(parent, AtomicFile.TemporaryName(Path.GetFileName(target)));
        try
        {
            var result = RunInPlace(options with { Output = staging, Mode = OutputMode.New }, progress, cancellationToken);
            var old = Path.Combine(parent, AtomicFile.TemporaryName(Path.GetFileName(target) + ".old"));
            Directory.Move(target, old);
            Directory.Move(staging, target);
            TryDelete(old);
            return result with { Output = target };
        }
        catch (CropInterruptedException)
        {
            TryDelete(staging);
            throw new CropInterruptedException($"{options.Output}: crop interrupted; the previous dataset is kept as it was (run the command again)");
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private static CropResult RunInPlace(CropOptions options, IProgress<CropProgress>? progress, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(options.Output);
        var statePath = Path.Combine(output, DatasetLayout.StateFileName);
        CropState? resumed = null;
        if (options.Mode == OutputMode.Resume)
        {
            resumed = LoadState(options.Output, statePath);
            options = options with
            {
                Scenes = resumed.Scenes,
                TileSize = resumed.TileSize,
                Overlap = resumed.Overlap,
                Scales = resumed.Scales.Select(s => new ScaleFactor(s)).ToArray(),
                MaxNoData = resumed.MaxNoData,
                CoarseMinValidFraction = resumed.CoarseMinValidFraction,
                Compress = resumed.Compress,
                CompressionLevel = resumed.CompressionLevel,
                Truth = resumed.Truth,
                Command = resumed.Command,
                WorkingDirectory = resumed.WorkingDirectory,
            };
        }

        options = options.Validate();
        OutputGuard.RefuseOverlap(options.Output, options.Scenes.Select(sc => (Path.Combine(options.WorkingDirectory, sc), "scene")));
        var plan = Plan(options);
        if (resumed?.SceneSha256 is { } recorded)
        {
            for (var i = 0; i < plan.Scenes.Count; i++)
            {
                var now = SceneChecksums(plan.Scenes[i]);
                var changed = now.FirstOrDefault(kv => !recorded[i].TryGetValue(kv.Key, out var was) || was != kv.Value).Key;
                if (changed is not null)
                {
                    throw new DataException($"{Path.Combine(plan.Scenes[i].GivenPath, changed)}: changed since the interrupted crop began (SHA-256 differs), so its tiles would not match those already written; start over with --force");
                }
            }
        }

        var state = resumed ?? PrepareOutput(options, output, statePath, plan);
        var existedBefore = resumed is not null || options.Mode == OutputMode.Append;
        try
        {
            var result = Execute(options, plan, state, output, statePath, progress, cancellationToken);
            return result;
        }
        catch (OperationCanceledException)
        {
            throw new CropInterruptedException(
                $"{options.Output}: crop interrupted; run the same command with --resume to finish it (or --force to start over)");
        }
        catch when (!existedBefore)
        {
            TryDelete(output);
            throw;
        }
        catch when (state.Mode == OutputMode.Append)
        {
            RemoveTilesFrom(output, plan, state.StartIndex);
            TileJournal.Delete(output);
            File.Delete(statePath);
            throw;
        }
    }

    /// <summary>A scene as cropped: its base grid is the scene's grid coarsened by <paramref name="Factor"/>.</summary>
    private sealed record ScenePlan(string GivenPath, SceneFolder Scene, TileGrid Grid, Crs Crs, int Factor, int Width, int Height, GeoTransform Transform);

    private sealed record RunPlan(IReadOnlyList<ScenePlan> Scenes, IReadOnlyList<GuidanceChannel> Channels, GroundSamplingDistance BaseGsd, string[] Labels,
        double? TruthResampledFrom, double? TruthCoarsenedFrom);

    private static RunPlan Plan(CropOptions o)
    {
        var scenes = new List<ScenePlan>();
        IReadOnlyList<GuidanceChannel>? channels = null;
        double? pixel = null;
        string? firstId = null;
        foreach (var given in o.Scenes)
        {
            var scene = SceneFolder.Open(Path.Combine(o.WorkingDirectory, given));
            var m = scene.Manifest;
            var gt = m.Transform;
            var crs = Crs.FromWkt(m.Crs.Wkt, Path.Combine(given, SceneFolder.ManifestFileName));
            if (!gt.IsNorthUp || Math.Abs(gt.PixelWidth + gt.PixelHeight) > 1e-9 * gt.PixelWidth)
            {
                throw new DataException($"{given}: the scene grid must be north-up with square pixels to be cropped");
            }

            if (!crs.IsProjected || Math.Abs(crs.MetresPerUnit - 1) > 1e-9)
            {
                throw new DataException($"{given}: the scene CRS ({crs.Label}) is not projected in metres; ingest it onto a metric grid (for example UTM)");
            }

            if (channels is null)
            {
                channels = m.Guidance.Bands;
                pixel = gt.PixelWidth;
                firstId = m.Id;
            }
            else if (!channels.Select(c => c.Name).SequenceEqual(m.Guidance.Bands.Select(c => c.Name)))
            {
                throw new DataException(
                    $"{given}: guidance channels [{string.Join(",", m.Guidance.Bands.Select(b => b.Name))}] differ from scene {firstId}'s [{string.Join(",", channels.Select(b => b.Name))}]; one dataset needs one channel list");
            }
            else if (Math.Abs(gt.PixelWidth - pixel!.Value) > 1e-6)
            {
                throw new DataException(FormattableString.Invariant(
                    $"{given}: pixel size {gt.PixelWidth} m differs from scene {firstId}'s {pixel} m; one dataset needs one base resolution"));
            }

            if (scenes.Any(s => s.Scene.Manifest.Id == m.Id))
            {
                throw new UsageException($"{given}: scene id '{m.Id}' is given twice");
            }

            scenes.Add(new ScenePlan(given, scene, new TileGrid(m.Width, m.Height, new Pixels(o.TileSize), o.Step), crs, 1, m.Width, m.Height, gt));
        }

        var (factor, resampledFrom) = TruthFactor(o, scenes, pixel ?? 30);
        for (var i = 0; i < scenes.Count; i++)
        {
            var sp = scenes[i];
            var m = sp.Scene.Manifest;
            var (w, h) = (m.Width / factor, m.Height / factor);
            var grid = new TileGrid(w, h, new Pixels(o.TileSize), o.Step);
            if (grid.Count == 0)
            {
                throw new UsageException(FormattableString.Invariant(
                    $"{sp.GivenPath}: the scene is {w} x {h} px at {pixel * factor} m, smaller than one {o.TileSize} px tile; use a smaller --size or a larger scene"));
            }

            var t = sp.Transform;
            scenes[i] = sp with { Grid = grid, Factor = factor, Width = w, Height = h, Transform = new GeoTransform(t.OriginX, t.PixelWidth * factor, t.RowRotation, t.OriginY, t.ColumnRotation, t.PixelHeight * factor) };
        }

        var gsd = GroundSamplingDistance.FromMetres((pixel ?? 30) * factor);
        var labels = o.Scales.Select(s => DatasetLayout.ScaleLabel(gsd, s)).ToArray();
        var positions = scenes.Sum(s => (long)s.Grid.Count);
        if (positions > DatasetLayout.MaxTiles)
        {
            throw new UsageException($"{positions} tile positions exceed the {DatasetLayout.MaxTiles} a dataset can name with {DatasetLayout.NameDigits} digits; split the scenes over several datasets");
        }

        return new RunPlan(scenes, channels!, gsd, labels, resampledFrom, factor > 1 ? pixel : null);
    }

    /// <summary>The factor from the scenes' grid to the dataset's base grid, and the native resolution the truth was
    /// resampled from where <see cref="TruthMode.Resampled"/> allows it.</summary>
    /// <exception cref="UsageException">The LST is natively coarser than the grid and the options do not say what to do.</exception>
    private static (int Factor, double? ResampledFrom) TruthFactor(CropOptions o, IReadOnlyList<ScenePlan> scenes, double pixel)
    {
        var coarsest = scenes.MaxBy(s => s.Scene.Manifest.Lst.NativeResolutionMetres ?? pixel);
        var native = coarsest?.Scene.Manifest.Lst.NativeResolutionMetres ?? pixel;
        if (native <= pixel * 1.01)
        {
            return (1, null);
        }

        var factor = 1;
        while (pixel * factor < native / 1.01)
        {
            factor *= 2;
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return o.Truth switch
        {
            TruthMode.Native => (factor, null),
            TruthMode.Resampled => (1, native),
            _ => throw new UsageException(string.Create(inv,
                $"{coarsest!.GivenPath}: its LST is natively {native:0.#} m, so {pixel:0.#} m truth would be resampled, not measured; crop with --truth native (base {pixel * factor:0.#} m: {string.Join("/", o.Scales.Select(s => (pixel * factor * s.Value).ToString("0.#", inv)))} m, guidance averaged onto it) or --allow-resampled-truth (keeps {pixel:0.#} m; the card records truthResampledFrom: {native:0.#})")),
        };
    }

    private static SortedDictionary<string, string> SceneChecksums(ScenePlan sp) => new(StringComparer.Ordinal)
    {
        [SceneFolder.ManifestFileName] = Checksums.Sha256(Path.Combine(sp.Scene.Directory, SceneFolder.ManifestFileName)),
        [SceneFolder.LstFileName] = Checksums.Sha256(sp.Scene.LstPath),
        [SceneFolder.GuidanceFileName] = Checksums.Sha256(sp.Scene.GuidancePath),
    };

    private static CropState LoadState(string given, string statePath)
    {
        if (!File.Exists(statePath))
        {
            var done = File.Exists(Path.Combine(given, DatasetLayout.CardFileName));
            throw new UsageException(done
                ? $"{given}: the dataset is complete; there is nothing to resume"
                : $"{given}: no interrupted crop here ({DatasetLayout.StateFileName} is missing); run crop without --resume");
        }

        try
        {
            return CropState.FromJson(File.ReadAllText(statePath));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new DataException($"{statePath}: unreadable crop state ({e.Message.Split('\n')[0]}); start over with --force");
        }
    }

    private static CropState PrepareOutput(CropOptions o, string output, string statePath, RunPlan plan)
    {
        var given = o.Output;
        var exists = Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any();
        DatasetCard? previousCard = null;
        IReadOnlyList<TileRecord>? previousTiles = null;
        switch (o.Mode)
        {
            case OutputMode.New when exists:
                throw new UsageException(File.Exists(statePath)
                    ? $"{given}: holds an interrupted crop; pass --resume to finish it or --force to start over"
                    : $"{given}: exists and is not empty; pass --force to replace it or --append to add scenes to it");
            case OutputMode.Force when Directory.Exists(output):
                Directory.Delete(output, recursive: true);
                break;
            case OutputMode.Append:
                (previousCard, previousTiles) = LoadForAppend(o, given, statePath, plan);
                break;
        }

        Directory.CreateDirectory(output);
        var state = new CropState
        {
            Scenes = o.Scenes,
            WorkingDirectory = o.WorkingDirectory,
            TileSize = o.TileSize,
            Overlap = o.Overlap,
            Scales = o.Scales.Select(s => s.Value).ToArray(),
            MaxNoData = o.MaxNoData,
            CoarseMinValidFraction = o.CoarseMinValidFraction,
            Compress = o.Compress,
            CompressionLevel = o.CompressionLevel,
            Truth = o.Truth,
            Command = o.Command,
            Mode = o.Mode,
            StartIndex = previousCard?.TileCount ?? 0,
            SceneSha256 = plan.Scenes.Select(SceneChecksums).ToArray(),
            PreviousCard = previousCard,
            PreviousTiles = previousTiles,
        };
        AtomicFile.WriteAllText(statePath, state.ToJson());
        return state;
    }

    private static (DatasetCard, IReadOnlyList<TileRecord>) LoadForAppend(CropOptions o, string given, string statePath, RunPlan plan)
    {
        var cardPath = Path.Combine(given, DatasetLayout.CardFileName);
        if (File.Exists(statePath))
        {
            throw new UsageException($"{given}: holds an interrupted crop; finish it with --resume before appending");
        }

        if (!File.Exists(cardPath))
        {
            throw new UsageException($"{given}: not a complete dataset ({DatasetLayout.CardFileName} missing); --append needs one made by 'lstpipe crop'");
        }

        var card = DatasetCard.FromJson(File.ReadAllText(cardPath), cardPath);
        if (card.IsAdopted)
        {
            throw new UsageException($"{given}: an adopted dataset (GrokLST's layout, made elsewhere) cannot be appended to; crop the new scenes into a dataset of their own");
        }

        var scales = string.Join(",", card.Scales.Select(s => s.Factor));
        if (card.TileSize != o.TileSize || Math.Abs(card.Overlap - o.Overlap) > 1e-12 || scales != string.Join(",", o.Scales.Select(s => s.Value)))
        {
            throw new UsageException(FormattableString.Invariant(
                $"{given}: was built with --size {card.TileSize} --overlap {card.Overlap} --scales {scales}; append with the same values"));
        }

        if (!card.Guidance.Select(c => c.Name).SequenceEqual(plan.Channels.Select(c => c.Name)) ||
            Math.Abs(card.BaseResolutionMetres - plan.BaseGsd.Size.Value) > 1e-6)
        {
            throw new DataException($"{given}: the new scenes' channels or resolution differ from the dataset's; one dataset needs one channel list and base resolution");
        }

        var clash = plan.Scenes.FirstOrDefault(s => card.Scenes.Any(c => c.Id == s.Scene.Manifest.Id));
        if (clash is not null)
        {
            throw new UsageException($"{clash.GivenPath}: scene '{clash.Scene.Manifest.Id}' is already in the dataset");
        }

        return (card, TileIndex.Read(Path.Combine(given, DatasetLayout.TilesFileName)));
    }

    private static CropResult Execute(CropOptions o, RunPlan plan, CropState state, string output, string statePath,
        IProgress<CropProgress>? progress, CancellationToken ct)
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
        using var journal = TileJournal.Open(output, o.Mode == OutputMode.Resume);
        for (var i = 0; i < plan.Scenes.Count; i++)
        {
            var sp = plan.Scenes[i];
            var first = next;
            var sceneRun = new SceneCropper(o, plan, sp, output, o.Mode == OutputMode.Resume, journal);
            var before = tiles.Count - (state.PreviousTiles?.Count ?? 0);
            var (sceneTiles, moments, skipped, reusedHere, skippedNoData) = sceneRun.Run(next, ct,
                (rows, written) => progress?.Report(new CropProgress(sp.Scene.Manifest.Id, i, plan.Scenes.Count, rows, sp.Grid.Rows, before + written)));
            if (sceneTiles.Count == 0)
            {
                throw new DataException(FormattableString.Invariant(
                    $"{sp.GivenPath}: none of its {sp.Grid.Count} tile positions has at most {o.MaxNoData:P0} nodata; the scene is mostly nodata (check its masks) or raise --max-nodata"));
            }

            if (NoDataHint(sp.Scene.Manifest.Id, sp.Grid.Count, skippedNoData, o.MaxNoData) is { } hint)
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
                Sha256 = state.SceneSha256 is { } sums ? new SortedDictionary<string, string>(sums[i].ToDictionary(), StringComparer.Ordinal) : SceneChecksums(sp),
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
                KeptCoveragePercent = Math.Round(KeptCoverage(sceneTiles, sp.Grid), 3),
                Moments = moments,
            });
            progress?.Report(new CropProgress(sp.Scene.Manifest.Id, i, plan.Scenes.Count, sp.Grid.Rows, sp.Grid.Rows, next - state.StartIndex));
        }

        var commands = new List<string>(state.PreviousCard?.Provenance.Commands ?? []) { o.Command };
        var card = BuildCard(o, plan, tiles.Count, cardScenes, commands, state.PreviousCard);
        AtomicFile.WriteAllText(Path.Combine(output, DatasetLayout.TilesFileName), TileIndex.ToGeoJson(tiles));
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
        File.Delete(statePath);
        return new CropResult(output, card, next - state.StartIndex, reused, staleSplit, staleParquet, hints, rewritten, firstRewritten);
    }

    /// <summary>Percentage of the scene inside some kept tile: the union of their squares, counted on cells of
    /// gcd(size, step) pixels, which tile edges never cut.</summary>
    private static double KeptCoverage(IReadOnlyList<TileRecord> tiles, TileGrid grid)
    {
        var cell = (int)System.Numerics.BigInteger.GreatestCommonDivisor(grid.Size.Value, grid.Step.Value);
        var (w, h) = ((grid.SceneWidth + cell - 1) / cell, (grid.SceneHeight + cell - 1) / cell);
        var covered = new bool[w * h];
        foreach (var t in tiles)
        {
            for (var r = t.Y / cell; r < Math.Min(h, (t.Y + t.Size) / cell); r++)
            {
                Array.Fill(covered, true, (r * w) + (t.X / cell), Math.Min(w - (t.X / cell), t.Size / cell));
            }
        }

        return 100.0 * covered.Count(c => c) * cell * cell / ((double)grid.SceneWidth * grid.SceneHeight);
    }

    /// <summary>A hint when nodata cost a scene a tenth or more of its tile positions: the <c>--max-nodata</c> (in steps
    /// of 0.05) that keeps at least half of them, and how many it keeps.</summary>
    private static string? NoDataHint(string scene, int positions, IReadOnlyList<double> skipped, double maxNoData)
    {
        if (skipped.Count == 0 || skipped.Count < 0.1 * positions)
        {
            return null;
        }

        var sorted = skipped.Order().ToArray();
        var threshold = Math.Min(0.95, Math.Ceiling((sorted[(sorted.Length - 1) / 2] - 1e-9) * 20) / 20);
        var keeps = sorted.Count(v => v <= threshold + 1e-12);
        return keeps == 0 || threshold <= maxNoData ? null : FormattableString.Invariant(
            $"scene {scene}: {skipped.Count} of {positions} tile positions were skipped for nodata (--max-nodata {maxNoData:0.##}); --max-nodata {threshold:0.##} would keep {keeps} of them (nodata stays NaN and is left out of training and metrics)");
    }

    private static DatasetCard BuildCard(CropOptions o, RunPlan plan, int tileCount, IReadOnlyList<CardScene> scenes, IReadOnlyList<string> commands, DatasetCard? previous)
    {
        double? resampledFrom = (plan.TruthResampledFrom, previous?.TruthResampledFrom) switch
        {
            ({ } a, { } b) => Math.Max(a, b),
            (var a, var b) => a ?? b,
        };
        var statistics = DatasetCard.StatisticsOf(scenes, plan.Labels, plan.Channels);
        return new DatasetCard
        {
            TileCount = tileCount,
            TileSize = o.TileSize,
            Step = o.Step.Value,
            Overlap = o.Overlap,
            BaseResolutionMetres = plan.BaseGsd.Size.Value,
            TruthResampledFrom = resampledFrom,
            TruthCoarsenedFrom = plan.TruthCoarsenedFrom,
            MaxNoData = o.MaxNoData,
            CoarseMinValidFraction = o.CoarseMinValidFraction,
            Scales = o.Scales.Select((s, i) => new CardScale(plan.Labels[i], s.Value, o.TileSize / s.Value, plan.BaseGsd.Coarsen(s).Size.Value)).ToArray(),
            Lst = new CardLst(DatasetLayout.LstVariable, "K"),
            Guidance = plan.Channels,
            Mat = new CardMat("5", o.Compress ? "zlib" : "none", o.Compress ? o.CompressionLevel : null),
            Statistics = statistics,
            Scenes = scenes,
            Provenance = new CardProvenance(ToolInfo.Name, ToolInfo.Version, commands),
        };
    }

    private static void RemoveTilesFrom(string output, RunPlan plan, int startIndex)
    {
        foreach (var label in plan.Labels)
        {
            foreach (var folder in new[] { DatasetLayout.LstFolder, DatasetLayout.GuidanceFolder })
            {
                var dir = Path.Combine(output, label, folder);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (var f in Directory.EnumerateFiles(dir))
                {
                    var name = Path.GetFileName(f);
                    if (AtomicFile.IsTemporaryName(name) ||
                        (int.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= startIndex))
                    {
                        File.Delete(f);
                    }
                }
            }
        }
    }

    private static void TryDelete(string output)
    {
        try
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Crops one scene: a rolling buffer of one band of tile rows per channel, tiles encoded in parallel.</summary>
    private sealed class SceneCropper(CropOptions o, RunPlan plan, ScenePlan sp, string output, bool resume, TileJournal journal)
    {
        private readonly int _channels = plan.Channels.Count + 1;
        private readonly ConcurrentBag<TileScratch> _scratch = [];
        private bool[][] _rowHasNaN = [];
        private int _reused;
        private int _rewritten;
        private string? _firstRewritten;

        /// <summary>Files of the interrupted run written again because they no longer matched their recorded checksum.</summary>
        public int Rewritten => _rewritten;

        /// <summary>The first of them.</summary>
        public string? FirstRewritten => _firstRewritten;

        public (List<TileRecord> Tiles, IReadOnlyList<CardSceneMoments> Moments, int Skipped, int Reused, IReadOnlyList<double> SkippedNoData) Run(
            int firstIndex, CancellationToken ct, Action<int, int> rowDone)
        {
            var grid = sp.Grid;
            var size = o.TileSize;
            var step = o.Step.Value;
            var width = sp.Width;
            if ((long)size * width > Array.MaxLength)
            {
                throw new DataException($"{sp.GivenPath}: {width} px is too wide to hold {size} rows in one buffer; crop narrower scenes");
            }

            var buffers = Enumerable.Range(0, _channels).Select(_ => new float[size * width]).ToArray();
            _rowHasNaN = Enumerable.Range(0, _channels).Select(_ => new bool[size]).ToArray();
            var datasets = new RasterDataset[_channels];
            var moments = plan.Labels.Select(_ => Enumerable.Range(0, _channels).Select(_ => new BandMoments()).ToArray()).ToArray();
            var tiles = new List<TileRecord>();
            var skipped = 0;
            var skippedNoData = new List<double>();
            var index = firstIndex;
            try
            {
                datasets[0] = sp.Scene.OpenLst();
                for (var c = 1; c < _channels; c++)
                {
                    datasets[c] = sp.Scene.OpenGuidance();
                }

                for (var row = 0; row < grid.Rows; row++)
                {
                    ct.ThrowIfCancellationRequested();
                    Load(datasets, buffers, row, size, step, width);
                    var fractions = new double[grid.Columns];
                    Parallelism.For(0, grid.Columns, o.Workers, ct, col => fractions[col] = ValidFraction(buffers, col * step, size, width));
                    var candidates = fractions.Select((v, col) => (Col: col, Valid: v)).ToList();
                    var kept = new List<(int Col, double Valid, int Index)>();
                    foreach (var (col, valid) in candidates)
                    {
                        if (1 - valid > o.MaxNoData + 1e-12)
                        {
                            skipped++;
                            skippedNoData.Add(1 - valid);
                        }
                        else
                        {
                            kept.Add((col, valid, index++));
                        }
                    }

                    var results = new (TileRecord Record, BandMoments[][] Moments)[kept.Count];
                    Parallelism.For(0, kept.Count, o.Workers, ct, k =>
                    {
                        var (col, valid, tileIndex) = kept[k];
                        results[k] = EncodeTile(buffers, row, col, valid, tileIndex, size, width);
                    });

                    foreach (var (record, tileMoments) in results)
                    {
                        tiles.Add(record);
                        for (var s = 0; s < moments.Length; s++)
                        {
                            for (var c = 0; c < _channels; c++)
                            {
                                moments[s][c].Add(tileMoments[s][c]);
                            }
                        }
                    }

                    rowDone(row + 1, tiles.Count);
                }
            }
            finally
            {
                foreach (var d in datasets)
                {
                    d?.Dispose();
                }

                while (_scratch.TryTake(out var scratch))
                {
                    scratch.Dispose();
                }
            }

            var names = new[] { "lst" }.Concat(plan.Channels.Select(c => c.Name)).ToArray();
            var cardMoments = plan.Labels.Select((label, s) =>
                new CardSceneMoments(label, names.Select((n, c) => new NamedMoments(n, moments[s][c])).ToArray())).ToArray();
            return (tiles, cardMoments, skipped, _reused, skippedNoData);
        }

        private void Load(RasterDataset[] datasets, float[][] buffers, int tileRow, int size, int step, int width)
        {
            var top = tileRow * step;
            var keep = tileRow == 0 ? 0 : size - step;
            var firstRow = top + keep;
            var rows = size - keep;
            Parallelism.For(0, _channels, _channels, CancellationToken.None, c =>
            {
                var buffer = buffers[c];
                if (keep > 0)
                {
                    Array.Copy(buffer, (long)step * width, buffer, 0, (long)keep * width);
                }

                var band = datasets[c].GetBand(c == 0 ? 1 : c);
                var span = buffer.AsSpan(keep * width, rows * width);
                var nd = band.NoData is { } d ? (float)d : float.NaN;
                if (sp.Factor == 1)
                {
                    band.Read(new PixelWindow(0, firstRow, width, rows), span);
                    if (!float.IsNaN(nd))
                    {
                        span.Replace(nd, float.NaN);
                    }
                }
                else
                {
                    ReadCoarsened(band, nd, firstRow, rows, width, span);
                }

                if (c == 0)
                {
                    CheckLst(span);
                }
                else
                {
                    NonFiniteToNaN(span);
                }

                var flags = _rowHasNaN[c];
                Array.Copy(flags, step, flags, 0, keep);
                for (var r = 0; r < rows; r++)
                {
                    flags[keep + r] = HasNaN(span.Slice(r * width, width));
                }
            });
        }

        /// <summary>LST in Kelvin (a scene that declares Celsius is converted), non-finite values as nodata, and a
        /// data error for a value no land surface has (outside 150-400 K).</summary>
        private void CheckLst(Span<float> values)
        {
            var unit = sp.Scene.LstUnit;
            var celsius = unit == TemperatureUnit.Celsius;
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i];
                if (!float.IsFinite(v))
                {
                    values[i] = float.NaN;
                    continue;
                }

                if (celsius)
                {
                    v = values[i] = (float)LstUnits.ToKelvin(v, unit);
                }

                if (!LstUnits.IsPlausible(v))
                {
                    throw new DataException(FormattableString.Invariant(
                        $"{sp.Scene.LstPath}: holds an LST of {v} K, outside the 150-400 K of any land surface ({LstUnits.Hint(v)}); fix its unit (scene.json lst.unit) or mask it as nodata"));
                }
            }
        }

        private static void NonFiniteToNaN(Span<float> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    values[i] = float.NaN;
                }
            }
        }

        /// <summary>Reads base-grid rows of a scene coarsened by <see cref="ScenePlan.Factor"/>: block means of the
        /// scene's pixels, read a few dozen base rows at a time.</summary>
        private void ReadCoarsened(RasterBand band, float nd, int firstRow, int rows, int width, Span<float> output)
        {
            var f = sp.Factor;
            const int chunk = 32;
            var fine = new float[chunk * f * width * f];
            for (var r = 0; r < rows; r += chunk)
            {
                var n = Math.Min(chunk, rows - r);
                var span = fine.AsSpan(0, n * f * width * f);
                band.Read(new PixelWindow(0, (firstRow + r) * f, width * f, n * f), span);
                if (!float.IsNaN(nd))
                {
                    span.Replace(nd, float.NaN);
                }

                BlockMean.ReduceRectangle(span, width * f, n * f, f, output.Slice(r * width, n * width), o.CoarseMinValidFraction);
            }
        }

        private static bool HasNaN(ReadOnlySpan<float> values)
        {
            var i = 0;
            if (System.Numerics.Vector.IsHardwareAccelerated)
            {
                var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
                foreach (var v in vectors)
                {
                    if (!System.Numerics.Vector.EqualsAll(v, v))
                    {
                        return true;
                    }
                }

                i = vectors.Length * System.Numerics.Vector<float>.Count;
            }

            for (; i < values.Length; i++)
            {
                if (float.IsNaN(values[i]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Fraction of the tile at column <paramref name="x"/> valid in every channel; rows without any
        /// NaN (flagged as they are loaded) count whole, so clean scenes cost almost nothing.</summary>
        private double ValidFraction(float[][] buffers, int x, int size, int width)
        {
            long valid = 0;
            for (var r = 0; r < size; r++)
            {
                var flagged = false;
                for (var c = 0; c < _channels && !flagged; c++)
                {
                    flagged = _rowHasNaN[c][r];
                }

                if (!flagged)
                {
                    valid += size;
                    continue;
                }

                for (var i = 0; i < size; i++)
                {
                    var ok = true;
                    for (var c = 0; c < _channels && ok; c++)
                    {
                        ok = !float.IsNaN(buffers[c][r * width + x + i]);
                    }

                    valid += ok ? 1 : 0;
                }
            }

            return (double)valid / ((long)size * size);
        }

        private (TileRecord, BandMoments[][]) EncodeTile(float[][] buffers, int row, int col, double valid, int index, int size, int width)
        {
            if (!_scratch.TryTake(out var scratch))
            {
                scratch = new TileScratch(_channels, size, o.Scales, o.Compress ? o.CompressionLevel : null);
            }

            try
            {
                var x = col * o.Step.Value;
                for (var c = 0; c < _channels; c++)
                {
                    var fine = scratch.Fine[c];
                    for (var r = 0; r < size; r++)
                    {
                        buffers[c].AsSpan(r * width + x, size).CopyTo(fine.AsSpan(r * size, size));
                    }

                    if (valid < 1)
                    {
                        MaskInvalid(buffers, fine, x, size, width);
                    }
                }

                var tileMoments = new BandMoments[o.Scales.Count][];
                for (var s = 0; s < o.Scales.Count; s++)
                {
                    var f = o.Scales[s].Value;
                    var cs = size / f;
                    tileMoments[s] = new BandMoments[_channels];
                    for (var c = 0; c < _channels; c++)
                    {
                        BlockMean.Reduce(scratch.Fine[c], size, f, scratch.Coarse[s][c], o.CoarseMinValidFraction, allValid: valid >= 1);
                        tileMoments[s][c] = new BandMoments();
                        tileMoments[s][c].Add(scratch.Coarse[s][c].AsSpan(0, cs * cs));
                    }

                    var label = plan.Labels[s];
                    WriteMat(DatasetLayout.LstPath(output, label, index),
                        [new MatArray(DatasetLayout.LstVariable, cs, cs, scratch.Coarse[s][0])], scratch);
                    WriteMat(DatasetLayout.GuidancePath(output, label, index),
                        plan.Channels.Select((ch, c) => new MatArray(ch.Name, cs, cs, scratch.Coarse[s][c + 1])).ToArray(), scratch);
                }

                var gt = sp.Transform;
                var window = sp.Grid.Window(row, col);
                var footprint = new[] { (window.X, window.Y), (window.Right, window.Y), (window.Right, window.Bottom), (window.X, window.Bottom) }
                    .Select(p => { var (mx, my) = gt.PixelToMap(p.Item1, p.Item2); return new[] { mx, my }; }).ToArray();
                var record = new TileRecord(index, sp.Scene.Manifest.Id, row, col, window.X, window.Y, size, valid, sp.Scene.Manifest.Crs.Epsg, footprint);
                return (record, tileMoments);
            }
            finally
            {
                _scratch.Add(scratch);
            }
        }

        private void MaskInvalid(float[][] buffers, float[] fine, int x, int size, int width)
        {
            for (var r = 0; r < size; r++)
            {
                for (var i = 0; i < size; i++)
                {
                    for (var c = 0; c < _channels; c++)
                    {
                        if (float.IsNaN(buffers[c][r * width + x + i]))
                        {
                            fine[r * size + i] = float.NaN;
                            break;
                        }
                    }
                }
            }
        }

        private void WriteMat(string path, IReadOnlyList<MatArray> arrays, TileScratch scratch)
        {
            if (resume && File.Exists(path))
            {
                if (journal.Matches(path))
                {
                    Interlocked.Increment(ref _reused);
                    return;
                }

                if (journal.Knows(path))
                {
                    Interlocked.Increment(ref _rewritten);
                    Interlocked.CompareExchange(ref _firstRewritten, path, null);
                }
            }

            MatFile.Write(path, arrays, scratch.Compressor, scratch.Transpose);
            journal.Record(path);
        }
    }

    private sealed class TileScratch : IDisposable
    {
        public TileScratch(int channels, int size, IReadOnlyList<ScaleFactor> scales, int? compressionLevel)
        {
            Compressor = compressionLevel is { } level ? new DeflateCompressor(level) : null;
            Fine = Enumerable.Range(0, channels).Select(_ => new float[size * size]).ToArray();
            Coarse = scales.Select(s => Enumerable.Range(0, channels).Select(_ => new float[(size / s.Value) * (size / s.Value)]).ToArray()).ToArray();
            Transpose = new float[size * size];
        }

        public float[][] Fine { get; }

        public float[][][] Coarse { get; }

        public float[] Transpose { get; }

        public DeflateCompressor? Compressor { get; }

        public void Dispose() => Compressor?.Dispose();
    }
}
