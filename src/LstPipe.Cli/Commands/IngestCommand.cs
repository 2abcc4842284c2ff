using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LstPipe.Ingest;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe ingest --recipe R --input DIR --out SCENE</c>: a raw product to a scene folder.</summary>
internal static class IngestCommand
{
    public static Command Create(CliContext context)
    {
        var bound = new OptionBinder<IngestOptions>();
        var command = new Command("ingest", "Calibrate, mask and align a raw product (Landsat L1/L2, ECOSTRESS, SDGSAT-1, " +
            "GeoTIFFs) onto one grid as a scene folder");
        bound.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var options = bound.Bind(parse) with { Command = context.CommandLine };
            var watch = Stopwatch.StartNew();
            void Warn(string w) => context.Console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
            var result = context.WithProgress("ingest", report =>
                IngestProcessor.Run(options, new InlineProgress<IngestProgress>(r => report((double)r.Rows / r.TotalRows, null)), Warn));

            var m = result.Scene.Manifest;
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"scene [bold]{Markup.Escape(m.Id)}[/]: {m.Width} x {m.Height} px, {m.Guidance.Bands.Count} guidance channels " +
                    $"({Markup.Escape(string.Join(", ", m.Guidance.Bands.Select(b => b.Name)))})"));
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"valid LST {result.ValidLstFraction:P1}, masked {result.MaskedFraction:P1}, mean LST {result.MeanLstKelvin:0.00} K"));
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Markup.Escape(result.Scene.Directory)} in {watch.Elapsed.TotalSeconds:0.0} s"));
            return Task.FromResult(0);
        });
        return command;
    }
}
