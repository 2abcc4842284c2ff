using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Pipelines.Catalog;
using LstPipe.Pipelines.Recipes;
using LstPipe.Pipelines.Stages;

namespace LstPipe.Pipelines;

/// <summary>What happened to a stage in a run.</summary>
/// <param name="Id">Stage id.</param>
/// <param name="Ran">Whether it ran (false: up to date, or not selected).</param>
/// <param name="Reason">Why it ran (its staleness), or why not.</param>
/// <param name="Result">What the stage returned when it ran whole (a split report, a test's metrics, ...).</param>
public sealed record StageOutcome(string Id, bool Ran, string Reason, object? Result = null);

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
    /// <param name="recipePath">The pipeline recipe.</param>
    /// <param name="log">Receives a line per STAC search and network retry.</param>
    public static IReadOnlyList<StageStatus> Status(string recipePath, Action<string>? log = null)
    {
        var declared = PipelineRecipe.Load(recipePath);
        var notes = RegionQueries.Changes(declared, log);
        var recipe = RegionQueries.Resolve(declared, requery: false, pin: false, log);
        var checksums = new FileChecksums(recipe.Output);
        var plan = StagePlan.Build(recipe, checksums);
        checksums.Save();
        var records = new StageRecords(recipe.Output);
        return [.. plan.Stages.Select(records.Status).Select(s => s.UpToDate || !s.Stage.Divisible ? s : WithStaged(s,
            Staging(recipe, s.Stage).Count())).Select(s => WithQueryNote(s, notes))];
    }

    private static StageStatus WithQueryNote(StageStatus status, IReadOnlyDictionary<string, string> notes)
    {
        var stage = status.Stage;
        var note = stage.Kind == StageKind.Ingest && stage.Region is { } r
            ? notes.FirstOrDefault(n => r == n.Key || r.StartsWith(n.Key + "-", StringComparison.Ordinal)).Value : null;
        return note is null ? status : status with { Reason = status.Reason.Length == 0 ? note : status.Reason + "; " + note };
    }

    private static StageStatus WithStaged(StageStatus status, int files) =>
        files == 0 ? status : status with
        {
            Reason = string.Create(CultureInfo.InvariantCulture, $"{status.Reason}; {files} " +
            $"file(s) staged by shards, gathered by the next unsharded run")
        };

    /// <summary>Runs the selected stages that are stale. A run of the whole recipe holds the output folder's lock
    /// alone; shards and single regions (the parts a Slurm array runs side by side) share it, so neither kind runs
    /// over the other.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="log">Receives a line as each stage starts or is skipped.</param>
    /// <exception cref="UsageException">Another run holds the output.</exception>
    public static IReadOnlyList<StageOutcome> Run(PipelineRunOptions options, Action<string>? log = null)
    {
        var declared = PipelineRecipe.Load(options.Recipe);
        var whole = options.Shard is null && options.Regions is null;
        if (whole)
        {
            StacCatalog.CheckPlace(declared, options.CatalogHrefBase);
        }

        using var writer = OutputLock.Acquire(declared.Output, $"lstpipe run {declared.Path}", shared: !whole);
        var recipe = RegionQueries.Resolve(declared, options.Requery, pin: true, log);
        foreach (var region in options.Regions ?? [])
        {
            if (recipe.Regions.All(r => r.Name != region))
            {
                throw new UsageException($"--region {region}: {recipe.Path} has regions " +
                    $"{string.Join(", ", recipe.Regions.Select(r => r.Name))}");
            }
        }

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

        var context = new StageContext(recipe, $"lstpipe run {Path.GetFileName(recipe.Path)}", options.Device) { Log = log };
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

                outcomes.Add(new StageOutcome(stage.Id, false,
                    status.UpToDate ? "up to date" : "not selected (stale: " + status.Reason + ")"));
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
                throw new UsageException($"{stage.Id} needs {string.Join(", ", missing)}, which is stale and not selected here; " +
                    $"run it first (add its stage or region, or its shard)");
            }

            var reason = status.UpToDate ? "forced" : status.Reason;
            if (shard is { } part && stage.Region is null && stage.Divisible)
            {
                var staging = Staging(recipe, stage);
                Directory.CreateDirectory(staging.Folder!);
                log?.Invoke($"{stage.Id}: staging shard {part} ({reason})");
                var units = stage.RunShard(context with
                {
                    Command = $"lstpipe run {Path.GetFileName(recipe.Path)} " +
                    $"({stage.Id})"
                }, part, staging);
                outcomes.Add(new StageOutcome(stage.Id, true, $"shard {part}: {units} unit(s) staged"));
                continue;
            }

            if (shard is { Index: > 0 } && stage.Region is null)
            {
                Outcome(stage, false, "one unit of work, done by shard 0");
                continue;
            }

            log?.Invoke($"{stage.Id}: running ({reason})");
            records.Invalidate(stage.Id);
            var result = stage.Run(context with
            {
                Command = $"lstpipe run {Path.GetFileName(recipe.Path)} " +
                $"({stage.Id})"
            }, Staging(recipe, stage));
            outcomes.Add(new StageOutcome(stage.Id, true, reason, result));
            records.Complete(stage);
            foreach (var old in StagingFolders(recipe, stage))
            {
                Directory.Delete(old, recursive: true);
            }

            done.Add(stage.Id);
        }

        if (whole)
        {
            StacCatalog.Write(recipe, plan, records, options.CatalogHrefBase, $"lstpipe run {Path.GetFileName(recipe.Path)}");
        }

        return outcomes;
    }

    /// <summary>Where shards stage a stage's units: keyed by its fingerprint, so units made from other inputs are
    /// never taken.</summary>
    private static StagedUnits Staging(PipelineRecipe recipe, Stage stage) =>
        new(Path.Combine(recipe.Output, ".lstpipe", "work", $"{stage.Id}-{stage.Fingerprint[..16]}"));

    private static IEnumerable<string> StagingFolders(PipelineRecipe recipe, Stage stage)
    {
        var work = Path.Combine(recipe.Output, ".lstpipe", "work");
        return Directory.Exists(work) ? Directory.GetDirectories(work, stage.Id + "-*") : [];
    }
}
