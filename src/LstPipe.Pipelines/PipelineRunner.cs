using System.Globalization;
using LstPipe.Core.Errors;
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

/// <summary>One shard of the per-region work: regions whose position (in dependency order) modulo
/// <see cref="Count"/> is <see cref="Index"/>.</summary>
/// <param name="Index">0-based shard.</param>
/// <param name="Count">Shards in all.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Parses <c>i/N</c>.</summary>
    /// <exception cref="UsageException">Not two integers with 0 &lt;= i &lt; N.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i) &&
               int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && i < n
            ? new Shard(i, n)
            : throw new UsageException($"--shard {text}: use i/N with 0 <= i < N (for example 0/4)");
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>The options of <c>lstpipe run</c>.</summary>
public sealed record PipelineRunOptions
{
    /// <summary>The pipeline recipe file.</summary>
    public required string Recipe { get; init; }

    /// <summary>Only these regions' ingest and crop (dataset-wide stages are left out); null for all.</summary>
    public IReadOnlyList<string>? Regions { get; init; }

    /// <summary>Only these kinds of stage; null for all.</summary>
    public IReadOnlyList<StageKind>? Stages { get; init; }

    /// <summary>Only this shard of the per-region stages (dataset-wide stages are left to an unsharded run).</summary>
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
/// stale stage outside the selection is refused. Unsharded runs rewrite the STAC catalog at the end.
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
        return plan.Stages.Select(records.Status).ToArray();
    }

    /// <summary>Runs the selected stages that are stale.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="log">Receives a line as each stage starts or is skipped.</param>
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

        var checksums = new FileChecksums(recipe.Output);
        var plan = StagePlan.Build(recipe, checksums);
        checksums.Save();
        var records = new StageRecords(recipe.Output);
        var order = PipelineRecipe.RegionOrder(recipe).Select(r => r.Name).ToList();
        bool Selected(Stage s) =>
            (options.Stages is null || options.Stages.Contains(s.Kind)) &&
            (s.Region is null
                ? options.Regions is null && options.Shard is null
                : (options.Regions is null || options.Regions.Contains(s.Region)) &&
                  (options.Shard is not { } sh || order.IndexOf(s.Region) % sh.Count == sh.Index));

        var outcomes = new List<StageOutcome>();
        var done = new HashSet<string>(StringComparer.Ordinal);
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

            var missing = stage.Needs.Where(n => !done.Contains(n)).ToArray();
            if (missing.Length > 0)
            {
                throw new UsageException($"{stage.Id} needs {string.Join(", ", missing)}, which is stale and not selected here; run it first (add its stage or region, or its shard)");
            }

            if (status.UpToDate && !options.Force)
            {
                done.Add(stage.Id);
                outcomes.Add(new StageOutcome(stage.Id, false, "up to date"));
                log?.Invoke($"{stage.Id}: up to date");
                continue;
            }

            var reason = status.UpToDate ? "forced" : status.Reason;
            log?.Invoke($"{stage.Id}: running ({reason})");
            records.Invalidate(stage.Id);
            Execute(recipe, stage);
            records.Complete(stage);
            done.Add(stage.Id);
            outcomes.Add(new StageOutcome(stage.Id, true, reason));
        }

        if (options.Shard is null && options.Regions is null)
        {
            StacCatalog.Write(recipe, plan, records);
        }

        return outcomes;
    }

    private static void Execute(PipelineRecipe recipe, Stage stage)
    {
        var command = $"lstpipe run {Path.GetFileName(recipe.Path)} ({stage.Id})";
        var dataset = StagePlan.DatasetPath(recipe);
        switch (stage.Kind, stage.Id)
        {
            case (StageKind.Ingest, _):
                Ingest(recipe, recipe.Region(stage.Region!), stage.Output, command);
                break;
            case (StageKind.Crop, "assemble"):
                DatasetAssembler.Run([.. recipe.Regions.Select(r => StagePlan.CropPath(recipe, r.Name))], dataset, command);
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
                ParquetExporter.Run(recipe.Export.Options with { Dataset = dataset });
                break;
            case (StageKind.Train, _):
                Trainer.Run(recipe.Train! with { Dataset = dataset, Output = stage.Output, Force = true, Command = command });
                break;
            case (StageKind.Test, _):
                Evaluator.Run(new EvaluateOptions
                {
                    Checkpoint = Path.Combine(StagePlan.RunPath(recipe), "best.safetensors"),
                    Dataset = dataset,
                    Split = recipe.Train!.ValSplit,
                    Format = recipe.Train.Format,
                    Output = stage.Output,
                    Device = recipe.Train.Device,
                });
                break;
        }
    }

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
