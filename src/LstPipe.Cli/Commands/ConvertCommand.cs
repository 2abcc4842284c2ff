using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Training;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe convert MODEL.pth MODEL.safetensors</c>: a PyTorch checkpoint (GrokLST's toolkit or a plain
/// state dict) to an lstpipe checkpoint that train, test and predict read.</summary>
internal static class ConvertCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input")
        {
            Description = "PyTorch checkpoint (.pth/.pt): a state dict, or an mmagic " +
            "runner checkpoint (generator.*)"
        };
        var output = new Argument<string>("output") { Description = "lstpipe checkpoint to write (.safetensors)" };
        var dataset = new Option<string?>("--dataset", "-d")
        {
            Description = "Normalize with this dataset's card instead of " +
            "GrokLST's published constants"
        };
        var command = new Command("convert", "Convert a PyTorch checkpoint of GrokLST's models into an lstpipe checkpoint " +
            "(model inferred from its weights)")
        {
            input, output, dataset,
        };
        command.SetAction(parse =>
        {
            var (inPath, outPath) = (parse.GetRequiredValue(input), parse.GetRequiredValue(output));
            if (!File.Exists(inPath))
            {
                throw new UsageException($"{inPath}: no such file");
            }

            if (!string.Equals(Path.GetExtension(outPath), ".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"{outPath}: name the output .safetensors");
            }

            var datasetPath = parse.GetValue(dataset);
            var card = datasetPath is null ? null : DatasetFolder.Load(datasetPath).Card;
            var (model, layout) = Downscaler.FromPyTorch(inPath, scale => card is null
                ? (Normalization.GrokLst(scale), DataContract.GrokLst(scale))
                : (Normalization.FromCard(card, scale), DataContract.FromCard(card, scale, "card", datasetPath)));
            using (model)
            {
                model.Save(outPath, new Dictionary<string, string> { ["converted_from"] = Path.GetFileName(inPath) });
                var o = model.Spec.MoCoLsk;
                context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"read {inPath} ({layout}): {model.Spec.Name} x{o.Scale}, {o.GuidanceChannels} guidance channels, " +
                        $"{model.Net.ParameterCount:N0} parameters; normalization " +
                            $"{(card is null ? "GrokLST's published constants" : "the dataset's card")}")));
                var c = model.Contract!;
                context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"data contract: {string.Join(", ", c.ChannelNames)}; truth {c.TruthResolutionMetres:0.#} m " +
                        $"({c.Truth.Describe()}); " +
                            $"{(card is null ? "GrokLST's, as published (pass --dataset for a model trained on another dataset)"
                        : "from " + datasetPath)}")));
                context.Console.MarkupLine($"wrote {Markup.Escape(outPath)}");
            }

            return 0;
        });
        return command;
    }
}
