using System.Text.Json.Serialization;
using LstPipe.Core.Options;
using LstPipe.Inference;

namespace LstPipe.Training;

/// <summary>The options of <c>lstpipe test</c> (and of a pipeline's test stage); the only declaration of them.</summary>
public sealed record EvaluateOptions
{
    /// <summary>Checkpoint written by <c>lstpipe train</c>, a PyTorch <c>.pth</c> of GrokLST's toolkit (both run by
    /// TorchSharp), or an ONNX model written by <c>lstpipe convert</c> (run by ONNX Runtime).</summary>
    [Option("checkpoint", "Checkpoint written by train (best.safetensors), a PyTorch .pth of GrokLST's toolkit, or an ONNX model " +
        "written by convert (.onnx, run by ONNX Runtime)", Alias = "-c", Required = true, Scope = OptionScope.CommandLine)]
    public string Checkpoint { get; init; } = "";

    /// <summary>Dataset folder.</summary>
    [Option("dataset", "Dataset folder", Alias = "-d", Required = true, Scope = OptionScope.CommandLine)]
    public string Dataset { get; init; } = "";

    /// <summary>Split evaluated.</summary>
    [Option("split", "Split to evaluate")]
    public string Split { get; init; } = "test";

    /// <summary>Tile format.</summary>
    [Option("format", "Read tiles from mat or parquet", Choices = ["mat", "parquet"])]
    public string Format { get; init; } = "mat";

    /// <summary>Where <c>metrics.csv</c> and the figures go (default: beside the checkpoint).</summary>
    [Option("out", "Folder for metrics-SPLIT.csv and the figures (default: the " +
        "checkpoint's)", Alias = "-o", Scope = OptionScope.CommandLine)]
    public string? Output { get; init; }

    /// <summary>Tiles drawn as PNG panels.</summary>
    [Option("panels", "Tiles drawn as PNG panels (LR, prediction, truth, error)", Min = 0)]
    public int Panels { get; init; } = 4;

    /// <summary>Which tiles get panels: the split's first, the model's worst or its best by RMSE (tiles with nodata
    /// included).</summary>
    [Option("panels-from", "Which tiles get panels: first (split order), worst or best (model RMSE; tiles with nodata included)")]
    public PanelChoice PanelsFrom { get; init; } = PanelChoice.First;

    /// <summary>Tiles per forward pass; each gets its own MoCoLSK kernel, so the output is what one at a time gives.</summary>
    [Option("batch-size", "Tiles per forward pass, each with its own kernel", Min = 1, Max = 256)]
    public int BatchSize { get; init; } = 1;

    /// <summary>The type the network's body computes in: <c>fp32</c>, or <c>bf16</c> (normalization, skips, residual adds
    /// and the output stay float32; docs/TRAINING.md has its measured cost in RMSE and its speed).</summary>
    [Option("precision", "Network body in fp32 or bf16 (normalization, skips and output stay fp32; an ONNX model runs in fp32)")]
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Which LR input is scored: the dataset's simulated block means, or the real LR of <c>crop --real-lr</c>.</summary>
    [Option("lr", "The LR input scored: simulated (the dataset's block means) or real (the level 'crop --real-lr' added: a coarse " +
        "sensor's own LST), printed beside the simulated rows on the same tiles")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public LrSource Lr { get; init; } = LrSource.Simulated;

    /// <summary>With <see cref="Lr"/> real: also score the real LR shifted, tile by tile, to the simulated LR's mean.</summary>
    [Option("match-bias", "With --lr real, also score the real LR shifted per tile to the simulated LR's mean: what is left is " +
        "the texture error, the shift the bias")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool MatchBias { get; init; }

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c>.</summary>
    [Option("device", "Run the network on cpu or cuda (cuda needs a CUDA libtorch)", Scope = OptionScope.CommandLine)]
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch threads; null: <c>LSTPIPE_THREADS</c> or all cores.</summary>
    [Option("threads", "libtorch's or ONNX Runtime's threads (default: LSTPIPE_THREADS or all cores)", Min = 1,
        Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public int? Threads { get; init; }
}

/// <summary>Which tiles <c>lstpipe test</c> draws.</summary>
public enum PanelChoice
{
    /// <summary>The first tiles of the split, in its order.</summary>
    First,

    /// <summary>The tiles where the model's RMSE is highest.</summary>
    Worst,

    /// <summary>The tiles where the model's RMSE is lowest.</summary>
    Best,
}

/// <summary>The LR input <c>lstpipe test</c> scores.</summary>
public enum LrSource
{
    /// <summary>The dataset's LR level: block means of the truth.</summary>
    Simulated,

    /// <summary>The real-LR level of <c>crop --real-lr</c> (a coarse sensor's own LST).</summary>
    Real,
}
