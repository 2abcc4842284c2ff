using System.Diagnostics;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Threading;
using LstPipe.Inference.Contracts;
using LstPipe.Models;
using Microsoft.ML.OnnxRuntime;

namespace LstPipe.Inference;

/// <summary>
/// A downscaler written as an ONNX graph by <c>lstpipe convert</c>, run in process by ONNX Runtime (CPU): the graph
/// takes the LR LST in Kelvin (<see cref="LstInput"/>, B x 1 x h x w) and the normalized guidance
/// (<see cref="GuidanceInput"/>, B x C x H x W) and gives HR LST in Kelvin (<see cref="OutputName"/>), exactly what
/// <see cref="Downscaler.Forward(TileBatch)"/> takes and gives; the model configuration, normalization and data
/// contract come back from the model's metadata properties under the keys a safetensors checkpoint uses, with the
/// same checks. Graph optimizations are all on; the intra-op pool has the thread count TorchSharp would get, one
/// inter-op thread, and its threads wait without spinning unless <c>OMP_WAIT_POLICY=ACTIVE</c> (as libtorch's). Each
/// forward is stopped by ONNX Runtime's terminate flag on an interrupt (<see cref="Interruption"/>) or when it runs past
/// its <see cref="ForwardGuard"/> limit.
/// </summary>
public sealed class OnnxDownscaler : IDownscaler
{
    /// <summary>The graph's input of LR LST in Kelvin (B x 1 x h x w).</summary>
    public const string LstInput = "lr_lst";

    /// <summary>The graph's input of normalized HR guidance (B x C x H x W).</summary>
    public const string GuidanceInput = "hr_guidance";

    /// <summary>The graph's output of HR LST in Kelvin (B x 1 x H x W).</summary>
    public const string OutputName = "sr_lst";

    /// <summary>Metadata key of the HR size multiple the graph needs.</summary>
    public const string SizeMultipleKey = "lstpipe.size_multiple";

    private readonly InferenceSession _session;
    private readonly string _path;
    private readonly ForwardGuard _guard;

    private OnnxDownscaler(string path, InferenceSession session, ModelSpec spec, Normalization norm, DataContract? contract,
        int multiple)
    {
        (_path, _session, Spec, Normalization, Contract, SizeMultiple) = (path, session, spec, norm, contract, multiple);
        _guard = new ForwardGuard(new FileInfo(path).Length);
    }

    /// <inheritdoc/>
    public ModelSpec Spec { get; }

    /// <inheritdoc/>
    public Normalization Normalization { get; }

    /// <inheritdoc/>
    public DataContract? Contract { get; }

    /// <inheritdoc/>
    public int SizeMultiple { get; }

    /// <summary>The intra-op threads the session runs with.</summary>
    public int Threads { get; private init; }

    /// <inheritdoc/>
    public string Engine => $"ONNX Runtime {OrtEnv.Instance().GetVersionString()}";

    /// <summary>Whether a path names an ONNX model (by its extension).</summary>
    public static bool IsOnnx(string path) => string.Equals(Path.GetExtension(path), ".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads an ONNX model written by <c>lstpipe convert</c>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="threads">Intra-op threads; null: <c>LSTPIPE_THREADS</c> or every core.</param>
    /// <exception cref="DataException">ONNX Runtime does not load it, or it is not a downscaler lstpipe wrote (its inputs,
    /// its declared output, its metadata; <see cref="Inference.Contracts.ContractValidation"/>).</exception>
    public static OnnxDownscaler Load(string path, int? threads = null)
    {
        var n = threads ?? TorchSetup.ThreadsFromEnvironment() ?? Environment.ProcessorCount;
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = n,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        var spin = string.Equals(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), "ACTIVE", StringComparison.OrdinalIgnoreCase);
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new DataException($"{path}: not an ONNX model ONNX Runtime loads ({FirstLine(e.Message)})");
        }

        try
        {
            var meta = session.ModelMetadata.CustomMetadataMap;
            var (spec, norm, contract) = CheckpointMetadata.Read(path, meta, "'lstpipe convert' (convert a checkpoint with " +
                "'lstpipe convert CHECKPOINT MODEL.onnx')");
            CheckSignature(path, session, norm.GuidanceShift.Count);
            var multiple = meta.TryGetValue(SizeMultipleKey, out var m) && int.TryParse(m, NumberStyles.Integer,
                CultureInfo.InvariantCulture, out var k) && k >= 1 ? k : throw new DataException($"{path}: has no valid " +
                    $"{SizeMultipleKey} in its metadata; it was not written by 'lstpipe convert'");
            return new OnnxDownscaler(path, session, spec, norm, contract, multiple) { Threads = n };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="DataException">ONNX Runtime fails, or the output is not float B x 1 x H x W for this batch.</exception>
    public float[] Predict(TileBatch batch)
    {
        if (batch.HrSize % SizeMultiple != 0)
        {
            throw new UsageException($"{Spec.Name} needs HR tiles whose sides are multiples of {SizeMultiple} px; got " +
                $"{batch.HrSize} x {batch.HrSize} (crop with such a --size, or predict with such a --window)");
        }

        using var lr = OrtValue.CreateTensorValueFromMemory(batch.Lr, [batch.Count, 1, batch.LrSize, batch.LrSize]);
        using var guidance = OrtValue.CreateTensorValueFromMemory(batch.Guidance, [batch.Count, batch.Channels, batch.HrSize,
            batch.HrSize]);
        var pixels = (long)batch.Count * batch.HrSize * batch.HrSize;
        using var run = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        using var limit = new CancellationTokenSource(_guard.Limit(pixels));
        using var onLimit = limit.Token.Register(() => run.Terminate = true);
        using var onInterrupt = Interruption.Token.Register(() => run.Terminate = true);
        var clock = Stopwatch.StartNew();
        try
        {
            using var outputs = _session.Run(run, [LstInput, GuidanceInput], [lr, guidance], [OutputName]);
            _guard.Finished(pixels, clock.Elapsed);
            var info = outputs[0].GetTensorTypeAndShape();
            long[] want = [batch.Count, 1, batch.HrSize, batch.HrSize];
            if (info.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float || !info.Shape.SequenceEqual(want))
            {
                throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{_path}: its output {OutputName} is " +
                    $"{info.ElementDataType} [{string.Join(", ", info.Shape)}] for {batch.Count} tile(s) of {batch.LrSize} x " +
                    $"{batch.LrSize} px LR LST; a x{Normalization.Scale} downscaler must give Float [{string.Join(", ", want)}] " +
                    $"(B x 1 x {Normalization.Scale}h x {Normalization.Scale}w); the graph is not one 'lstpipe convert' wrote"));
            }

            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            Interruption.ThrowIfRequested();
            var what = string.Create(CultureInfo.InvariantCulture, $"{batch.Count} tile(s) of {batch.HrSize} x {batch.HrSize} px");
            throw new DataException(limit.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"{_path}: one ONNX Runtime forward of {what} ran past " +
                    $"{clock.Elapsed.TotalSeconds:0} s ({_guard.Basis(pixels)}) and was stopped; a graph that does not end " +
                    $"in reasonable time is not a downscaler 'lstpipe convert' wrote")
                : $"{_path}: ONNX Runtime failed on {what} ({FirstLine(e.Message)})");
        }
    }

    /// <summary>Refuses a graph whose inputs and output are not those <c>lstpipe convert</c> writes: the output must be
    /// declared float B x 1 x H x W (where its dimensions are fixed, those of the guidance); <see cref="Predict"/> checks the
    /// shape each run gives.</summary>
    private static void CheckSignature(string path, InferenceSession session, int channels)
    {
        var inputs = session.InputMetadata;
        var expected = new Dictionary<string, long>(StringComparer.Ordinal) { [LstInput] = 1, [GuidanceInput] = channels };
        foreach (var (name, dim) in expected)
        {
            if (!inputs.TryGetValue(name, out var meta) || meta.ElementType != typeof(float) || meta.Dimensions.Length != 4
                || (meta.Dimensions[1] != dim && meta.Dimensions[1] != -1))
            {
                throw new DataException($"{path}: its graph has no float input '{name}' of B x {dim} x H x W; it was not " +
                    $"written by 'lstpipe convert'");
            }
        }

        if (inputs.Count != 2 || !session.OutputMetadata.ContainsKey(OutputName))
        {
            throw new DataException($"{path}: its graph's inputs ({string.Join(", ", inputs.Keys)}) and outputs " +
                $"({string.Join(", ", session.OutputMetadata.Keys)}) are not {LstInput}, {GuidanceInput} -> {OutputName}; it " +
                $"was not written by 'lstpipe convert'");
        }

        var output = session.OutputMetadata[OutputName];
        var hr = inputs[GuidanceInput].Dimensions;
        var dims = output.Dimensions;
        if (output.ElementType != typeof(float) || dims.Length != 4 || dims[1] is not (1 or -1)
            || Enumerable.Range(2, 2).Any(k => dims[k] >= 0 && hr[k] >= 0 && dims[k] != hr[k]))
        {
            var declared = dims.Select((d, k) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : output.SymbolicDimensions[k]);
            var type = output.ElementType == typeof(float) ? "float" : output.ElementType.Name;
            throw new DataException($"{path}: its graph's output '{OutputName}' is declared {type} " +
                $"[{string.Join(", ", declared)}]; a downscaler gives float [B, 1, H, W], H x W the guidance's; it was not " +
                $"written by 'lstpipe convert'");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <inheritdoc/>
    public void Dispose()
    {
        _session.Dispose();
    }
}
