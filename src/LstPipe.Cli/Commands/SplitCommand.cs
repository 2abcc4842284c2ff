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
        var ratio = new Argument<string>("ratio") { Description = "train:val:test, for example 6:1:3", DefaultValueFactory = _ => "6:1:3" };
        var dataset = new Option<string>("--dataset", "-d") { Description = "Dataset folder (made by crop)", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the shuffle (same seed, same files)", DefaultValueFactory = _ => 0UL };
        var strategy = new Option<string>("--strategy") { Description = "random (as GrokLST; overlapping tiles leak) or spatial (blocks + buffer; no leakage)", DefaultValueFactory = _ => "random" };
        var buffer = new Option<string>("--buffer") { Description = "spatial: extra tiles dropped beyond overlapping neighbours, or auto (0)", DefaultValueFactory = _ => "auto" };
        var block = new Option<string>("--block") { Description = "spatial: block edge in tiles, or auto", DefaultValueFactory = _ => "auto" };
        var command = new Command("split", "Write split/train.txt, val.txt, test.txt, trainval.txt and split/report.json")
        {
            ratio, dataset, seed, strategy, buffer, block,
        };
        command.SetAction((parse, ct) =>
        {
            var s = SplitOptions.ParseStrategy(parse.GetRequiredValue(strategy));
            var bufferText = parse.GetRequiredValue(buffer);
            var blockText = parse.GetRequiredValue(block);
            var options = new SplitOptions
            {
                Dataset = parse.GetRequiredValue(dataset),
                Ratio = SplitRatio.Parse(parse.GetRequiredValue(ratio)),
                Seed = parse.GetValue(seed),
                Strategy = s,
                Buffer = SplitOptions.ParseBuffer(bufferText),
                Block = SplitOptions.ParseBuffer(blockText),
                Command = context.CommandLine,
            };
            Print(context.Console, SplitProcessor.Run(options), options.Dataset);
            return Task.FromResult(0);
        });
        return command;
    }

    internal static void Print(IAnsiConsole console, SplitReport r, string dataset)
    {
        var inv = CultureInfo.InvariantCulture;
        var buffer = r.Strategy == "spatial" ? string.Create(inv, $", {r.Dropped} dropped as buffer (blocks of {r.Block} x {r.Block} tiles)") : "";
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
            $"[{colour}]leakage: {l.TestTilesSharingPixelsWithTrainval} of {l.TestTiles} test tiles share pixels with train+val tiles; {l.TestPixelFractionSeenInTrainval:P1} of test pixels are seen in training ({l.TestTilesSharingPixelsWithTrain} tiles, {l.TestPixelFractionSeenInTrain:P1} against train alone)[/]"));
        if (l.TestTilesSharingPixelsWithTrainval > 0)
        {
            console.MarkupLine("[grey]use --strategy spatial for a split without leakage[/]");
        }

        ReportCommand.Hint(console, dataset);
    }
}
