using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Training.Figures;
using LstPipe.Training.Reports;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe report DATASET [--out FILE] [--run DIR]</c>: one self-contained HTML page about a dataset.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Argument<string>("dataset") { Description = "Dataset folder (made by crop, or adopted)" };
        var output = new Option<string?>("--out", "-o") { Description = "HTML file to write (default: DATASET.report.html beside the dataset, never inside it)" };
        var run = new Option<string?>("--run") { Description = "A run folder of 'lstpipe train': adds its training curve and the metrics of 'lstpipe test'" };
        var samples = new Option<int>("--samples") { Description = "Sample tiles drawn at every scale (0-12)", DefaultValueFactory = _ => 3 };
        var perSplit = new Option<int>("--tiles-per-split") { Description = "Tiles per split read for the histograms and statistics", DefaultValueFactory = _ => 32 };
        var curve = new Option<string>("--curve-scale") { Description = "Training curve's loss axis: auto (log when the loss falls tenfold), linear or log", DefaultValueFactory = _ => "auto" };
        var command = new Command("report", "Write one self-contained HTML page about a dataset: card, split map, channel histograms, sample tiles, and a run's curve and metrics")
        {
            dataset, output, run, samples, perSplit, curve,
        };
        command.SetAction((parse, ct) =>
        {
            var scale = parse.GetRequiredValue(curve).Trim().ToLowerInvariant() switch
            {
                "auto" => CurveScale.Auto,
                "linear" => CurveScale.Linear,
                "log" => CurveScale.Log,
                var other => throw new UsageException($"--curve-scale {other}: use auto, linear or log"),
            };
            var options = new ReportOptions
            {
                Dataset = parse.GetRequiredValue(dataset),
                Output = parse.GetValue(output),
                Run = parse.GetValue(run),
                Samples = parse.GetValue(samples),
                TilesPerSplit = parse.GetValue(perSplit),
                CurveScale = scale,
                Command = context.CommandLine,
            };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var r = DatasetReport.Run(options);
            var maps = r.Maps == 0 ? "no split map (adopted: no tile geometry)" : $"{r.Maps} scene map{(r.Maps == 1 ? "" : "s")}";
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Markup.Escape(r.Output)} ({r.Bytes / 1e6:0.0} MB, {r.Images} images inlined, {maps}) in {watch.Elapsed.TotalSeconds:0.0} s"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Prints the command that writes a dataset's report (after <c>crop</c>, <c>split</c> and <c>run</c>).</summary>
    internal static void Hint(IAnsiConsole console, string dataset, string? run = null) =>
        console.MarkupLine($"[grey]report: {Markup.Escape(ReportOptions.CommandFor(dataset, run))}[/]");
}
