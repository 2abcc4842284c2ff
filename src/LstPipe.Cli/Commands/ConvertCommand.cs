using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Dataset;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Models.Checkpoints;
using LstPipe.Onnx;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe convert MODEL.pth MODEL.safetensors</c>: a PyTorch checkpoint (GrokLST's toolkit or a plain
/// state dict) to an lstpipe checkpoint that train, test and predict read; <c>lstpipe convert CHECKPOINT MODEL.onnx</c>:
/// either kind of checkpoint to an ONNX model (graph, weights, normalization and data contract) that predict and test
/// run with ONNX Runtime and other ONNX runtimes load.</summary>
internal static class ConvertCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("input")
        {
            Description = "PyTorch checkpoint (.pth/.pt: a state dict, or an mmagic runner checkpoint, generator.*), or an " +
                "lstpipe checkpoint (.safetensors) when writing ONNX",
        };
        var output = new Argument<string>("output") { Description = "Model to write: .safetensors (lstpipe) or .onnx (ONNX opset 17)" };
        var dataset = new Option<string?>("--dataset", "-d")
        {
            Description = "Normalize a PyTorch checkpoint with this dataset's card instead of GrokLST's published constants",
        };
        var command = new Command("convert", "Convert a PyTorch checkpoint of GrokLST's models into an lstpipe checkpoint " +
            "(model inferred from its weights), or any checkpoint into an ONNX model")
        {
            input, output, dataset,
        };
        command.SetAction(parse =>
        {
            var (inPath, outPath) = (parse.GetRequiredValue(input), parse.GetRequiredValue(output));
            var onnx = OnnxDownscaler.IsOnnx(outPath);
            if (!File.Exists(inPath))
            {
                throw new UsageException($"{inPath}: no such file");
            }

            if (!onnx && !string.Equals(Path.GetExtension(outPath), ".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"{outPath}: name the output .safetensors (an lstpipe checkpoint) or .onnx (an ONNX model)");
            }

            var datasetPath = parse.GetValue(dataset);
            var pytorch = PyTorchCheckpoint.IsPyTorch(inPath);
            if (!pytorch && !onnx)
            {
                throw new UsageException($"{inPath}: not a PyTorch checkpoint; convert writes .safetensors from a .pth, and " +
                    $".onnx from either");
            }

            if (!pytorch && datasetPath is not null)
            {
                throw new UsageException($"--dataset {datasetPath}: {inPath} is an lstpipe checkpoint, which carries its own " +
                    $"normalization and contract; --dataset applies to a PyTorch .pth");
            }

            using var transaction = OutputTransaction.Files(outPath, "lstpipe convert", [(inPath, "checkpoint")]);
            using var model = pytorch ? FromPyTorch(context, inPath, datasetPath) : Downscaler.Load(inPath);
            var extra = new Dictionary<string, string> { ["converted_from"] = Path.GetFileName(inPath) };
            var staged = transaction.Stage(outPath);
            if (onnx)
            {
                var m = OnnxExport.Write(model, staged, extra);
                transaction.Commit();
                context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {outPath}: ONNX opset {OnnxExport.Opset} (IR {m.IrVersion}), {m.Graph.Node.Count:N0} nodes, " +
                    $"{model.Spec.Name} x{model.Spec.MoCoLsk.Scale}; inputs {OnnxDownscaler.LstInput} [batch, 1, lr_height, " +
                    $"lr_width] K and {OnnxDownscaler.GuidanceInput} [batch, {model.Normalization.GuidanceShift.Count}, height, " +
                    $"width] normalized, output {OnnxDownscaler.OutputName} [batch, 1, height, width] K; normalization and data " +
                    $"contract in its metadata properties")));
                return 0;
            }

            model.Save(staged, extra);
            transaction.Commit();
            context.Console.MarkupLine($"wrote {Markup.Escape(outPath)}");
            return 0;
        });
        return command;
    }

    /// <summary>A PyTorch checkpoint with GrokLST's or a dataset's normalization and contract, described.</summary>
    private static Downscaler FromPyTorch(CliContext context, string inPath, string? datasetPath)
    {
        var card = datasetPath is null ? null : DatasetFolder.Load(datasetPath).Card;
        var (model, layout) = Downscaler.FromPyTorch(inPath, scale => card is null
            ? (Normalization.GrokLst(scale), DataContract.GrokLst(scale))
            : (Normalization.FromCard(card, scale), DataContract.FromCard(card, scale, "card", datasetPath)));
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
        return model;
    }
}
