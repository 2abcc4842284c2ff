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
        var defaults = new CropOptions { Output = "" };
        var scenes = new Argument<string[]>("scenes") { Description = "Scene folders (made by synth or ingest), numbered in this order", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Dataset folder to write", Required = true };
        var size = new Option<int>("--size") { Description = "Tile edge at the base (30 m) scale, in pixels", DefaultValueFactory = _ => defaults.TileSize };
        var overlap = new Option<double>("--overlap") { Description = "Overlap of neighbouring tiles, in [0, 1)", DefaultValueFactory = _ => defaults.Overlap };
        var scales = new Option<string>("--scales") { Description = "Scale factors to write (1 is the truth)", DefaultValueFactory = _ => "1,2,4,8" };
        var maxNoData = new Option<double>("--max-nodata") { Description = "Largest nodata fraction of a kept tile (GrokLST: 0)", DefaultValueFactory = _ => defaults.MaxNoData };
        var coarseMin = new Option<double>("--coarse-min-valid") { Description = "Smallest valid fraction of fine pixels under a valid coarse pixel", DefaultValueFactory = _ => defaults.CoarseMinValidFraction };
        var noCompress = new Option<bool>("--no-compress") { Description = "Write MAT variables without zlib" };
        var zlibLevel = new Option<int>("--zlib-level") { Description = "zlib level of the MAT variables, 1 (fastest) to 12 (smallest)", DefaultValueFactory = _ => defaults.CompressionLevel };
        var workers = new Option<int>("--workers") { Description = "Parallel tile encoders", DefaultValueFactory = _ => Environment.ProcessorCount };
        var force = new Option<bool>("--force") { Description = "Replace an existing output folder" };
        var append = new Option<bool>("--append") { Description = "Add the scenes' tiles after those of an existing dataset" };
        var resume = new Option<bool>("--resume") { Description = "Finish an interrupted crop (its original options are used)" };
        var truth = new Option<string>("--truth") { Description = "grid: truth on the scenes' grid, refused where the LST is natively coarser; native: base at the first scale the thermal sensor resolves (for example 120 m for Landsat 8)", DefaultValueFactory = _ => "grid" };
        var allowResampled = new Option<bool>("--allow-resampled-truth") { Description = "Keep the scenes' grid even where the LST was resampled onto it (the card records truthResampledFrom)" };
        var formats = new Option<string>("--formats") { Description = "Outputs: mat, or mat,parquet to add Parquet shards", DefaultValueFactory = _ => "mat" };
        var parquet = ExportCommand.ParquetOptions.Create();
        var command = new Command("crop", "Build the 60/120/240 m levels by block averaging and cut co-registered tiles into GrokLST .mat files")
        {
            scenes, output, size, overlap, scales, maxNoData, coarseMin, noCompress, zlibLevel, workers, force, append, resume, truth, allowResampled, formats,
        };
        parquet.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var modes = new[] { parse.GetValue(force), parse.GetValue(append), parse.GetValue(resume) };
            if (modes.Count(m => m) > 1)
            {
                throw new UsageException("--force, --append and --resume exclude each other; pick one");
            }

            var mode = modes[0] ? OutputMode.Force : modes[1] ? OutputMode.Append : modes[2] ? OutputMode.Resume : OutputMode.New;
            var given = parse.GetValue(scenes) ?? [];
            if (mode == OutputMode.Resume && given.Length > 0)
            {
                throw new UsageException("--resume takes no scene folders: it finishes the interrupted crop with its own");
            }

            var truthMode = (parse.GetValue(truth), parse.GetValue(allowResampled)) switch
            {
                ("grid", false) => TruthMode.Grid,
                ("grid", true) => TruthMode.Resampled,
                ("native", false) => TruthMode.Native,
                ("native", true) => throw new UsageException("--truth native and --allow-resampled-truth exclude each other: native truth is never resampled"),
                (var t, _) => throw new UsageException($"--truth {t}: use grid or native"),
            };
            var options = new CropOptions
            {
                Truth = truthMode,
                Scenes = given,
                Output = parse.GetRequiredValue(output),
                TileSize = parse.GetValue(size),
                Overlap = parse.GetValue(overlap),
                Scales = CropOptions.ParseScales(parse.GetRequiredValue(scales)),
                MaxNoData = parse.GetValue(maxNoData),
                CoarseMinValidFraction = parse.GetValue(coarseMin),
                Compress = !parse.GetValue(noCompress),
                CompressionLevel = parse.GetValue(zlibLevel),
                Workers = parse.GetValue(workers),
                Mode = mode,
                Command = context.CommandLine,
            };
            var wanted = parse.GetRequiredValue(formats).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(f => f.ToLowerInvariant()).ToHashSet();
            if (!wanted.Contains("mat") || wanted.Except(["mat", "parquet"]).Any())
            {
                throw new UsageException($"--formats {parse.GetRequiredValue(formats)}: use mat or mat,parquet (the .mat files are the dataset; Parquet shards are made from them)");
            }

            var exportOptions = wanted.Contains("parquet") ? parquet.Read(parse, options.Output) : null;
            Run(context, options, ct);
            if (exportOptions is not null)
            {
                ExportCommand.Run(context, exportOptions, ct);
            }

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
            console.MarkupLine(string.Create(inv, $"[yellow]truth resampled: the LST is natively {from:0.#} m, the truth is {card.BaseResolutionMetres:0.#} m (truthResampledFrom: {from:0.#} in the card)[/]"));
        }

        if (card.TruthCoarsenedFrom is { } grid)
        {
            console.MarkupLine(string.Create(inv, $"native truth: the {grid:0.#} m scenes were averaged onto a {card.BaseResolutionMetres:0.#} m base grid, the finest scale the thermal sensor resolves"));
        }

        foreach (var s in card.Scenes)
        {
            console.MarkupLine(string.Create(inv,
                $"scene [bold]{Markup.Escape(s.Id)}[/]: tiles {s.FirstTile}-{s.FirstTile + s.Tiles - 1} ({s.Columns} x {s.Rows} grid, {s.SkippedNoData} skipped for nodata, {s.KeptCoveragePercent ?? s.CoveragePercent:0.0}% of the scene in kept tiles)"));
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
                $"resumed: rewrote {r.RewrittenFiles} files that no longer matched the checksum recorded when they were written (damaged since; first {r.FirstRewritten})")));
        }

        if (r.StaleSplitRemoved)
        {
            console.MarkupLine("[yellow]the old split no longer covered every tile and was removed; run 'lstpipe split' again[/]");
        }

        if (r.StaleParquetRemoved)
        {
            console.MarkupLine("[yellow]the old Parquet shards no longer held every tile and were removed; run 'lstpipe export' again[/]");
        }

        console.MarkupLine(string.Create(inv, $"wrote {r.NewTiles} tiles x {card.Scales.Count} scales to {Markup.Escape(r.Output)} in {elapsed.TotalSeconds:0.0} s"));
        ReportCommand.Hint(console, r.Output);
    }
}
