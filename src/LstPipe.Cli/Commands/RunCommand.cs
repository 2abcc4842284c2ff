using System.CommandLine;
using System.Reflection;
using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;
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
        var bound = new OptionBinder<PipelineRunOptions>();
        var command = new Command("run", "Build a pipeline recipe's regions, dataset and model, redoing only the stages whose " +
            "inputs changed");
        bound.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var options = bound.Bind(parse);
            if (options.Executor == "local")
            {
                var outcomes = PipelineRunner.Run(options, line => context.Console.MarkupLine(Markup.Escape(line)));
                PrintResults(context, outcomes);
                var ran = outcomes.Count(o => o.Ran);
                context.Console.MarkupLine($"[green]{ran} stage(s) ran[/], {outcomes.Count - ran} skipped");
                ReportHint(context, options.Recipe);
                return Task.FromResult(0);
            }

            if (options.Shard is not null)
            {
                throw new UsageException("--shard goes with --executor local (the Slurm executor makes its own tasks)");
            }

            var slurm = new SlurmOptions
            {
                Lstpipe = SelfCommand(),
                SbatchArguments = options.SbatchArguments,
                Tasks = options.Tasks,
                Retries = new RetryPolicy(options.Retries, TimeSpan.FromSeconds(options.RetryDelay)),
            };
            var jobs = SlurmExecutor.Run(options, slurm, line => context.Console.MarkupLine(Markup.Escape(line)));
            context.Console.MarkupLine($"[green]{jobs.Count} Slurm job(s) completed[/]");
            ReportHint(context, options.Recipe);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Prints what the stages that ran report: the split's shares and the test split's metrics table.</summary>
    internal static void PrintResults(CliContext context, IEnumerable<StageOutcome> outcomes)
    {
        foreach (var result in outcomes.Select(o => o.Result))
        {
            switch (result)
            {
                case Dataset.Splits.SplitReport split:
                    SplitCommand.Print(context.Console, split);
                    break;
                case Training.EvaluateResult test:
                    TestCommand.Print(context, test, Dataset.DatasetLayout.TestSplit);
                    break;
            }
        }
    }

    /// <summary>The report command of the recipe's dataset (with its run, once trained), when the dataset exists.</summary>
    internal static void ReportHint(CliContext context, string recipePath)
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
            var statuses = PipelineRunner.Status(parse.GetRequiredValue(recipe), line => context.Error.WriteLine(line));
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
