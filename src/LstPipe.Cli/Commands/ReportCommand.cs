using System.CommandLine;
using System.Globalization;
using LstPipe.Training.Reports;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe report DATASET [--out FILE] [--run DIR]</c>: one self-contained HTML page about a dataset.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var bound = new OptionBinder<ReportOptions>();
        var command = new Command("report", "Write one self-contained HTML page about a dataset: card, split map, channel " +
            "histograms, sample tiles, and a run's curve and metrics");
        bound.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var options = bound.Bind(parse) with { Command = context.CommandLine };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var r = DatasetReport.Run(options);
            if (r.RunMismatch is { } mismatch)
            {
                context.Error.WriteLine($"warning: {mismatch} (flagged at the top of the page)");
            }

            var maps = r.Maps == 0 ? "no split map (adopted: no tile geometry)" : $"{r.Maps} scene map{(r.Maps == 1 ? "" : "s")}";
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Markup.Escape(r.Output)} ({r.Bytes / 1e6:0.0} MB, {r.Images} images inlined, {maps}) in " +
                $"{watch.Elapsed.TotalSeconds:0.0} s"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Prints the command that writes a dataset's report (after <c>crop</c>, <c>split</c> and <c>run</c>).</summary>
    internal static void Hint(IAnsiConsole console, string dataset, string? run = null) =>
        console.MarkupLine($"[grey]report: {Markup.Escape(ReportOptions.CommandFor(dataset, run))}[/]");
}
