using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Crop;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe crop SCENE... --out DATASET</c>: the multi-scale pyramid and GrokLST tiles.</summary>
internal static class CropCommand
{
    public static Command Create(CliContext context)
    {
        var options = new OptionBinder<CropOptions>();
        var command = new Command("crop", "Build the 60/120/240 m levels by block averaging and cut co-registered tiles into " +
            "GrokLST .mat files");
        options.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var o = options.Bind(parse) with { Command = context.CommandLine };
            if (o.Resume && o.Scenes.Count > 0)
            {
                throw new UsageException("--resume takes no scene folders: it finishes the interrupted crop with its own");
            }

            Run(context, o, ct);
            return Task.FromResult(0);
        });
        return command;
    }

    internal static CropResult Run(CliContext context, CropOptions options, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        CropResult result;
        if (context.Interactive)
        {
            result = context.Console.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(p =>
                {
                    var task = p.AddTask("crop", maxValue: 1);
                    return CropProcessor.Run(options, new InlineProgress<CropProgress>(e =>
                    {
                        task.Description = $"crop {Markup.Escape(e.Scene)} ({e.SceneIndex + 1}/{e.SceneCount}), {e.TilesWritten} tiles";
                        task.Value = (e.SceneIndex + (double)e.RowsDone / Math.Max(1, e.Rows)) / e.SceneCount;
                    }), ct);
                });
        }
        else
        {
            result = CropProcessor.Run(options, null, ct);
        }

        Report(context.Console, result, watch.Elapsed);
        return result;
    }

    private static void Report(IAnsiConsole console, CropResult r, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var card = r.Card;
        var table = new Table().Border(TableBorder.Simple).AddColumn("Scale").AddColumn("Tile px").AddColumn("Tiles")
            .AddColumn(new TableColumn("LST mean K").RightAligned()).AddColumn(new TableColumn("LST std K").RightAligned())
            .AddColumn(new TableColumn("LST min K").RightAligned()).AddColumn(new TableColumn("LST max K").RightAligned());
        foreach (var s in card.Scales)
        {
            var st = card.StatisticsOf(s.Label, "lst");
            table.AddRow(s.Label, s.TileSize.ToString(inv), card.TileCount.ToString(inv), st.Mean.ToString("0.00", inv),
                st.Std.ToString("0.00", inv), st.Min.ToString("0.00", inv), st.Max.ToString("0.00", inv));
        }

        console.Write(table);
        if (card.TruthResampledFrom is { } from)
        {
            console.MarkupLine(string.Create(inv, $"[yellow]truth resampled: the LST is natively {from:0.#} m, the truth is " +
                $"{card.BaseResolutionMetres:0.#} m (truthResampledFrom: {from:0.#} in the card)[/]"));
        }

        if (card.TruthCoarsenedFrom is { } grid)
        {
            console.MarkupLine(string.Create(inv, $"native truth: the {grid:0.#} m scenes were averaged onto a " +
                $"{card.BaseResolutionMetres:0.#} m base grid, the finest scale the thermal sensor resolves"));
        }

        foreach (var s in card.Scenes)
        {
            console.MarkupLine(string.Create(inv,
                $"scene [bold]{Markup.Escape(s.Id)}[/]: tiles {s.FirstTile}-{s.FirstTile + s.Tiles - 1} ({s.Columns} x {s.Rows} " +
                    $"grid, {s.SkippedNoData} skipped for nodata, {s.KeptCoveragePercent ?? s.CoveragePercent:0.0}% of the " +
                        $"scene in kept tiles)"));
        }

        if (card.RealLr is { } real)
        {
            var gaps = real.Scenes.Select(s => s.TimeGapHours).OfType<double>().ToArray();
            var gap = gaps.Length == 0 ? ""
                : string.Create(inv, $"; time gap to the truth {gaps.Min():+0.#;-0.#} to {gaps.Max():+0.#;-0.#} h");
            console.MarkupLine(Markup.Escape(string.Create(inv,
                $"real LR: {real.Folder}/lst from {real.Sensor ?? real.SceneId} ({real.Acquired ?? "date unknown"}), " +
                    $"{real.CoveredTiles} of {card.TileCount} tiles covered (at least {real.MinCoverage:P0} of their pixels); real - " +
                        $"simulated at {real.Scale}: bias {real.BiasK:+0.00;-0.00} K, RMSE {real.RmseK:0.00} K") + gap));
            if (real.UncoveredTiles.Count > 0)
            {
                console.MarkupLine(Markup.Escape(string.Create(inv, $"real LR: {real.UncoveredTiles.Count} tiles lack real coverage " +
                    $"(cloud, fill or outside the granule): marked in the card (realLr.uncoveredTiles), NaN there; 'test --lr real' " +
                        $"leaves them out")));
            }
        }

        foreach (var hint in r.Hints ?? [])
        {
            console.MarkupLine($"[yellow]{Markup.Escape(hint)}[/]");
        }

        if (r.ReusedFiles > 0)
        {
            console.MarkupLine(string.Create(inv, $"resumed: kept {r.ReusedFiles} files written before the interruption"));
        }

        if (r.RewrittenFiles > 0)
        {
            console.MarkupLine(Markup.Escape(string.Create(inv,
                $"resumed: rewrote {r.RewrittenFiles} files that no longer matched the checksum recorded when they were written " +
                    $"(damaged since; first {r.FirstRewritten})")));
        }

        if (r.StaleSplitRemoved)
        {
            console.MarkupLine("[yellow]the old split no longer covered every tile and was removed; run 'lstpipe split' again[/]");
        }

        if (r.StaleParquetRemoved)
        {
            console.MarkupLine("[yellow]the old Parquet shards no longer held every tile and were removed; run 'lstpipe export' again[/]");
        }

        console.MarkupLine(string.Create(inv, $"wrote {r.NewTiles} tiles x {card.Scales.Count} scales to " +
            $"{Markup.Escape(r.Output)} in {elapsed.TotalSeconds:0.0} s"));
        ReportCommand.Hint(console, r.Output);
    }
}
