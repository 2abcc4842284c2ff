using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Raster.Checks;
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
        var command = new Command("degrade", "Make the coarse LST of a scene (block means, x2/x4/x8/x16) as a GeoTIFF, the LR " +
            "input of 'lstpipe predict' for experiments")
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
            var folder = Directory.Exists(input) ? SceneFolder.Open(input) : null;
            var lst = folder?.LstPath ?? (File.Exists(input) ? input : throw new UsageException($"{input}: no such scene folder " +
                $"or raster"));
            var path = parse.GetRequiredValue(output);
            using var transaction = OutputTransaction.Files(path, "lstpipe degrade", [(input, "scene")]);
            using var source = RasterDataset.Open(lst);
            LstCheck.Band(source, 1, new LstPlace(lst, source.Width, 0, folder?.LstUnit ?? TemperatureUnit.Kelvin,
                "give an LST in Kelvin (a scene folder declares its unit in scene.json lst.unit)"));
            var grid = source.Grid.CoarsenCovering(new ScaleFactor(s));
            Warper.Warp(source, transaction.Stage(path), new WarpOptions
            {
                Target = grid,
                Method = Resampling.Average,
                Output = GeoTiffOptions.Published,
            });
            transaction.Commit();
            var unit = source.Crs is { IsGeographic: true } ? " deg" : " m";
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Markup.Escape(path)}: {grid.Width} x {grid.Height} px of " +
                    $"{Math.Abs(grid.Transform.PixelWidth):0.##}{unit} (block means of {s} x {s} pixels of {Markup.Escape(lst)})"));
            var coarse = source.Crs is null ? Math.Abs(grid.Transform.PixelWidth) : GroundPixel.Of(grid, path).NominalMetres;
            if (folder?.Manifest.Lst.NativeResolutionMetres is { } native && coarse < native / 1.01)
            {
                context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"[yellow]warning: {coarse:0.#} m is finer than the {native:0.#} m the scene's thermal sensor resolved, so " +
                        $"this coarse LST is still a resampled one, not a coarser measurement; use --scale " +
                            $"{NextScale(coarse / s, native)} " +
                                $"or more[/]"));
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static int NextScale(double pixel, double native)
    {
        var s = 2;
        while (s < 16 && pixel * s < native / 1.01)
        {
            s *= 2;
        }

        return s;
    }
}
