using System.CommandLine;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe degrade SCENE --scale 4 --out lr.tif</c>: the coarse LST of a scene for experiments with
/// <c>predict</c>: block means of its LST on its grid coarsened by the scale (edges that do not fill a block are
/// averaged over what they hold).</summary>
internal static class DegradeCommand
{
    public static Command Create(CliContext context)
    {
        var scene = new Argument<string>("scene") { Description = "Scene folder (its LST) or an LST GeoTIFF" };
        var scale = new Option<int>("--scale", "-s") { Description = "Block edge in pixels: 2, 4, 8 or 16", DefaultValueFactory = _ => 4 };
        var output = new Option<string>("--out", "-o") { Description = "Coarse LST GeoTIFF to write", Required = true };
        var command = new Command("degrade", "Make the coarse LST of a scene (block means, x2/x4/x8/x16) as a GeoTIFF, the LR input of 'lstpipe predict' for experiments")
        {
            scene, scale, output,
        };
        command.SetAction((parse, ct) =>
        {
            var s = parse.GetValue(scale);
            if (s is not (2 or 4 or 8 or 16))
            {
                throw new UsageException($"--scale {s}: use 2, 4, 8 or 16");
            }

            var input = parse.GetRequiredValue(scene);
            var lst = Directory.Exists(input) ? SceneFolder.Open(input).LstPath
                : File.Exists(input) ? input : throw new UsageException($"{input}: no such scene folder or raster");
            var path = parse.GetRequiredValue(output);
            OutputGuard.RefuseOverlap(path, [(input, "scene")]);
            using var source = RasterDataset.Open(lst);
            var grid = source.Grid.CoarsenCovering(new ScaleFactor(s));
            Warper.Warp(source, path, new WarpOptions { Target = grid, Method = Resampling.Average });
            context.Console.MarkupLine(FormattableString.Invariant(
                $"wrote {Markup.Escape(path)}: {grid.Width} x {grid.Height} px of {Math.Abs(grid.Transform.PixelWidth):0.##} (block means of {s} x {s} pixels of {Markup.Escape(lst)})"));
            return Task.FromResult(0);
        });
        return command;
    }
}
