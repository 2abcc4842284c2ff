using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Inference;
using LstPipe.Training;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe predict --checkpoint CKPT --lst LR.tif --guidance GUIDE.tif --out SR.tif</c>: options bound
/// from <see cref="PredictOptions"/>.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var options = new OptionBinder<PredictOptions>();
        var command = new Command("predict", "Downscale a whole scene with a trained model: inputs checked against the model's " +
            "data contract, " +
            "blended overlapping windows, nodata kept, georeferenced");
        options.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var o = options.Bind(parse);
            TrainCommand.ApplyThreads(o.Threads);
            foreach (var f in new[] { o.Checkpoint, o.Truth }.OfType<string>())
            {
                if (!File.Exists(f))
                {
                    throw new UsageException($"{f}: no such file");
                }
            }

            foreach (var f in new[] { o.Lst, o.Guidance })
            {
                if (!File.Exists(f) && !Raster.Scenes.SceneFolder.IsSceneFolder(f))
                {
                    throw new UsageException($"{f}: no such file or scene folder");
                }
            }

            var watch = Stopwatch.StartNew();
            var r = context.WithProgress("predict", report =>
                Predictor.Run(o, new InlineProgress<(int Rows, int Total)>(p => report((double)p.Rows / p.Total, null)),
                    line => context.Console.MarkupLine(Markup.Escape(line))));

            if (r.Padded is not (0, 0))
            {
                context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"guidance padded by {r.Padded.Columns} " +
                    $"columns and " +
                    $"{r.Padded.Rows} rows of nodata to a multiple of the scale (not written)"));
            }

            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"consistency error (RMSE of block means against the coarse LST): {r.ConsistencyBefore:0.0000} K from the " +
                    $"network, {r.ConsistencyAfter:0.0000} K written ({r.Consistency.ToString().ToLowerInvariant()})"));
            if (r.TruthRmse is { } rmse)
            {
                context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"RMSE against " +
                    $"{Markup.Escape(o.Truth!)}: {rmse:0.0000} K"));
            }

            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"wrote {Markup.Escape(r.Output)} " +
                $"({r.ValidPixels:N0} valid " +
                $"pixels) and {Markup.Escape(r.Quicklook)} in {watch.Elapsed.TotalSeconds:0.0} s"));
            return Task.FromResult(0);
        });
        return command;
    }
}
