using System.CommandLine;
using System.Globalization;
using LstPipe.Dataset.Splits;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe split 6:1:3 --dataset DATASET</c>: GrokLST split files and a leakage report.</summary>
internal static class SplitCommand
{
    public static Command Create(CliContext context)
    {
        var bound = new OptionBinder<SplitOptions>();
        var command = new Command("split", "Write split/train.txt, val.txt, test.txt, trainval.txt and split/report.json");
        bound.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var options = bound.Bind(parse) with { Command = context.CommandLine };
            Print(context.Console, SplitProcessor.Run(options), options.Dataset);
            return Task.FromResult(0);
        });
        return command;
    }

    internal static void Print(IAnsiConsole console, SplitReport r, string? dataset = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var buffer = r.Strategy == "spatial" ? string.Create(inv, $", {r.Dropped} dropped as buffer (blocks of {r.Block} x " +
            $"{r.Block} tiles)") : "";
        console.MarkupLine(string.Create(inv,
            $"{r.Strategy} split {r.Ratio} (seed {r.Seed}) of {r.Tiles} tiles: train {r.Train}, val {r.Val}, test {r.Test}{buffer}"));
        if (r.Note is { } note)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
        }

        if (r.AchievedShares.Count == 3)
        {
            var shares = string.Join(" / ", r.AchievedShares.Select(v => (100 * v).ToString("0.#", inv) + "%"));
            var asked = string.Join(" / ", r.RequestedShares.Select(v => (100 * v).ToString("0.#", inv) + "%"));
            console.MarkupLine($"shares of the kept tiles (train / val / test): {shares}, asked {asked}");
        }

        if (r.Warning is { } warning)
        {
            console.MarkupLine($"[yellow]warning: {Markup.Escape(warning)}[/]");
        }

        var l = r.Leakage;
        var colour = l.TestTilesSharingPixelsWithTrainval == 0 ? "green" : "yellow";
        console.MarkupLine(string.Create(inv,
            $"[{colour}]leakage: {l.TestTilesSharingPixelsWithTrainval} of {l.TestTiles} test tiles share pixels with train+val " +
                $"tiles; {l.TestPixelFractionSeenInTrainval:P1} of test pixels are seen in training " +
                    $"({l.TestTilesSharingPixelsWithTrain} tiles, {l.TestPixelFractionSeenInTrain:P1} against train alone)[/]"));
        if (l.TestTilesSharingPixelsWithTrainval > 0)
        {
            console.MarkupLine("[grey]use --strategy spatial for a split without leakage[/]");
        }

        if (dataset is not null)
        {
            ReportCommand.Hint(console, dataset);
        }
    }
}
