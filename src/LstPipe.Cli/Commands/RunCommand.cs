using System.CommandLine;
using System.Reflection;
using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;
using LstPipe.Core.Threading;
using LstPipe.Pipelines;
using LstPipe.Pipelines.Recipes;
using LstPipe.Pipelines.Slurm;
using LstPipe.Pipelines.Stages;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe run pipelines/NAME.yaml [--region R] [--stages ...] [--shard i/N] [--executor local|slurm]</c>
/// and <c>lstpipe status pipelines/NAME.yaml</c>.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var recipe = new Argument<string>("recipe") { Description = "Pipeline recipe (pipelines/NAME.yaml)" };
        var region = new Option<string[]>("--region", "-r") { Description = "Only these regions' ingest and crop (repeatable)", AllowMultipleArgumentsPerToken = false };
        var stages = new Option<string?>("--stages") { Description = "Only these stages: ingest,crop,split,export,train,test (default all)" };
        var shard = new Option<string?>("--shard") { Description = "Only shard i of N (i/N): every Nth region, and every Nth unit of assembly, export and test, staged; an unsharded run then gathers" };
        var executor = new Option<string>("--executor") { Description = "local, or slurm (array jobs chained with afterok, on shared storage)", DefaultValueFactory = _ => "local" };
        var sbatch = new Option<string[]>("--sbatch-arg") { Description = "Extra sbatch argument for every job (repeatable), e.g. --sbatch-arg=--partition=cpu" };
        var tasks = new Option<int>("--tasks") { Description = "Slurm array tasks for the dataset-wide stages (assembly, export, test); 1 runs them in one job", DefaultValueFactory = _ => 4 };
        var force = new Option<bool>("--force") { Description = "Redo the selected stages even when up to date" };
        var retries = new Option<int>("--retries") { Description = "Retries of a Slurm client call that fails transiently (time-outs, busy controller)", DefaultValueFactory = _ => RetryPolicy.Default.Attempts };
        var retryDelay = new Option<double>("--retry-delay") { Description = "Seconds before the first retry; each further one doubles it", DefaultValueFactory = _ => RetryPolicy.Default.Delay.TotalSeconds };
        var command = new Command("run", "Build a pipeline recipe's regions, dataset and model, redoing only the stages whose inputs changed")
        {
            recipe, region, stages, shard, executor, sbatch, tasks, force, retries, retryDelay,
        };
        command.SetAction((parse, ct) =>
        {
            var options = new PipelineRunOptions
            {
                Recipe = parse.GetRequiredValue(recipe),
                Regions = parse.GetValue(region) is { Length: > 0 } r ? r : null,
                Stages = parse.GetValue(stages) is { } s ? PipelineRunOptions.ParseStages(s) : null,
                Shard = parse.GetValue(shard) is { } sh ? Shard.Parse(sh) : null,
                Force = parse.GetValue(force),
            };
            switch (parse.GetRequiredValue(executor))
            {
                case "local":
                    var outcomes = PipelineRunner.Run(options, line => context.Console.MarkupLine(Markup.Escape(line)));
                    var ran = outcomes.Count(o => o.Ran);
                    context.Console.MarkupLine($"[green]{ran} stage(s) ran[/], {outcomes.Count - ran} skipped");
                    ReportHint(context, options.Recipe);
                    break;
                case "slurm":
                    if (options.Shard is not null)
                    {
                        throw new UsageException("--shard goes with --executor local (the Slurm executor makes its own tasks)");
                    }

                    if (parse.GetValue(tasks) < 1)
                    {
                        throw new UsageException($"--tasks {parse.GetValue(tasks)}: use 1 or more");
                    }

                    if (parse.GetValue(retries) < 0 || !(parse.GetValue(retryDelay) >= 0))
                    {
                        throw new UsageException("--retries and --retry-delay must not be negative");
                    }

                    var policy = new RetryPolicy(parse.GetValue(retries), TimeSpan.FromSeconds(parse.GetValue(retryDelay)));
                    var jobs = SlurmExecutor.Run(options, new SlurmOptions { Lstpipe = SelfCommand(), SbatchArguments = parse.GetValue(sbatch) ?? [], Tasks = parse.GetValue(tasks), Retries = policy },
                        line => context.Console.MarkupLine(Markup.Escape(line)));
                    context.Console.MarkupLine($"[green]{jobs.Count} Slurm job(s) completed[/]");
                    ReportHint(context, options.Recipe);
                    break;
                case var other:
                    throw new UsageException($"--executor {other}: use local or slurm");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The report command of the recipe's dataset (with its run, once trained), when the dataset exists.</summary>
    private static void ReportHint(CliContext context, string recipePath)
    {
        var recipe = PipelineRecipe.Load(recipePath);
        var dataset = StagePlan.DatasetPath(recipe);
        if (File.Exists(Path.Combine(dataset, Dataset.DatasetLayout.CardFileName)))
        {
            var run = recipe.Train is null ? null : StagePlan.RunPath(recipe);
            ReportCommand.Hint(context.Console, dataset, run is not null && File.Exists(Path.Combine(run, "log.csv")) ? run : null);
        }
    }

    public static Command CreateStatus(CliContext context)
    {
        var recipe = new Argument<string>("recipe") { Description = "Pipeline recipe (pipelines/NAME.yaml)" };
        var command = new Command("status", "Show which stages of a pipeline are up to date, and why the others are stale") { recipe };
        command.SetAction((parse, ct) =>
        {
            var statuses = PipelineRunner.Status(parse.GetRequiredValue(recipe));
            var table = new Table().AddColumns("stage", "state", "why");
            foreach (var s in statuses)
            {
                table.AddRow(Markup.Escape(s.Stage.Id), s.UpToDate ? "[green]up to date[/]" : "[yellow]stale[/]", Markup.Escape(s.Reason));
            }

            context.Console.Write(table);
            return Task.FromResult(statuses.All(s => s.UpToDate) ? 0 : 3);
        });
        return command;
    }

    /// <summary>How a Slurm job starts this lstpipe: the apphost, or dotnet with the entry assembly.</summary>
    private static string SelfCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && entry is { Length: > 0 }
            ? $"'{process}' '{entry}'"
            : $"'{process}'";
    }
}
