using System.CommandLine;
using System.Diagnostics;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe synth --out DIR</c>: writes a deterministic synthetic scene folder.</summary>
internal static class SynthCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new SyntheticSceneOptions();
        var outDir = new Option<string>("--out", "-o") { Description = "Scene folder to write", Required = true };
        var size = new Option<int>("--size") { Description = "Scene width and height in pixels", DefaultValueFactory = _ => defaults.Width };
        var height = new Option<int?>("--height") { Description = "Scene height, when it differs from --size" };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same bytes)", DefaultValueFactory = _ => 0 };
        var epsg = new Option<int>("--epsg") { Description = "Projected CRS of the grid", DefaultValueFactory = _ => defaults.Epsg };
        var compress = CommonOptions.Compression();
        var force = new Option<bool>("--force") { Description = "Replace a non-empty output folder" };
        var command = new Command("synth", "Generate a synthetic scene: terrain, land cover, ten GrokLST guidance channels and LST at 30 m")
        {
            outDir, size, height, seed, epsg, compress, force,
        };
        command.SetAction((parse, ct) =>
        {
            var options = new SyntheticSceneOptions
            {
                Width = parse.GetValue(size),
                Height = parse.GetValue(height) ?? parse.GetValue(size),
                Seed = parse.GetValue(seed),
                Epsg = parse.GetValue(epsg),
                Output = GeoTiffOptions.Default with { Compression = CommonOptions.ParseCompression(parse.GetRequiredValue(compress)) },
            }.Validate();
            var scene = Run(context, options, parse.GetRequiredValue(outDir), parse.GetValue(force), ct);
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
                    var task = p.AddTask($"synth {options.Width} x {options.Height}", maxValue: 1);
                    return SyntheticSceneGenerator.Generate(options, outDir, force, context.CommandLine,
                        new InlineProgress<double>(f => task.Value = f), ct);
                });
        }
        else
        {
            scene = SyntheticSceneGenerator.Generate(options, outDir, force, context.CommandLine, null, ct);
        }

        var mpx = (double)options.Width * options.Height / 1e6;
        context.Console.MarkupLine(FormattableString.Invariant(
            $"[grey]{options.Width} x {options.Height} px ({mpx:0.0} Mpx) in {watch.Elapsed.TotalSeconds:0.0} s[/]"));
        return scene;
    }
}
