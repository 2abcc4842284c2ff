using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset.Assembly;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Splits;
using LstPipe.Ingest;
using LstPipe.Pipelines.Catalog;
using LstPipe.Pipelines.Recipes;
using LstPipe.Pipelines.Stages;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;
using LstPipe.Training;

namespace LstPipe.Pipelines;

/// <summary>The options of <c>lstpipe run</c>.</summary>
public sealed record PipelineRunOptions
{
    /// <summary>The pipeline recipe file.</summary>
    public required string Recipe { get; init; }

    /// <summary>Only these regions' ingest and crop (dataset-wide stages are left out); null for all.</summary>
    public IReadOnlyList<string>? Regions { get; init; }

    /// <summary>Only these kinds of stage; null for all.</summary>
    public IReadOnlyList<StageKind>? Stages { get; init; }

    /// <summary>Only this shard of the work: the regions' stages of every Nth region, and every Nth unit of the
    /// dataset-wide stages whose inputs are up to date, staged for an unsharded run to gather.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Redo the selected stages even when they are up to date.</summary>
    public bool Force { get; init; }

    /// <summary>Parses <c>ingest,crop,split</c>.</summary>
    /// <exception cref="UsageException">An unknown stage name.</exception>
    public static IReadOnlyList<StageKind> ParseStages(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
            Enum.TryParse<StageKind>(s, ignoreCase: true, out var k) && !int.TryParse(s, out _)
                ? k
                : throw new UsageException($"--stages {text}: '{s}' is not a stage; use {string.Join(",", Enum.GetNames<StageKind>().Select(n => n.ToLowerInvariant()))}")).ToArray();
}

/// <summary>What happened to a stage in a run.</summary>
/// <param name="Id">Stage id.</param>
/// <param name="Ran">Whether it ran (false: up to date, or not selected).</param>
/// <param name="Reason">Why it ran (its staleness), or why not.</param>
public sealed record StageOutcome(string Id, bool Ran, string Reason);

/// <summary>
/// Runs a pipeline recipe stage by stage in this process: each selected stage runs when its recorded fingerprint
/// differs from its inputs' (or its output is gone) and is skipped when up to date; a selected stage that needs a
/// stale stage outside the selection is refused. A sharded run does its regions' stages, and stages its share of the
/// units of assembly, export and test for an unsharded run to gather (docs/PIPELINES.md). Unsharded runs rewrite the
/// STAC catalog at the end.
/// </summary>
public static class PipelineRunner
{
    /// <summary>Stage status without running anything (<c>lstpipe status</c>).</summary>
    public static IReadOnlyList<StageStatus> Status(string recipePath)
    {
        var recipe = PipelineRecipe.Load(recipePath);
        var checksums = new FileChecksums(recipe.Output);
        var plan = StagePlan.Build(recipe, checksums);
        checksums.Save();
        var records = new StageRecords(recipe.Output);
        return [.. plan.Stages.Select(records.Status).Select(s => s.UpToDate || !IsDivisible(s.Stage) ? s : WithStaged(s, Staging(recipe, s.Stage).Count()))];
    }

    private static StageStatus WithStaged(StageStatus status, int files) =>
        files == 0 ? status : status with { Reason = string.Create(CultureInfo.InvariantCulture, $"{status.Reason}; {files} file(s) staged by shards, gathered by the next unsharded run") };

    /// <summary>Runs the selected stages that are stale. A run of the whole recipe holds the output folder's lock
    /// alone; shards and single regions (the parts a Slurm array runs side by side) share it, so neither kind runs
    /// over the other.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="log">Receives a line as each stage starts or is skipped.</param>
    /// <exception cref="UsageException">Another run holds the output.</exception>
    public static IReadOnlyList<StageOutcome> Run(PipelineRunOptions options, Action<string>? log = null)
    {
        var recipe = PipelineRecipe.Load(options.Recipe);
        foreach (var region in options.Regions ?? [])
        {
            if (recipe.Regions.All(r => r.Name != region))
            {
                throw new UsageException($"--region {region}: {recipe.Path} has regions {string.Join(", ", recipe.Regions.Select(r => r.Name))}");
            }
        }

        var whole = options.Shard is null && options.Regions is null;
        using var writer = OutputLock.Acquire(recipe.Output, $"lstpipe run {recipe.Path}", shared: !whole);
        var checksums = new FileChecksums(recipe.Output);
        var plan = StagePlan.Build(recipe, checksums);
        checksums.Save();
        var records = new StageRecords(recipe.Output);
        var order = PipelineRecipe.RegionOrder(recipe).Select(r => r.Name).ToList();
        var shard = options.Shard;
        bool Selected(Stage s) =>
            (options.Stages is null || options.Stages.Contains(s.Kind)) &&
            (s.Region is null
                ? options.Regions is null
                : (options.Regions is null || options.Regions.Contains(s.Region)) &&
                  (shard is not { } sh || sh.Owns(order.IndexOf(s.Region))));

        var outcomes = new List<StageOutcome>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        void Outcome(Stage stage, bool ran, string reason)
        {
            outcomes.Add(new StageOutcome(stage.Id, ran, reason));
            log?.Invoke($"{stage.Id}: {(ran ? "running (" + reason + ")" : reason)}");
        }

        foreach (var stage in plan.Stages)
        {
            var status = records.Status(stage);
            if (!Selected(stage))
            {
                if (status.UpToDate)
                {
                    done.Add(stage.Id);
                }

                outcomes.Add(new StageOutcome(stage.Id, false, status.UpToDate ? "up to date" : "not selected (stale: " + status.Reason + ")"));
                continue;
            }

            if (status.UpToDate && !options.Force)
            {
                done.Add(stage.Id);
                Outcome(stage, false, "up to date");
                continue;
            }

            var missing = stage.Needs.Where(n => !done.Contains(n)).ToArray();
            if (missing.Length > 0 && shard is not null && stage.Region is null)
            {
                Outcome(stage, false, $"waits for {string.Join(", ", missing)} (every shard, then an unsharded run)");
                continue;
            }

            if (missing.Length > 0)
            {
                throw new UsageException($"{stage.Id} needs {string.Join(", ", missing)}, which is stale and not selected here; run it first (add its stage or region, or its shard)");
            }

            var reason = status.UpToDate ? "forced" : status.Reason;
            if (shard is { } part && stage.Region is null && IsDivisible(stage))
            {
                var staging = Staging(recipe, stage);
                Directory.CreateDirectory(staging.Folder!);
                log?.Invoke($"{stage.Id}: staging shard {part} ({reason})");
                var units = StageUnits(recipe, stage, part, staging);
                outcomes.Add(new StageOutcome(stage.Id, true, $"shard {part}: {units} unit(s) staged"));
                continue;
            }

            if (shard is { Index: > 0 } && stage.Region is null)
            {
                Outcome(stage, false, "one unit of work, done by shard 0");
                continue;
            }

            Outcome(stage, true, reason);
            records.Invalidate(stage.Id);
            Execute(recipe, stage, Staging(recipe, stage));
            records.Complete(stage);
            foreach (var old in StagingFolders(recipe, stage))
            {
                Directory.Delete(old, recursive: true);
            }

            done.Add(stage.Id);
        }

        if (whole)
        {
            StacCatalog.Write(recipe, plan, records);
        }

        return outcomes;
    }

    /// <summary>Whether a dataset-wide stage splits into units that shards can do apart: assembly (tiles), export
    /// (Parquet parts) and test (chunks of tiles). A split and a training run are one unit each.</summary>
    private static bool IsDivisible(Stage stage) => stage.Id is "assemble" or "export" or "test";

    /// <summary>Where shards stage a stage's units: keyed by its fingerprint, so units made from other inputs are
    /// never taken.</summary>
    private static StagedUnits Staging(PipelineRecipe recipe, Stage stage) =>
        new(Path.Combine(recipe.Output, ".lstpipe", "work", $"{stage.Id}-{stage.Fingerprint[..16]}"));

    private static IEnumerable<string> StagingFolders(PipelineRecipe recipe, Stage stage)
    {
        var work = Path.Combine(recipe.Output, ".lstpipe", "work");
        return Directory.Exists(work) ? Directory.GetDirectories(work, stage.Id + "-*") : [];
    }

    private static int StageUnits(PipelineRecipe recipe, Stage stage, Shard shard, StagedUnits staging) => stage.Id switch
    {
        "assemble" => DatasetAssembler.Stage(CropPaths(recipe), StagePlan.DatasetPath(recipe), shard, staging),
        "export" => ParquetExporter.Stage(ExportOptions(recipe), shard, staging),
        "test" => Evaluator.Stage(TestOptions(recipe, stage), shard, staging),
        _ => throw new InvalidOperationException(stage.Id + " is one unit of work"),
    };

    private static void Execute(PipelineRecipe recipe, Stage stage, StagedUnits staged)
    {
        var command = $"lstpipe run {Path.GetFileName(recipe.Path)} ({stage.Id})";
        var dataset = StagePlan.DatasetPath(recipe);
        switch (stage.Kind, stage.Id)
        {
            case (StageKind.Ingest, _):
                Ingest(recipe, recipe.Region(stage.Region!), stage.Output, command);
                break;
            case (StageKind.Crop, "assemble"):
                DatasetAssembler.Run(CropPaths(recipe), dataset, command, staged);
                break;
            case (StageKind.Crop, _):
                CropProcessor.Run(recipe.Crop with
                {
                    Scenes = [Path.GetRelativePath(recipe.Output, StagePlan.ScenePath(recipe, stage.Region!))],
                    Output = stage.Output,
                    Mode = OutputMode.Force,
                    WorkingDirectory = recipe.Output,
                    Command = command,
                });
                break;
            case (StageKind.Split, _):
                SplitProcessor.Run(recipe.Split with { Dataset = dataset, Command = command });
                break;
            case (StageKind.Export, _):
                ParquetExporter.Run(ExportOptions(recipe), staged: staged);
                break;
            case (StageKind.Train, _):
                Trainer.Run(recipe.Train! with { Dataset = dataset, Output = stage.Output, Force = true, Command = command });
                break;
            case (StageKind.Test, _):
                Evaluator.Run(TestOptions(recipe, stage), staged: staged);
                break;
        }
    }

    private static string[] CropPaths(PipelineRecipe recipe) => [.. recipe.Regions.Select(r => StagePlan.CropPath(recipe, r.Name))];

    private static ParquetExportOptions ExportOptions(PipelineRecipe recipe) => recipe.Export.Options with { Dataset = StagePlan.DatasetPath(recipe) };

    private static EvaluateOptions TestOptions(PipelineRecipe recipe, Stage stage) => new()
    {
        Checkpoint = Path.Combine(StagePlan.RunPath(recipe), "best.safetensors"),
        Dataset = StagePlan.DatasetPath(recipe),
        Split = recipe.Train!.ValSplit,
        Format = recipe.Train.Format,
        Output = stage.Output,
        Device = recipe.Train.Device,
    };

    private static void Ingest(PipelineRecipe recipe, RegionSpec region, string output, string command)
    {
        if (region.Synthetic is { } syn)
        {
            var d = new SyntheticSceneOptions();
            SyntheticSceneGenerator.Generate(d with
            {
                Width = syn.Size,
                Height = syn.Size,
                Seed = syn.Seed,
                Epsg = syn.Epsg,
                OriginX = syn.Origin?[0] ?? d.OriginX,
                OriginY = syn.Origin?[1] ?? d.OriginY,
                Channels = recipe.Channels,
                Id = region.Name,
            }, output, overwrite: true, command);
            return;
        }

        IngestProcessor.Run(new IngestOptions
        {
            Recipe = region.SensorRecipe!,
            Input = region.Source!,
            Output = output,
            Id = region.Name,
            Force = true,
            Grid = region.Grid,
            GridLike = region.GridLike is { } like ? SceneFolder.Open(StagePlan.ScenePath(recipe, like)).LstPath : null,
            Command = command,
        });
    }
}
