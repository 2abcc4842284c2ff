using System.CommandLine;
using LstPipe.Core.Errors;
using LstPipe.Pipelines;
using Spectre.Console;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe demo</c>: the main job on the embedded default. Runs the embedded recipe
/// (<c>pipelines/demo.yaml</c>) with the pipeline runner, every stage, into a folder the demo owns, then shows the
/// split and the test table.</summary>
internal static class DemoCommand
{
    /// <summary>Marker file that tells a demo folder from a user's folder.</summary>
    public const string Marker = ".lstpipe-demo";

    public static Command Create(CliContext context)
    {
        var outDir = new Option<string>("--out", "-o")
        {
            Description = "Demo folder (its recipe and every " +
            "output)",
            DefaultValueFactory = _ => "data/demo"
        };
        var size = new Option<int?>("--size") { Description = "Scene width and height in pixels (recipe: regions.demo.synthetic.size)" };
        var tile = new Option<int?>("--tile") { Description = "Tile edge at 30 m (recipe: crop.size)" };
        var seed = new Option<int?>("--seed") { Description = "Random seed of the scene (recipe: regions.demo.synthetic.seed)" };
        var iterations = new Option<int?>("--train-iterations")
        {
            Description = "Training iterations of the small MoCoLSK " +
            "(recipe: train.iterations)"
        };
        var command = new Command("demo", "Run the embedded demo recipe (pipelines/demo.yaml): a synthetic scene through crop, " +
            "a spatial split, " +
            "a small MoCoLSK and its test against bicubic")
        {
            outDir, size, tile, seed, iterations,
        };
        command.SetAction((parse, ct) =>
        {
            var root = parse.GetRequiredValue(outDir);
            PrepareFolder(root);
            var recipe = WriteRecipe(root, parse.GetValue(size), parse.GetValue(tile), parse.GetValue(seed), parse.GetValue(iterations));
            context.Console.MarkupLine($"demo recipe: {Markup.Escape(recipe)} (from pipelines/demo.yaml)");
            var outcomes = PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, Force = true },
                line => context.Console.MarkupLine(Markup.Escape(line)));
            RunCommand.PrintResults(context, outcomes);
            context.Console.MarkupLine($"[green]demo done[/]: {Markup.Escape(Path.GetFullPath(root))}");
            RunCommand.ReportHint(context, recipe);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Writes the embedded recipe into the demo folder with its output there and the given values in place.</summary>
    private static string WriteRecipe(string root, int? size, int? tile, int? seed, int? iterations)
    {
        var yaml = new YamlStream();
        using (var embedded = typeof(DemoCommand).Assembly.GetManifestResourceStream("demo.yaml")!)
        using (var reader = new StreamReader(embedded))
        {
            yaml.Load(reader);
        }

        var map = (YamlMappingNode)yaml.Documents[0].RootNode;
        static YamlMappingNode At(YamlMappingNode m, params string[] keys) =>
            keys.Aggregate(m, (node, key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)]);
        void Set(YamlMappingNode node, string key, int? value)
        {
            if (value is { } v)
            {
                node.Children[new YamlScalarNode(key)] = new YamlScalarNode(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        map.Children[new YamlScalarNode("output")] = new YamlScalarNode(".");
        Set(At(map, "regions", "demo", "synthetic"), "size", size);
        Set(At(map, "regions", "demo", "synthetic"), "seed", seed);
        Set(At(map, "crop"), "size", tile);
        Set(At(map, "train"), "iterations", iterations);
        var path = Path.Combine(root, "demo.yaml");
        using (var writer = new StreamWriter(path))
        {
            yaml.Save(writer, assignAnchors: false);
        }

        return path;
    }

    private static void PrepareFolder(string root)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any() && !File.Exists(Path.Combine(root, Marker)))
        {
            throw new UsageException($"{root}: exists, is not empty and is not a demo folder; choose another --out");
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, Marker), "This folder is written by 'lstpipe demo' (the recipe demo.yaml and its outputs).\n");
    }
}
