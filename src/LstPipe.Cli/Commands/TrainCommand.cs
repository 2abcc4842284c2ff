using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Training;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe train --model mocolsk --scale 4 --dataset D --out RUN</c> and <c>lstpipe test</c>.</summary>
internal static class TrainCommand
{
    public static Option<int?> Threads() => new("--threads") { Description = "libtorch threads (default: LSTPIPE_THREADS or all cores)" };

    public static Option<string> Device() => new("--device") { Description = "Run the network on cpu or cuda (cuda needs a CUDA libtorch)", DefaultValueFactory = _ => "cpu" };

    public static void ApplyThreads(ParseResult parse, Option<int?> threads)
    {
        if (parse.GetValue(threads) is { } n)
        {
            if (n < 1)
            {
                throw new UsageException($"--threads {n}: use 1 or more (leave it out for LSTPIPE_THREADS or all cores)");
            }

            Models.TorchSetup.Threads = n;
        }
    }

    public static Command Create(CliContext context)
    {
        var d = new TrainOptions { Dataset = "", Output = "" };
        var model = new Option<string>("--model", "-m") { Description = "Model: mocolsk, srcnn, djf or fdsr", DefaultValueFactory = _ => d.Model };
        var scale = new Option<int>("--scale", "-s") { Description = "Upscaling factor: 2, 4 or 8", DefaultValueFactory = _ => d.Scale };
        var dataset = new Option<string?>("--dataset", "-d") { Description = "Dataset folder (made by crop and split)" };
        var output = new Option<string?>("--out", "-o") { Description = "Run folder" };
        var format = new Option<string>("--format") { Description = "Read tiles from mat or parquet", DefaultValueFactory = _ => d.Format };
        var trainSplit = new Option<string>("--train-split") { Description = "Split trained on (trainval reproduces the paper)", DefaultValueFactory = _ => d.TrainSplit };
        var valSplit = new Option<string>("--val-split") { Description = "Split validated on (test reproduces the paper)", DefaultValueFactory = _ => d.ValSplit };
        var iterations = new Option<int>("--iterations") { Description = "Iterations in all", DefaultValueFactory = _ => d.Iterations };
        var periods = new Option<string?>("--periods") { Description = "Cosine-restart periods: 4x2500 or 2500,2500,... (default: 4 equal periods)" };
        var weights = new Option<string?>("--restart-weights") { Description = "Peak weight of each period, comma-separated (default all 1)" };
        var lr = new Option<double>("--lr") { Description = "AdamW learning rate", DefaultValueFactory = _ => d.LearningRate };
        var wd = new Option<double>("--weight-decay") { Description = "AdamW weight decay", DefaultValueFactory = _ => d.WeightDecay };
        var etaMin = new Option<double>("--eta-min") { Description = "Schedule floor", DefaultValueFactory = _ => d.EtaMin };
        var valEvery = new Option<int>("--val-every") { Description = "Validate and checkpoint every N iterations", DefaultValueFactory = _ => d.ValidateEvery };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialization and data order", DefaultValueFactory = _ => 0 };
        var feats = new Option<int>("--num-feats") { Description = "Feature width", DefaultValueFactory = _ => d.NumFeats };
        var blocks = new Option<int>("--n-resblocks") { Description = "RCABs per residual group", DefaultValueFactory = _ => d.NResblocks };
        var reduction = new Option<int>("--reduction") { Description = "Channel-attention reduction", DefaultValueFactory = _ => d.Reduction };
        var dynamic = new Option<bool>("--train-dynamic-mlp") { Description = "Let the dynamic MLP train with per-sample kernels (not in the original)" };
        var threads = Threads();
        var device = Device();
        var force = new Option<bool>("--force") { Description = "Replace a non-empty run folder" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the model's parameter counts, time one training step here and estimate the run's duration and peak memory, then stop" };
        var normalization = new Option<string>("--normalization") { Description = "Constants: card (the dataset's statistics) or groklst (the paper's published ones, for metrics comparable with it)", DefaultValueFactory = _ => d.Normalization };
        var protocol = new Option<string>("--protocol") { Description = "default (train on train, select on val) or groklst (the paper's: train on trainval, validate and select on test)", DefaultValueFactory = _ => d.Protocol };
        var batchSize = new Option<int>("--batch-size") { Description = "Tiles per iteration, gradients averaged (GrokLST's configs: 4 GPUs x 1)", DefaultValueFactory = _ => d.BatchSize };
        var logEvery = new Option<int>("--log-every") { Description = "Without a terminal, print a progress line every N iterations (0: every 30 s, at each validation and at the end)", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train MoCoLSK-Net on a dataset with GrokLST's recipe (AdamW, cosine restarts, L1)")
        {
            model, scale, dataset, output, format, trainSplit, valSplit, iterations, periods, weights, lr, wd, etaMin, valEvery, seed,
            feats, blocks, reduction, dynamic, normalization, protocol, batchSize, threads, device, force, resume, dryRun, logEvery,
        };
        command.SetAction((parse, ct) =>
        {
            ApplyThreads(parse, threads);
            var n = parse.GetValue(iterations);
            var chosenProtocol = parse.GetRequiredValue(protocol);
            if (chosenProtocol is not ("default" or "groklst"))
            {
                throw new UsageException($"--protocol {chosenProtocol}: use default or groklst");
            }

            if (chosenProtocol == "groklst" && new Option[] { trainSplit, valSplit }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } split)
            {
                throw new UsageException($"{split.Name}: --protocol groklst trains on trainval and validates on test; leave the splits out, or use --protocol default");
            }

            var options = new TrainOptions
            {
                Model = parse.GetRequiredValue(model),
                Scale = parse.GetValue(scale),
                Dataset = parse.GetValue(dataset) ?? "",
                Output = parse.GetValue(output) ?? "",
                Format = parse.GetRequiredValue(format),
                TrainSplit = chosenProtocol == "groklst" ? "trainval" : parse.GetRequiredValue(trainSplit),
                ValSplit = chosenProtocol == "groklst" ? "test" : parse.GetRequiredValue(valSplit),
                Protocol = chosenProtocol,
                Normalization = parse.GetRequiredValue(normalization),
                BatchSize = parse.GetValue(batchSize),
                Iterations = n,
                Periods = parse.GetValue(periods) is { } p ? TrainOptions.ParsePeriods(p) : TrainOptions.EqualPeriods(n),
                RestartWeights = parse.GetValue(weights) is { } rw ? TrainOptions.ParseRestartWeights(rw) : null,
                LearningRate = parse.GetValue(lr),
                WeightDecay = parse.GetValue(wd),
                EtaMin = parse.GetValue(etaMin),
                ValidateEvery = parse.GetValue(valEvery),
                Seed = parse.GetValue(seed),
                NumFeats = parse.GetValue(feats),
                NResblocks = parse.GetValue(blocks),
                Reduction = parse.GetValue(reduction),
                TrainDynamicMlp = parse.GetValue(dynamic),
                Device = parse.GetRequiredValue(device),
                Force = parse.GetValue(force),
                Resume = parse.GetValue(resume),
                Command = context.CommandLine,
            };
            if (parse.GetValue(dryRun))
            {
                var table = new Table().AddColumns("model", "scale", "parameters");
                foreach (var s in new[] { 2, 4, 8 })
                {
                    table.AddRow(options.Model, "x" + s, Trainer.CountParameters(options with { Scale = s }).ToString("N0", CultureInfo.InvariantCulture));
                }

                context.Console.Write(table);
                if (options.Dataset.Length == 0)
                {
                    context.Console.MarkupLine("add --dataset DIR to time one training step on its tiles here and estimate the run's duration and memory");
                    return Task.FromResult(0);
                }

                var e = Trainer.Estimate(options);
                context.Console.MarkupLine(FormattableString.Invariant(
                    $"one training step {e.Step.TotalSeconds:0.00} s, one validation tile {e.Forward.TotalSeconds:0.00} s ({e.LrSize} -> {e.HrSize} px tiles, x{options.Scale}, {Models.TorchSetup.Threads} threads; medians of {Trainer.TimedRuns} warm runs after one warm-up)"));
                context.Console.MarkupLine(FormattableString.Invariant(
                    $"expected: {TrainProgress.Duration(e.Total)} for {options.Iterations:N0} iterations and {e.Validations} validations of {e.ValidationTiles} tiles"));
                context.Console.MarkupLine(FormattableString.Invariant(
                    $"peak memory: about {e.PeakBytes / 1048576.0:0} MiB ({e.BaselineBytes / 1048576.0:0} MiB before the model ran)"));
                return Task.FromResult(0);
            }

            if (options.Output.Length == 0 || (!options.Resume && options.Dataset.Length == 0))
            {
                throw new UsageException("train needs --dataset and --out (or --out with --resume)");
            }

            if (options.Resume)
            {
                Option[] fixedByRun = [model, scale, dataset, format, trainSplit, valSplit, iterations, periods, weights, lr, wd, etaMin, valEvery, seed, feats, blocks, reduction, dynamic, normalization, protocol, batchSize, force];
                if (fixedByRun.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                {
                    throw new UsageException($"{given.Name}: --resume continues the run with the settings in its config.json and cannot change them; start a new run (another --out, or --force) to train with other settings");
                }
            }

            var every = parse.GetValue(logEvery);
            if (every < 0)
            {
                throw new UsageException($"--log-every {every}: use 0 (every 30 s) or a positive number of iterations");
            }

            if (!options.Resume)
            {
                context.Console.MarkupLine(options.Protocol == "groklst"
                    ? $"[yellow]protocol groklst: trains on {Markup.Escape(options.TrainSplit)}, validates on {Markup.Escape(options.ValSplit)} and keeps the best checkpoint by its RMSE, as the paper did: model selection uses the test split[/]"
                    : $"protocol default: trains on {Markup.Escape(options.TrainSplit)}, selects the best checkpoint on {Markup.Escape(options.ValSplit)}");
                context.Console.MarkupLine($"normalization: {(options.Normalization == "groklst" ? "the paper's published constants (GROKLST.md)" : "this dataset's statistics (dataset.json)")}{(options.BatchSize > 1 ? $"; {options.BatchSize} tiles per iteration" : "")}");
            }

            var watch = Stopwatch.StartNew();
            var lines = new ProgressLines(context, every);
            var result = context.WithProgress("train", report => Trainer.Run(options, new InlineProgress<TrainProgress>(r =>
            {
                report((double)r.Iteration / r.Total, r.ToString());
                lines.Report(r);
            }), ct));

            context.Console.MarkupLine(FormattableString.Invariant(
                $"trained {result.Iterations} iterations ({result.Parameters:N0} parameters) in {watch.Elapsed.TotalSeconds:0.0} s; best val RMSE {result.BestRmse:0.0000} K at {result.BestIteration}"));
            context.Console.MarkupLine($"run: {Markup.Escape(result.Run)} (best.safetensors, last.safetensors, log.csv, config.json)");
            return Task.FromResult(0);
        });
        return command;
    }
}

/// <summary>Training progress as plain lines when standard output is not a terminal (a log file, a Slurm job): the
/// first iteration, then every N iterations (or every 30 s), each validation and the end.</summary>
internal sealed class ProgressLines(CliContext context, int every)
{
    private readonly Stopwatch _since = Stopwatch.StartNew();

    public void Report(TrainProgress r)
    {
        if (context.Interactive)
        {
            return;
        }

        var due = every > 0 ? r.Iteration % every == 0 : _since.Elapsed.TotalSeconds >= 30;
        if (due || r.Iteration == 1 || r.Validated || r.Iteration == r.Total)
        {
            context.Console.MarkupLine(Markup.Escape(r.ToString()));
            _since.Restart();
        }
    }
}

/// <summary><c>lstpipe test --checkpoint CKPT --dataset D [--split test]</c>.</summary>
internal static class TestCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Checkpoint written by train (best.safetensors)", Required = true };
        var dataset = new Option<string>("--dataset", "-d") { Description = "Dataset folder", Required = true };
        var split = new Option<string>("--split") { Description = "Split to evaluate", DefaultValueFactory = _ => "test" };
        var format = new Option<string>("--format") { Description = "Read tiles from mat or parquet", DefaultValueFactory = _ => "mat" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for metrics-SPLIT.csv (default: the checkpoint's)" };
        var panels = new Option<int>("--panels") { Description = "Tiles drawn as PNG panels (LR, prediction, truth, error)", DefaultValueFactory = _ => 4 };
        var panelsFrom = new Option<string>("--panels-from") { Description = "Which tiles get panels: first (split order), worst or best (model RMSE; tiles with nodata included)", DefaultValueFactory = _ => "first" };
        var threads = TrainCommand.Threads();
        var device = TrainCommand.Device();
        var command = new Command("test", "Evaluate a checkpoint on a split: GrokLST metrics per tile and the mean table beside bicubic")
        {
            checkpoint, dataset, split, format, output, panels, panelsFrom, threads, device,
        };
        command.SetAction((parse, ct) =>
        {
            TrainCommand.ApplyThreads(parse, threads);
            var path = parse.GetRequiredValue(checkpoint);
            if (!File.Exists(path))
            {
                throw new UsageException($"{path}: no such checkpoint");
            }

            if (!Directory.Exists(parse.GetRequiredValue(dataset)))
            {
                throw new UsageException($"{parse.GetRequiredValue(dataset)}: no such dataset folder");
            }

            var from = parse.GetRequiredValue(panelsFrom).Trim().ToLowerInvariant() switch
            {
                "first" => PanelChoice.First,
                "worst" => PanelChoice.Worst,
                "best" => PanelChoice.Best,
                var other => throw new UsageException($"--panels-from {other}: use first, worst or best"),
            };
            if (parse.GetValue(panels) < 0)
            {
                throw new UsageException($"--panels {parse.GetValue(panels)}: use 0 or more tiles");
            }

            var r = Evaluator.Run(new EvaluateOptions
            {
                Checkpoint = path,
                Dataset = parse.GetRequiredValue(dataset),
                Split = parse.GetRequiredValue(split),
                Format = parse.GetRequiredValue(format),
                Output = parse.GetValue(output),
                Panels = parse.GetValue(panels),
                PanelsFrom = from,
                Device = parse.GetRequiredValue(device),
            }, note: line => context.Console.MarkupLine(Markup.Escape(line)));
            Print(context, r, parse.GetRequiredValue(split));
            return Task.FromResult(0);
        });
        return command;
    }

    public static void Print(CliContext context, EvaluateResult r, string split)
    {
        var table = new Table().AddColumn("method");
        foreach (var n in TileMetrics.Names)
        {
            table.AddColumn(new TableColumn(n).RightAligned());
        }

        table.AddColumn(new TableColumn("consistency").RightAligned());
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        table.AddRow([r.ModelName, .. r.Model.Values.Select(F), F(r.Consistency.Model)]);
        table.AddRow([r.ModelName + " + radiance", .. r.Corrected.Values.Select(F), F(r.Consistency.Corrected)]);
        table.AddRow(["bicubic", .. r.Bicubic.Values.Select(F), F(r.Consistency.Bicubic)]);
        var paper = r.Adopted && r.TruthResolutionMetres == 30 && EvaluateResult.Paper.TryGetValue((r.ModelName, r.Scale), out var row) ? row : ((double, double, double)?)null;
        if (paper is { } p)
        {
            table.AddRow($"paper: {r.ModelName} x{r.Scale}", F(p.Item1), F(p.Item2), "-", F(p.Item3), "-", "-");
        }
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{r.Tiles} tiles of split '{split}', x{r.Scale} against {r.TruthResolutionMetres:0.##} m truth ({r.Truth}); RMSE, MAE, BIAS in K; consistency: RMSE of the output's block means against the LR input, K")));
        if (r.Leakage is { } leak)
        {
            context.Console.MarkupLine($"[yellow]{Markup.Escape(leak)}[/]");
        }

        context.Console.Write(table);
        if (paper is not null)
        {
            context.Console.MarkupLine("[grey]paper: GrokLST Table III (RMSE, MAE in K, CC), the published test split, trained on trainval and selected on test (--protocol groklst, --normalization groklst)[/]");
        }

        if (r.TruthResampledFrom is { } from)
        {
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[yellow]truth resampled from {from:0.#} m: the {r.TruthResolutionMetres:0.#} m truth of this dataset holds no detail finer than the sensor's {from:0.#} m pixels (card: truthResampledFrom {from:0.#})[/]"));
        }

        context.Console.MarkupLine($"per-tile metrics: {Markup.Escape(r.MetricsCsv)}; figures: {r.Figures.Count} PNG beside it");
    }
}

/// <summary><c>lstpipe predict --checkpoint CKPT --lst LR.tif --guidance GUIDE.tif --out SR.tif</c>.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var d = new PredictOptions { Checkpoint = "", Lst = "", Guidance = "", Output = "" };
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Checkpoint written by train, or a PyTorch .pth of GrokLST's toolkit", Required = true };
        var lst = new Option<string>("--lst") { Description = "Coarse LST: a raster in any CRS and resolution (averaged onto the guidance grid coarsened by the model's scale), or a scene folder", Required = true };
        var guidance = new Option<string>("--guidance") { Description = "HR guidance: a GeoTIFF whose band descriptions name the model's channels (any order), or a scene folder", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output GeoTIFF on the guidance grid (a PNG quicklook is written beside it)", Required = true };
        var truth = new Option<string?>("--truth") { Description = "HR truth LST on the guidance grid: adds truth and error panels to the quicklook and prints the RMSE" };
        var bands = new Option<string?>("--guidance-bands") { Description = "The guidance bands' channel names in band order (a,b,...), for a raster whose bands are not named" };
        var units = new Option<string?>("--lst-units") { Description = "The coarse LST's unit, K or C (default: what the raster or scene declares, else K)" };
        var lstBand = new Option<int?>("--lst-band") { Description = "The coarse LST's band (needed when the raster has several)" };
        var consistency = new Option<string>("--consistency") { Description = "Make each block's mean equal the coarse LST: none, additive, radiance (in T^4, Gao et al. 2012), or auto (radiance when the coarse LST lies on the model's LR grid, else none)", DefaultValueFactory = _ => "auto" };
        var window = new Option<int>("--window") { Description = "Window edge in HR pixels", DefaultValueFactory = _ => d.Window };
        var overlap = new Option<int>("--overlap") { Description = "Window overlap in HR pixels (blended)", DefaultValueFactory = _ => d.Overlap };
        var threads = TrainCommand.Threads();
        var device = TrainCommand.Device();
        var command = new Command("predict", "Downscale a whole scene with a trained model: inputs checked against the model's data contract, blended overlapping windows, nodata kept, georeferenced")
        {
            checkpoint, lst, guidance, output, truth, bands, units, lstBand, consistency, window, overlap, threads, device,
        };
        command.SetAction((parse, ct) =>
        {
            TrainCommand.ApplyThreads(parse, threads);
            var chosen = parse.GetRequiredValue(consistency);
            var mode = chosen.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? (ConsistencyMode?)null : Consistency.Parse(chosen);
            foreach (var f in new[] { parse.GetRequiredValue(checkpoint), parse.GetValue(truth) }.OfType<string>())
            {
                if (!File.Exists(f))
                {
                    throw new UsageException($"{f}: no such file");
                }
            }

            foreach (var f in new[] { parse.GetRequiredValue(lst), parse.GetRequiredValue(guidance) })
            {
                if (!File.Exists(f) && !Raster.Scenes.SceneFolder.IsSceneFolder(f))
                {
                    throw new UsageException($"{f}: no such file or scene folder");
                }
            }

            var unit = parse.GetValue(units) is { } u ? Core.Units.LstUnits.TryParse(u) ?? throw new UsageException($"--lst-units {u}: use {Core.Units.LstUnits.Accepted}") : (Core.Units.TemperatureUnit?)null;
            var options = new PredictOptions
            {
                Checkpoint = parse.GetRequiredValue(checkpoint),
                Lst = parse.GetRequiredValue(lst),
                Guidance = parse.GetRequiredValue(guidance),
                Output = parse.GetRequiredValue(output),
                Truth = parse.GetValue(truth),
                GuidanceBands = parse.GetValue(bands)?.Split(',', StringSplitOptions.TrimEntries),
                LstUnit = unit,
                LstBand = parse.GetValue(lstBand),
                Consistency = mode,
                Window = parse.GetValue(window),
                Overlap = parse.GetValue(overlap),
                Device = parse.GetRequiredValue(device),
            };
            var watch = Stopwatch.StartNew();
            var r = context.WithProgress("predict", report =>
                Predictor.Run(options, new InlineProgress<(int Rows, int Total)>(p => report((double)p.Rows / p.Total, null)),
                    line => context.Console.MarkupLine(Markup.Escape(line))));

            if (r.Padded is not (0, 0))
            {
                context.Console.MarkupLine(FormattableString.Invariant($"guidance padded by {r.Padded.Columns} columns and {r.Padded.Rows} rows of nodata to a multiple of the scale (not written)"));
            }

            context.Console.MarkupLine(FormattableString.Invariant(
                $"consistency error (RMSE of block means against the coarse LST): {r.ConsistencyBefore:0.0000} K from the network, {r.ConsistencyAfter:0.0000} K written ({r.Consistency.ToString().ToLowerInvariant()})"));
            if (r.TruthRmse is { } rmse)
            {
                context.Console.MarkupLine(FormattableString.Invariant($"RMSE against {Markup.Escape(options.Truth!)}: {rmse:0.0000} K"));
            }

            context.Console.MarkupLine(FormattableString.Invariant($"wrote {Markup.Escape(r.Output)} ({r.ValidPixels:N0} valid pixels) and {Markup.Escape(r.Quicklook)} in {watch.Elapsed.TotalSeconds:0.0} s"));
            return Task.FromResult(0);
        });
        return command;
    }
}
