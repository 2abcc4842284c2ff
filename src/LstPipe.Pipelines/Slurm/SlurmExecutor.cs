using System.Diagnostics;
using System.Globalization;
using System.Text;
using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;
using LstPipe.Pipelines.Recipes;
using LstPipe.Pipelines.Stages;

namespace LstPipe.Pipelines.Slurm;

/// <summary>The options of <c>lstpipe run --executor slurm</c>.</summary>
public sealed record SlurmOptions
{
    /// <summary>How a job starts lstpipe (a path, or <c>dotnet /path/lstpipe.dll</c>); every node must reach it.</summary>
    public required string Lstpipe { get; init; }

    /// <summary>Extra <c>sbatch</c> arguments (partition, account, time limit, ...).</summary>
    public IReadOnlyList<string> SbatchArguments { get; init; } = [];

    /// <summary>Array tasks for the dataset-wide stages that divide into units (assembly, export, test); 1 runs
    /// every dataset-wide stage in one plain job.</summary>
    public int Tasks { get; init; } = 4;

    /// <summary>How often the queue is polled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Give up waiting after this long (the jobs keep running).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Retries of a Slurm client call that failed transiently (socket time-outs, "Slurm temporarily unable",
    /// an unreachable controller); a refusal (bad partition, account, limits) is never retried.</summary>
    public RetryPolicy Retries { get; init; } = RetryPolicy.Default;

    /// <summary>The folder holding sbatch, squeue and scontrol; null: found on PATH.</summary>
    public string? Bin { get; init; }
}

/// <summary>A submitted job.</summary>
/// <param name="Id">Slurm job id.</param>
/// <param name="Name">What it runs.</param>
/// <param name="Script">The batch script.</param>
/// <param name="Tasks">Array tasks (1 for a plain job).</param>
public sealed record SlurmJob(string Id, string Name, string Script, int Tasks);

/// <summary>
/// Runs a pipeline on a Slurm cluster whose nodes share the recipe's output folder: the regions' ingest and crop as
/// array jobs (one task per region; one array per level of <c>grid_like</c> dependencies, each after the last with
/// <c>afterok</c>), then the dataset-wide stages in waves (assembly; split and export; train; test), each a
/// <c>--shard $SLURM_ARRAY_TASK_ID/N</c> array that stages its share of the units followed by one job that gathers
/// them. Every job runs <c>lstpipe run</c> itself, so the stages, their fingerprints and their bytes are those of a
/// local run. Without slurmdbd there is no <c>sacct</c>: the queue is polled with <c>squeue</c> and the end states
/// read with <c>scontrol show job</c>.
/// </summary>
public static class SlurmExecutor
{
    /// <summary>Submits the selected stages and waits for them.</summary>
    /// <exception cref="UsageException">sbatch is missing or refuses a job.</exception>
    /// <exception cref="DataException">A job failed (its log's last lines are in the message).</exception>
    public static IReadOnlyList<SlurmJob> Run(PipelineRunOptions run, SlurmOptions slurm, Action<string>? log = null)
    {
        var recipe = RegionQueries.Resolve(PipelineRecipe.Load(run.Recipe), run.Requery, pin: true, log);
        var folder = Path.Combine(recipe.Output, ".lstpipe", "slurm");
        Directory.CreateDirectory(folder);
        var kinds = run.Stages ?? Enum.GetValues<StageKind>();
        var regionKinds = kinds.Where(k => k is StageKind.Ingest or StageKind.Crop).Select(k => k.ToString().ToLowerInvariant()).ToArray();
        var datasetKinds = kinds.Where(k => k is not StageKind.Ingest).Select(k => k.ToString().ToLowerInvariant()).ToArray();
        var regions = PipelineRecipe.RegionOrder(recipe).Where(r => run.Regions is null || run.Regions.Contains(r.Name)).ToArray();
        var levels = Levels(regions);
        var recipeArg = Quote(Path.GetFullPath(run.Recipe));
        if (run.Regions is null)
        {
            Catalog.StacCatalog.CheckPlace(recipe, run.CatalogHrefBase);
        }

        var force = (run.Force ? " --force" : "") + (run.Device != "cpu" ? " --device " + Quote(run.Device) : "") +
            (run.CatalogHrefBase is { } hrefBase ? " --catalog-href-base " + Quote(hrefBase) : "");
        var divisible = StagePlan.Build(recipe, new FileChecksums(recipe.Output)).Stages.Where(s => s.Region is null && s.Divisible)
            .Select(s => s.Kind.ToString().ToLowerInvariant()).ToHashSet();
        var jobs = new List<SlurmJob>();
        string? previous = null;
        if (regionKinds.Length > 0)
        {
            foreach (var (level, names) in levels.Select((n, i) => (i, n)))
            {
                var script = Path.Combine(folder, $"regions-{level}.sh");
                var body = $"regions=({string.Join(" ", names.Select(Quote))})\n" +
                    $"exec {slurm.Lstpipe} run {recipeArg} --stages {string.Join(",", regionKinds)} --region " +
                        $"\"${{regions[$SLURM_ARRAY_TASK_ID]}}\"{force}\n";
                var job = Submit(script, $"lstpipe-{recipe.Name}-regions-{level}", body, names.Count, previous, folder, slurm,
                    array: true, log);
                jobs.Add(job);
                log?.Invoke($"submitted {job.Id}: ingest/crop of {string.Join(", ", names)}");
                previous = job.Id;
            }
        }

        if (run.Regions is null && datasetKinds.Length > 0)
        {
            foreach (var wave in DatasetWaves(datasetKinds, slurm.Tasks, divisible))
            {
                var stages = string.Join(",", wave.Kinds);
                var name = string.Join("-", wave.Kinds);
                if (wave.Sharded)
                {
                    var shards = Path.Combine(folder, name + "-shards.sh");
                    var shardBody = $"exec {slurm.Lstpipe} run {recipeArg} --stages {stages} --shard " +
                        $"\"$SLURM_ARRAY_TASK_ID/{slurm.Tasks}\"{force}\n";
                    var array = Submit(shards, $"lstpipe-{recipe.Name}-{name}-shards", shardBody, slurm.Tasks, previous, folder,
                        slurm, array: true, log);
                    jobs.Add(array);
                    log?.Invoke($"submitted {array.Id}: {stages}, {slurm.Tasks} shards");
                    previous = array.Id;
                }

                var script = Path.Combine(folder, name + ".sh");
                var body = $"exec {slurm.Lstpipe} run {recipeArg} --stages {stages}{force}\n";
                var job = Submit(script, $"lstpipe-{recipe.Name}-{name}", body, 1, previous, folder, slurm, array: false, log);
                jobs.Add(job);
                log?.Invoke($"submitted {job.Id}: {stages}{(wave.Sharded ? ", gathering the shards" : "")}");
                previous = job.Id;
            }
        }

        Wait(jobs, folder, slurm, log);
        return jobs;
    }

    /// <summary>The dataset-wide stages as jobs in order: assembly (kind crop), split and export, train, test; a wave
    /// with a stage that divides into units (<see cref="Stage.Divisible"/>) runs first as an array of shards, then as
    /// one job that gathers them (and runs whatever is one unit of work). With one task, one job runs them all.</summary>
    private static List<(string[] Kinds, bool Sharded)> DatasetWaves(string[] kinds, int tasks, IReadOnlySet<string> divisible)
    {
        if (tasks == 1)
        {
            return [(kinds, false)];
        }

        string[][] groups = [["crop"], ["split", "export"], ["train"], ["test"]];
        return [.. groups.Select(g => g.Where(kinds.Contains).ToArray()).Where(g => g.Length > 0)
            .Select(g => (g, g.Any(divisible.Contains)))];
    }

    private static List<List<string>> Levels(IReadOnlyList<RegionSpec> ordered)
    {
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in ordered)
        {
            level[r.Name] = r.GridLike is { } like && level.TryGetValue(like, out var l) ? l + 1 : 0;
        }

        return [.. ordered.GroupBy(r => level[r.Name]).OrderBy(g => g.Key).Select(g => g.Select(r => r.Name).ToList())];
    }

    private static SlurmJob Submit(string script, string name, string body, int tasks, string? after, string folder,
        SlurmOptions slurm, bool array, Action<string>? log)
    {
        var output = Path.Combine(folder, Path.GetFileNameWithoutExtension(script) + (array ? "-%a" : "") + ".log");
        var text = new StringBuilder("#!/bin/bash\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={name}\n")
            .Append(CultureInfo.InvariantCulture, $"#SBATCH --output={output}\n")
            .Append("set -euo pipefail\n")
            .Append(body)
            .ToString();
        File.WriteAllText(script, text);
        var args = new List<string> { "--parsable" };
        if (array)
        {
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--array=0-{tasks - 1}"));
        }

        if (after is not null)
        {
            args.Add("--dependency=afterok:" + after);
            args.Add("--kill-on-invalid-dep=yes");
        }

        args.AddRange(slurm.SbatchArguments);
        args.Add(script);
        var (code, stdout, stderr) = Tool("sbatch", args, slurm, log);
        if (code != 0)
        {
            throw new UsageException($"{script}: sbatch refused the job: {stderr.Trim().Split('\n')[^1]}");
        }

        return new SlurmJob(stdout.Trim().Split(';')[0], name, script, tasks);
    }

    private static void Wait(IReadOnlyList<SlurmJob> jobs, string folder, SlurmOptions slurm, Action<string>? log)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var ids = string.Join(",", jobs.Select(j => j.Id));
        while (true)
        {
            var (code, stdout, _) = Tool("squeue", ["-h", "-j", ids, "-o", "%i %T"], slurm, log);
            var queued = code == 0 ? stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
            if (queued.Length == 0)
            {
                break;
            }

            if (watch.Elapsed > slurm.Timeout)
            {
                throw new DataException($"{folder}: Slurm jobs {ids} still queued or running after {slurm.Timeout}; they go on " +
                    $"(squeue -j {ids})");
            }

            Thread.Sleep(slurm.PollInterval);
        }

        foreach (var job in jobs)
        {
            var (_, stdout, _) = Tool("scontrol", ["show", "job", job.Id], slurm, log);
            var states = stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .Where(t => t.StartsWith("JobState=", StringComparison.Ordinal)).Select(t => t[9..]).ToArray();
            if (states.Length < job.Tasks || states.Any(s => s != "COMPLETED"))
            {
                var logs = Directory.GetFiles(folder, Path.GetFileNameWithoutExtension(job.Script) + "*.log").Order(StringComparer.Ordinal)
                    .Select(f => (File: f, Last: File.ReadLines(f).Where(l => l.Trim().Length > 0).LastOrDefault() ?? ""))
                    .Where(x => x.Last.Length > 0).ToArray();
                var detail = logs.Length > 0 ? $"; {Path.GetFileName(logs[^1].File)}: {logs[^1].Last}" : "";
                throw new DataException($"{job.Script}: Slurm job {job.Id} ({job.Name}) ended " +
                    $"{string.Join("/", states.Distinct().DefaultIfEmpty("UNKNOWN"))}{detail}");
            }

            log?.Invoke($"job {job.Id} ({job.Name}): COMPLETED");
        }
    }

    /// <summary>Runs a Slurm client tool, retrying the failures Slurm reports as transient.</summary>
    private static (int Code, string StdOut, string StdErr) Tool(string file, IEnumerable<string> args, SlurmOptions slurm,
        Action<string>? log)
    {
        var list = args.ToArray();
        var path = slurm.Bin is { } bin ? Path.Combine(bin, file) : file;
        return Retries.ForResults<(int Code, string StdOut, string StdErr)>(file,
            r => r.Code == 0 ? null : TransientReason(r.StdErr), slurm.Retries, log)
            .Execute(() => RunTool(path, list));
    }

    /// <summary>Why a failed Slurm client call is worth another try (its message names a time-out or an unreachable
    /// or busy controller), or null when it is a refusal.</summary>
    internal static string? TransientReason(string stderr)
    {
        string[] transient =
        [
            "Socket timed out", "temporarily unavailable", "temporarily unable", "Unable to contact slurm controller",
            "Connection refused", "Connection timed out", "Transport endpoint", "Zero Bytes were transmitted", "try again",
        ];
        var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return transient.Any(t => stderr.Contains(t, StringComparison.OrdinalIgnoreCase)) ? line : null;
    }

    private static (int Code, string StdOut, string StdErr) RunTool(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result, stderr);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UsageException($"{file}: not found; --executor slurm needs the Slurm client tools (sbatch, squeue, " +
                $"scontrol) on PATH");
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
