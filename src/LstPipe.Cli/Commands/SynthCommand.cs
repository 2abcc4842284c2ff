using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe synth --out DIR</c>: writes a deterministic synthetic scene folder.</summary>
internal static class SynthCommand
{
    public static Command Create(CliContext context)
    {
        var bound = new OptionBinder<SyntheticSceneOptions>();
        var command = new Command("synth", "Generate a synthetic scene: terrain, land cover, ten GrokLST guidance channels and " +
            "LST at 30 m");
        bound.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var options = bound.Bind(parse).Validate();
            var scene = Run(context, options, options.Folder, options.Force, ct);
            context.Console.MarkupLine($"wrote scene [bold]{Markup.Escape(scene.Manifest.Id)}[/] to {Markup.Escape(scene.Directory)}");
            return Task.FromResult(0);
        });
        return command;
    }

    internal static SceneFolder Run(CliContext context, SyntheticSceneOptions options, string outDir, bool force, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        SceneFolder scene;
        if (context.Interactive)
        {
            scene = context.Console.Progress().AutoClear(true).Columns(
                    new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(p =>
                {
                    var task = p.AddTask($"synth {options.Width} x {options.SceneHeight}", maxValue: 1);
                    return SyntheticSceneGenerator.Generate(options, outDir, force, context.CommandLine,
                        new InlineProgress<double>(f => task.Value = f), ct);
                });
        }
        else
        {
            scene = SyntheticSceneGenerator.Generate(options, outDir, force, context.CommandLine, null, ct);
        }

        var mpx = (double)options.Width * options.SceneHeight / 1e6;
        context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]{options.Width} x {options.SceneHeight} px ({mpx:0.0} Mpx) in {watch.Elapsed.TotalSeconds:0.0} s[/]"));
        return scene;
    }
}
