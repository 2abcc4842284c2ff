using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Training;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe train --model mocolsk --scale 4 --dataset D --out RUN</c>: options bound from
/// <see cref="TrainOptions"/>.</summary>
internal static class TrainCommand
{
    /// <summary>Sets libtorch's threads when an options record asks for a number.</summary>
    public static void ApplyThreads(int? threads)
    {
        if (threads is { } n)
        {
            Models.TorchSetup.Threads = n;
        }
    }

    public static Command Create(CliContext context)
    {
        var options = new OptionBinder<TrainOptions>();
        var command = new Command("train", "Train MoCoLSK-Net on a dataset with GrokLST's recipe (AdamW, cosine restarts, L1)");
        options.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var given = options.Given(parse).ToArray();
            var o = options.Bind(parse) with { Command = context.CommandLine };
            o = o.WithProtocolSplits(given.FirstOrDefault(g => g is "--train-split" or "--val-split"));
            ApplyThreads(o.Threads);
            if (o.DryRun)
            {
                DryRun(context, o.Validate());
                return Task.FromResult(0);
            }

            if (o.Output.Length == 0 || (!o.Resume && o.Dataset.Length == 0))
            {
                throw new UsageException("train needs --dataset and --out (or --out with --resume)");
            }

            if (o.Resume && given.FirstOrDefault(TrainOptions.FixedByRun.Contains) is { } fixedOption)
            {
                throw new UsageException($"{fixedOption}: --resume continues the run with the settings in its config.json and " +
                    $"cannot change them; " +
                    "start a new run (another --out, or --force) to train with other settings");
            }

            if (!o.Resume)
            {
                o = o.Validate();
                context.Console.MarkupLine(o.Protocol == "groklst"
                    ? $"[yellow]protocol groklst: trains on {Markup.Escape(o.TrainSplit)}, validates on " +
                        $"{Markup.Escape(o.ValSplit)} and keeps the best " +
                      "checkpoint by its RMSE, as the paper did: model selection uses the test split[/]"
                    : $"protocol default: trains on {Markup.Escape(o.TrainSplit)}, selects the best checkpoint on " +
                        $"{Markup.Escape(o.ValSplit)}");
                var constants = o.Init is not null ? $"kept from {Markup.Escape(o.Init)}, the weights it starts from"
                    : o.Normalization == "groklst" ? "the paper's published constants (GROKLST.md)"
                    : "this dataset's statistics (dataset.json)";
                context.Console.MarkupLine($"normalization: {constants}{TilesLine(o)}");
            }

            var watch = Stopwatch.StartNew();
            var lines = new ProgressLines(context, o.LogEvery);
            var result = context.WithProgress("train", report => Trainer.Run(o, new InlineProgress<TrainProgress>(r =>
            {
                report((double)r.Iteration / r.Total, r.ToString());
                lines.Report(r);
            }), ct));

            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {result.Iterations} iterations ({result.Parameters:N0} parameters) in " +
                    $"{watch.Elapsed.TotalSeconds:0.0} s; best val RMSE {result.BestRmse:0.0000} K at {result.BestIteration}"));
            context.Console.MarkupLine($"run: {Markup.Escape(result.Run)} (best.safetensors, last.safetensors, log.csv, config.json)");
            return Task.FromResult(0);
        });
        return command;
    }

    private static void DryRun(CliContext context, TrainOptions o)
    {
        var table = new Table().AddColumns("model", "scale", "parameters");
        foreach (var s in new[] { 2, 4, 8 })
        {
            table.AddRow(o.Model, "x" + s, Trainer.CountParameters(o with { Scale = s }).ToString("N0", CultureInfo.InvariantCulture));
        }

        context.Console.Write(table);
        if (o.Dataset.Length == 0)
        {
            context.Console.MarkupLine("add --dataset DIR to time one training step on its tiles here and estimate the run's " +
                "duration and memory");
            return;
        }

        var e = Trainer.Estimate(o);
        context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"one training step {e.Step.TotalSeconds:0.00} s, one validation tile {e.Forward.TotalSeconds:0.00} s ({e.LrSize} " +
                $"-> {e.HrSize} px tiles, " +
            $"x{o.Scale}, {Models.TorchSetup.Threads} threads; medians of {Trainer.TimedRuns} warm runs after one warm-up)"));
        context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"expected: {TrainProgress.Duration(e.Total)} for {o.Iterations:N0} iterations and {e.Validations} validations of " +
                $"{e.ValidationTiles} tiles"));
        context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"peak memory: about {e.PeakBytes / 1048576.0:0} MiB ({e.BaselineBytes / 1048576.0:0} MiB before the model ran)"));
    }

    /// <summary>How an iteration takes its tiles, when it takes more than one.</summary>
    private static string TilesLine(TrainOptions o) => (o.BatchSize, o.Accumulate) switch
    {
        (1, 1) => "",
        (var b, 1) => $"; batches of {b} tiles",
        (var b, var k) => $"; {k} batches of {b} tile{(b == 1 ? "" : "s")} accumulated per step ({o.TilesPerIteration} tiles)",
    };
}

/// <summary>Training progress as plain lines when standard output is not a terminal (a log file, a Slurm job): the
/// first iteration, then every N iterations (or every 30 s), each validation and the end.</summary>
internal sealed class ProgressLines(CliContext context, int every)
{
    private readonly Stopwatch _since = Stopwatch.StartNew();

    public void Report(TrainProgress r)
    {
        if (context.Interactive)
        {
            return;
        }

        var due = every > 0 ? r.Iteration % every == 0 : _since.Elapsed.TotalSeconds >= 30;
        if (due || r.Iteration == 1 || r.Validated || r.Iteration == r.Total)
        {
            context.Console.MarkupLine(Markup.Escape(r.ToString()));
            _since.Restart();
        }
    }
}
