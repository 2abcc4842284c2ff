using System.CommandLine;
using System.Globalization;
using LstPipe.Dataset.Adopt;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe adopt DIR</c>: checks a folder in GrokLST's layout (the published benchmark) and writes its
/// <c>dataset.json</c>, so train, test and export take it.</summary>
internal static class AdoptCommand
{
    public static Command Create(CliContext context)
    {
        var bound = new OptionBinder<AdoptOptions>();
        var command = new Command("adopt", "Check a GrokLST-layout folder made elsewhere (the published benchmark, MATLAB or " +
            "scipy files) and write " +
            "its dataset.json: names, sizes, finiteness, statistics");
        bound.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var options = bound.Bind(parse) with { Command = context.CommandLine };
            var r = context.WithProgress("adopt", report => GrokLstAdopter.Run(options,
                new InlineProgress<(int Done, int Total)>(p => report((double)p.Done / p.Total, null))));
            var c = r.Card;
            var inv = CultureInfo.InvariantCulture;
            context.Console.MarkupLine(string.Create(inv,
                $"adopted {c.TileCount} tiles of {c.TileSize} px " +
                    $"({Markup.Escape(string.Join(", ", c.Scales.Select(s => $"{s.Label} x{s.Factor}")))}; values stored as {r.Stored})"));
            context.Console.MarkupLine($"guidance: " +
                $"{Markup.Escape(string.Join(", ", c.Guidance.Select(g => g.Name)))}" +
                $"{(r.MissingChannels.Count > 0 ? $" [yellow](missing: {Markup.Escape(string.Join(", ", r.MissingChannels))})[/]" : "")}");
            context.Console.MarkupLine(r.Splits.Count == 0
                ? "[yellow]no split files; make them with 'lstpipe split 6:1:3' (random: the tiles carry no geometry)[/]"
                : $"splits kept as shipped: {Markup.Escape(string.Join(", ", r.Splits.Select(kv => $"{kv.Key} {kv.Value}")))}");
            var lst = c.Statistics.Select(s => (s.Scale, Band: s.Bands[0])).ToList();
            context.Console.MarkupLine(string.Create(inv, $"LST mean {lst[0].Band.Mean:0.00} K; std " +
                $"{string.Join(" / ", lst.Select(l => $"{l.Band.Std:0.00}"))} K at {string.Join(" / ", lst.Select(l => l.Scale))}"));
            context.Console.MarkupLine($"wrote {Markup.Escape(Path.Combine(options.Dataset, "dataset.json"))} (source: adopted; " +
                $"no tile geometry, so spatial splits are refused)");
            return Task.FromResult(0);
        });
        return command;
    }
}
