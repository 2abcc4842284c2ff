using System.Globalization;
using LstPipe.Inference;
using LstPipe.Training;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary>What <c>lstpipe info</c> says about a checkpoint: the model and the data contract it was trained under.</summary>
internal static class InfoCheckpoint
{
    /// <summary>Whether a path names a checkpoint lstpipe reads.</summary>
    public static bool IsCheckpoint(string path) =>
        File.Exists(path) && Path.GetExtension(path).ToLowerInvariant() is ".safetensors" or ".pth" or ".pt" or ".onnx";

    /// <summary>The model, its size and its data contract.</summary>
    public static object Describe(IAnsiConsole console, string path, bool render)
    {
        using var model = Downscalers.Open(path, "cpu", Precision.Fp32, threads: 1);
        var o = model.Spec.MoCoLsk;
        long? parameters = model is Downscaler torch ? torch.Net.ParameterCount : null;
        var summary = new
        {
            kind = OnnxDownscaler.IsOnnx(path) ? "onnx" : "checkpoint",
            path,
            model = model.Spec.Name,
            scale = o.Scale,
            engine = model.Engine,
            parameters,
            contract = model.Contract,
            normalization = model.Normalization,
        };
        if (!render)
        {
            return summary;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(OnnxDownscaler.IsOnnx(path) ? "[bold]ONNX model[/]" : "[bold]Checkpoint[/]", Markup.Escape(Path.GetFullPath(path)));
        grid.AddRow("Model", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{model.Spec.Name} x{o.Scale}, {(parameters is { } n ? $"{n:N0} parameters, " : "")}{o.GuidanceChannels} guidance " +
                $"channels; runs with {model.Engine}")));
        if (model.Contract is { } contract)
        {
            foreach (var (field, value) in contract.Describe())
            {
                grid.AddRow(Markup.Escape(char.ToUpperInvariant(field[0]) + field[1..]), Markup.Escape(value));
            }
        }
        else
        {
            grid.AddRow("Contract", "[yellow]none recorded (an older lstpipe): predict and test cannot check its inputs; re-save it with " +
                "'lstpipe convert CHECKPOINT NEW.safetensors --dataset DATASET'[/]");
        }

        console.Write(grid);
        return summary;
    }
}
