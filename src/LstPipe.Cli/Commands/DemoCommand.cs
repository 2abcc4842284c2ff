using System.CommandLine;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Splits;
using LstPipe.Raster.Gdal;
using LstPipe.Synthetic;
using LstPipe.Training;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe demo</c>: the main job on the embedded default. Generates a scene and runs every stage that
/// exists on it, into a folder the demo owns (re-running replaces it).</summary>
internal static class DemoCommand
{
    /// <summary>Marker file that tells a demo folder from a user's folder.</summary>
    public const string Marker = ".lstpipe-demo";

    public static Command Create(CliContext context)
    {
        var outDir = new Option<string>("--out", "-o") { Description = "Demo folder (replaced on every run)", DefaultValueFactory = _ => "data/demo" };
        var size = new Option<int>("--size") { Description = "Scene width and height in pixels", DefaultValueFactory = _ => 1536 };
        var tile = new Option<int>("--tile") { Description = "Tile edge at 30 m", DefaultValueFactory = _ => 512 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the scene", DefaultValueFactory = _ => 0 };
        var iterations = new Option<int>("--train-iterations") { Description = "Iterations of the small MoCoLSK trained at x4 (0 skips training)", DefaultValueFactory = _ => 300 };
        var command = new Command("demo", "Run the pipeline end to end on a generated scene: synth, crop, split, train a small MoCoLSK, test against bicubic")
        {
            outDir, size, tile, seed, iterations,
        };
        command.SetAction((parse, ct) =>
        {
            var root = parse.GetRequiredValue(outDir);
            PrepareFolder(root);
            context.Console.Write(new Rule("[bold]1. synth[/]: a synthetic 30 m scene").LeftJustified());
            var options = new SyntheticSceneOptions { Width = parse.GetValue(size), Height = parse.GetValue(size), Seed = parse.GetValue(seed) }.Validate();
            var scene = SynthCommand.Run(context, options, Path.Combine(root, "scene"), force: true, ct);
            using (var lst = scene.OpenLst())
            {
                var s = BandStatistics.Compute(lst.GetBand(1));
                context.Console.MarkupLine(FormattableString.Invariant(
                    $"LST {s.Min:0.0} - {s.Max:0.0} K, mean {s.Mean:0.0} K; guidance: {string.Join(", ", scene.Manifest.Guidance.Bands.Select(b => b.Name))}"));
            }

            context.Console.Write(new Rule("[bold]2. crop[/]: 30/60/120/240 m tiles at 0.5 overlap, GrokLST .mat files").LeftJustified());
            var dataset = Path.Combine(root, "dataset");
            CropCommand.Run(context, new CropOptions
            {
                Scenes = [scene.Directory],
                Output = dataset,
                TileSize = parse.GetValue(tile),
                Mode = OutputMode.Force,
                Command = context.CommandLine,
            }, ct);

            context.Console.Write(new Rule("[bold]3. split[/] 6:1:3: random (as GrokLST) against spatial").LeftJustified());
            SplitCommand.Print(context.Console, SplitProcessor.Run(new SplitOptions { Dataset = dataset, Strategy = SplitStrategy.Random, Command = context.CommandLine }), dataset);
            SplitCommand.Print(context.Console, SplitProcessor.Run(new SplitOptions { Dataset = dataset, Strategy = SplitStrategy.Spatial, Block = 2, Command = context.CommandLine }), dataset);

            var n = parse.GetValue(iterations);
            if (n > 0)
            {
                context.Console.Write(new Rule($"[bold]4. train[/]: a small MoCoLSK (x4, 8 features) for {n} iterations on 64 px tiles, spatial split, the paper's protocol (trainval / test)").LeftJustified());
                var small = Path.Combine(root, "dataset-64");
                CropCommand.Run(context, new CropOptions { Scenes = [scene.Directory], Output = small, TileSize = 64, Mode = OutputMode.Force, Command = context.CommandLine }, ct);
                SplitProcessor.Run(new SplitOptions { Dataset = small, Strategy = SplitStrategy.Spatial, Block = 2, Command = context.CommandLine });
                var run = Path.Combine(root, "run-x4");
                var train = new TrainOptions
                {
                    Dataset = small,
                    Output = run,
                    TrainSplit = "trainval",
                    ValSplit = "test",
                    Scale = 4,
                    NumFeats = 8,
                    NResblocks = 1,
                    Reduction = 4,
                    Iterations = n,
                    Periods = [n],
                    ValidateEvery = n,
                    LearningRate = 1e-3,
                    Force = true,
                    Command = context.CommandLine,
                };
                var result = Trainer.Run(train, null, ct);
                context.Console.MarkupLine(FormattableString.Invariant($"best validation RMSE {result.BestRmse:0.0000} K at iteration {result.BestIteration}"));

                context.Console.Write(new Rule("[bold]5. test[/]: GrokLST metrics on the spatial test split, beside bicubic").LeftJustified());
                TestCommand.Print(context, Evaluator.Run(new EvaluateOptions { Checkpoint = Path.Combine(run, "best.safetensors"), Dataset = small }), "test");
            }

            context.Console.MarkupLine($"[green]demo done[/]: {Markup.Escape(Path.GetFullPath(root))}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static void PrepareFolder(string root)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any() && !File.Exists(Path.Combine(root, Marker)))
        {
            throw new UsageException($"{root}: exists, is not empty and is not a demo folder; choose another --out");
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, Marker), "This folder is written by 'lstpipe demo' and replaced on every run.\n");
    }
}
