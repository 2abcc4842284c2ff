using LstPipe.Inference.Contracts;
using LstPipe.Models;
using LstPipe.Models.Checkpoints;
using LstPipe.Models.MoCoLsk;
using TorchSharp;
using static TorchSharp.torch;

namespace LstPipe.Inference;

/// <summary>A trained or trainable downscaler: a network (MoCoLSK-Net or a baseline) with its normalization, saved as
/// safetensors with the original parameter names and the configuration as metadata.</summary>
public sealed class Downscaler : IDownscaler
{
    /// <summary>Metadata key of the model configuration (JSON).</summary>
    public const string ConfigKey = CheckpointMetadata.ConfigKey;

    /// <summary>Metadata key of the normalization (JSON).</summary>
    public const string NormalizationKey = CheckpointMetadata.NormalizationKey;

    private Downscaler(ModelSpec spec, Normalization norm, DataContract? contract)
    {
        Spec = spec;
        Net = spec.Create();
        Normalization = norm;
        Contract = contract;
    }

    /// <summary>The model and its configuration.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The network.</summary>
    public DownscalingNetwork Net { get; }

    /// <summary>The data normalization.</summary>
    public Normalization Normalization { get; }

    /// <summary>What the model was trained on; null for a checkpoint written before contracts were recorded.</summary>
    public DataContract? Contract { get; }

    /// <summary>Builds a seeded downscaler (libtorch's generator) for a model and the data it will train on.</summary>
    /// <param name="spec">The model and its configuration; its guidance channels and LST z-score are taken from
    /// <paramref name="norm"/>.</param>
    /// <param name="norm">The data's normalization.</param>
    /// <param name="contract">What the data is, recorded in every checkpoint.</param>
    public static Downscaler Create(ModelSpec spec, Normalization norm, DataContract? contract) =>
        new(spec with
        {
            MoCoLsk = spec.MoCoLsk with
            {
                GuidanceChannels = norm.GuidanceShift.Count,
                LstMean = norm.LstMean,
                LstStd = norm.LstStd,
            },
        }, norm, contract);

    /// <summary>The device the network is on.</summary>
    public Device Device { get; private set; } = CPU;

    /// <summary>Moves the network to a device.</summary>
    public Downscaler To(Device device)
    {
        Net.to(device);
        Device = device;
        return this;
    }

    /// <summary>A tensor of the given shape from host values, on the network's device (copied through pinned host
    /// memory, without waiting, where that is a GPU).</summary>
    public Tensor Input(float[] values, long[] shape)
    {
        var t = tensor(values, shape);
        return Device.type == TorchSharp.DeviceType.CPU ? t : t.pin_memory().to(Device, non_blocking: true);
    }

    /// <summary>Runs the network's body in <paramref name="precision"/> (inference only: bfloat16 weights do not
    /// train); normalization, skips, residual adds and the output stay float32.</summary>
    public Downscaler UsePrecision(Precision precision)
    {
        Net.UsePrecision(precision == Precision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32);
        return this;
    }

    /// <summary>HR LST in Kelvin (1, 1, H, W) from a sample, on the network's device.</summary>
    public Tensor Forward(TileSample s) =>
        Net.call(Input(s.Lr, [1, 1, s.LrSize, s.LrSize]), Input(s.Guidance, [1, s.Guidance.Length / (s.HrSize * s.HrSize),
            s.HrSize, s.HrSize]));

    /// <summary>HR LST in Kelvin (B, 1, H, W) from a batch in one forward pass, on the network's device.</summary>
    public Tensor Forward(TileBatch b) =>
        Net.call(Input(b.Lr, [b.Count, 1, b.LrSize, b.LrSize]), Input(b.Guidance, [b.Count, b.Channels, b.HrSize, b.HrSize]));

    /// <inheritdoc/>
    public int SizeMultiple => Net.SizeMultiple;

    /// <inheritdoc/>
    public string Engine => $"TorchSharp (libtorch {TorchSetup.Version})";

    /// <inheritdoc/>
    public float[] Predict(TileBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return ToArray(Forward(batch));
    }

    /// <summary>PyTorch's bicubic upsampling of a sample's LR LST, the baseline.</summary>
    public static Tensor Bicubic(TileSample s, int scale) =>
        DownscalingNetwork.Bicubic(tensor(s.Lr, [1, 1, s.LrSize, s.LrSize]), scale);

    /// <summary>Writes the weights (original names) with the configuration and normalization as metadata.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var meta = new Dictionary<string, string>(extra ?? new Dictionary<string, string>()) { ["format"] = "pt" };
        foreach (var (key, value) in CheckpointMetadata.Write(Spec, Normalization, Contract))
        {
            meta[key] = value;
        }

        SafeTensors.Save(path, Net.state_dict(), meta);
    }

    /// <summary>Loads a checkpoint: one written by <see cref="Save"/>, or a PyTorch <c>.pth</c>/<c>.pt</c> (a plain
    /// state dict or an mmagic runner checkpoint of GrokLST's toolkit), whose model is inferred from its weights and
    /// whose normalization is GrokLST's published one.</summary>
    /// <exception cref="Core.Errors.DataException">The file is not an lstpipe or PyTorch checkpoint.</exception>
    /// <exception cref="Core.Errors.UsageException">An ONNX model (its weights live in a graph TorchSharp does not run).</exception>
    public static Downscaler Load(string path)
    {
        Downscalers.RequireFile(path);
        if (OnnxDownscaler.IsOnnx(path))
        {
            throw new Core.Errors.UsageException($"{path}: an ONNX model runs in predict and test only; train, --init and " +
                $"convert take the .safetensors it was converted from");
        }

        if (PyTorchCheckpoint.IsPyTorch(path))
        {
            return FromPyTorch(path, s => (Normalization.GrokLst(s), DataContract.GrokLst(s))).Model;
        }

        var (tensors, meta) = SafeTensors.Load(path);
        try
        {
            var (spec, norm, contract) = CheckpointMetadata.Read(path, meta, "'lstpipe train' (a PyTorch .pth needs 'lstpipe convert')");
            Downscaler d;
            try
            {
                d = new Downscaler(spec, norm, contract);
            }
            catch (Core.Errors.UsageException e)
            {
                throw new Core.Errors.DataException($"{path}: its model configuration is not one lstpipe can build ({e.Message})");
            }

            d.Net.LoadStrict(tensors, path);
            return d;
        }
        finally
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Builds a downscaler from a PyTorch checkpoint's weights, its model inferred from their names and shapes.</summary>
    /// <param name="path">The <c>.pth</c> or <c>.pt</c> file.</param>
    /// <param name="data">The normalization and contract for the inferred scale (the weights carry neither).</param>
    /// <returns>The downscaler and the file's layout.</returns>
    /// <exception cref="Core.Errors.DataException">The file holds no weights of a model lstpipe knows.</exception>
    public static (Downscaler Model, string Layout) FromPyTorch(string path, Func<int, (Normalization Norm, DataContract Contract)> data)
    {
        var (state, layout) = PyTorchCheckpoint.Load(path);
        try
        {
            var inferred = ModelSpec.Infer(state, null, path);
            var (norm, contract) = data(inferred.MoCoLsk.Scale);
            if (norm.GuidanceShift.Count != inferred.MoCoLsk.GuidanceChannels)
            {
                throw new Core.Errors.DataException($"{path}: the model takes {inferred.MoCoLsk.GuidanceChannels} guidance " +
                    $"channels; the normalization has {norm.GuidanceShift.Count}");
            }

            var spec = inferred with { MoCoLsk = inferred.MoCoLsk with { LstMean = norm.LstMean, LstStd = norm.LstStd } };
            ContractValidation.Check(path, spec, norm, contract, $"from {contract.Dataset ?? "its dataset"}");
            var d = new Downscaler(spec, norm, contract);
            d.Net.LoadStrict(state, path);
            return (d, layout);
        }
        finally
        {
            foreach (var t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Net.Dispose();

    /// <summary>Host values of a tensor (copied from its device).</summary>
    public static float[] ToArray(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();
}
