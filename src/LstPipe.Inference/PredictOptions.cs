using LstPipe.Core.Options;
using LstPipe.Core.Units;

namespace LstPipe.Inference;

/// <summary>The options of <c>lstpipe predict</c>; the only declaration of them.</summary>
public sealed record PredictOptions
{
    /// <summary>Checkpoint written by <c>lstpipe train</c>, a PyTorch <c>.pth</c> of GrokLST's toolkit (both run by
    /// TorchSharp), or an ONNX model written by <c>lstpipe convert</c> (run by ONNX Runtime).</summary>
    [Option("checkpoint", "Checkpoint written by train (best.safetensors), a PyTorch .pth of GrokLST's toolkit, or an ONNX model " +
        "written by convert (.onnx, run by ONNX Runtime)", Alias = "-c", Required = true, Scope = OptionScope.CommandLine)]
    public string Checkpoint { get; init; } = "";

    /// <summary>Coarse LST: a raster in any CRS and resolution GDAL reads, or a scene folder (its <c>lst.tif</c> and
    /// declared unit); averaged onto the guidance grid coarsened by the model's scale unless it already lies on it.</summary>
    [Option("lst", "Coarse LST: a raster in any CRS and resolution (averaged onto the guidance grid coarsened by the model's " +
        "scale), or a scene folder",
        Required = true, Scope = OptionScope.CommandLine)]
    public string Lst { get; init; } = "";

    /// <summary>High-resolution guidance: a GeoTIFF whose band descriptions name the channels (any order; matched to
    /// the model's by name), or a scene folder (its <c>guidance.tif</c> and <c>scene.json</c>).</summary>
    [Option("guidance", "HR guidance: a GeoTIFF whose band descriptions name the model's channels (any order), or a scene folder",
        Required = true, Scope = OptionScope.CommandLine)]
    public string Guidance { get; init; } = "";

    /// <summary>Output GeoTIFF (float32 Kelvin, nodata -9999, on the guidance grid); a PNG quicklook is written beside
    /// it (same name, <c>.png</c>).</summary>
    [Option("out", "Output GeoTIFF on the guidance grid (a PNG quicklook is written beside it)", Alias = "-o", Required = true,
        Scope = OptionScope.CommandLine)]
    public string Output { get; init; } = "";

    /// <summary>HR truth LST on the guidance grid, for the quicklook's truth and error panels and an RMSE.</summary>
    [Option("truth", "HR truth LST on the guidance grid: adds truth and error panels to the quicklook and prints the " +
        "RMSE", Scope = OptionScope.CommandLine)]
    public string? Truth { get; init; }

    /// <summary>The guidance bands' channel names in band order, for a raster whose bands are not named.</summary>
    [Option("guidance-bands", "The guidance bands' channel names in band order (a,b,...), for a raster whose bands are not named",
        Scope = OptionScope.CommandLine)]
    public IReadOnlyList<string>? GuidanceBands { get; init; }

    /// <summary>The coarse LST's unit, overriding what the raster declares.</summary>
    [Option("lst-units", "The coarse LST's unit, K, C or F (default: what the raster or scene declares, else K)",
        Parser = typeof(UnitParser))]
    public TemperatureUnit? LstUnit { get; init; }

    /// <summary>The coarse LST's band (1-based); needed when the raster has several.</summary>
    [Option("lst-band", "The coarse LST's band (needed when the raster has several)", Min = 1)]
    public int? LstBand { get; init; }

    /// <summary>How the output is made consistent with the coarse LST; null (<c>auto</c>): radiance where the coarse
    /// LST lies on the model's LR grid (its block means are the sensor's own pixels), none where it was reprojected or
    /// resampled.</summary>
    [Option("consistency", "Make each block's mean equal the coarse LST: none, additive, radiance (in T^4, Gao et al. 2012), " +
        "or auto (radiance when the coarse LST lies on the model's LR grid, else none)", Parser = typeof(ConsistencyParser))]
    public ConsistencyMode? Consistency { get; init; }

    /// <summary>Window edge in HR pixels, rounded down to a multiple of the scale (and of the model's size multiple).</summary>
    [Option("window", "Window edge in HR pixels", Min = 1)]
    public int Window { get; init; } = 256;

    /// <summary>Overlap of neighbouring windows in HR pixels; predictions are blended across it.</summary>
    [Option("overlap", "Window overlap in HR pixels (blended)", Min = 0)]
    public int Overlap { get; init; } = 32;

    /// <summary>Windows per forward pass; each gets its own MoCoLSK kernel, so the output is what one at a time gives.</summary>
    [Option("batch-size", "Windows per forward pass (of one row of windows), each with its own kernel", Min = 1, Max = 256)]
    public int BatchSize { get; init; } = 1;

    /// <summary>The type the network's body computes in: <c>fp32</c>, or <c>bf16</c> (normalization, skips, residual adds
    /// and the output stay float32; docs/TRAINING.md has its measured cost in RMSE and its speed).</summary>
    [Option("precision", "Network body in fp32 or bf16 (normalization, skips and output stay fp32; an ONNX model runs in fp32)")]
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c>.</summary>
    [Option("device", "Run the network on cpu or cuda (cuda needs a CUDA libtorch)", Scope = OptionScope.CommandLine)]
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch threads; null: <c>LSTPIPE_THREADS</c> or all cores.</summary>
    [Option("threads", "libtorch's or ONNX Runtime's threads (default: LSTPIPE_THREADS or all cores)", Min = 1,
        Scope = OptionScope.CommandLine)]
    public int? Threads { get; init; }

    /// <summary>Reads K, C or F (and their usual spellings).</summary>
    public sealed class UnitParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text) => LstUnits.TryParse(text) ?? throw new FormatException($"use {LstUnits.Accepted}");

        /// <inheritdoc/>
        public string Format(object value) => LstUnits.Symbol((TemperatureUnit)value);
    }

    /// <summary>Reads auto (null), none, additive or radiance.</summary>
    public sealed class ConsistencyParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text) => text.Trim().ToLowerInvariant() switch
        {
            "auto" => null,
            "none" => ConsistencyMode.None,
            "additive" => ConsistencyMode.Additive,
            "radiance" => ConsistencyMode.Radiance,
            _ => throw new FormatException("use auto, none, additive or radiance"),
        };

        /// <inheritdoc/>
        public string Format(object value) => value.ToString()!.ToLowerInvariant();
    }
}

/// <summary>What <c>lstpipe predict</c> wrote and measured.</summary>
/// <param name="Output">The downscaled GeoTIFF.</param>
/// <param name="Quicklook">The PNG beside it.</param>
/// <param name="Warped">How the coarse LST was brought onto the model's grid, or null when it lay on it.</param>
/// <param name="Padded">How far the working grid was padded past the guidance's right and bottom edges (HR px).</param>
/// <param name="ConsistencyBefore">Consistency error (K) of the network's output.</param>
/// <param name="ConsistencyAfter">Consistency error (K) of what was written.</param>
/// <param name="TruthRmse">RMSE (K) against the truth, when one was given.</param>
/// <param name="Consistency">The correction applied.</param>
/// <param name="ValidPixels">Pixels written with a value.</param>
public sealed record PredictResult(string Output, string Quicklook, string? Warped, (int Columns, int Rows) Padded,
    double ConsistencyBefore, double ConsistencyAfter, double? TruthRmse, ConsistencyMode Consistency, long ValidPixels);
