using System.Text.Json;
using LstPipe.Core.Json;
using LstPipe.Inference.Contracts;
using LstPipe.Models;
using LstPipe.Models.Checkpoints;
using LstPipe.Models.MoCoLsk;
using TorchSharp;
using static TorchSharp.torch;

namespace LstPipe.Inference;

/// <summary>A trained or trainable downscaler: a network (MoCoLSK-Net or a baseline) with its normalization, saved as
/// safetensors with the original parameter names and the configuration as metadata.</summary>
public sealed class Downscaler : IDisposable
{
    /// <summary>Metadata key of the model configuration (JSON).</summary>
    public const string ConfigKey = "lstpipe.model";

    /// <summary>Metadata key of the normalization (JSON).</summary>
    public const string NormalizationKey = "lstpipe.normalization";

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

    /// <summary>PyTorch's bicubic upsampling of a sample's LR LST, the baseline.</summary>
    public static Tensor Bicubic(TileSample s, int scale) =>
        DownscalingNetwork.Bicubic(tensor(s.Lr, [1, 1, s.LrSize, s.LrSize]), scale);

    /// <summary>Writes the weights (original names) with the configuration and normalization as metadata.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var meta = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["format"] = "pt",
            [ConfigKey] = JsonSerializer.Serialize(Spec, JsonDefaults.Options),
            [NormalizationKey] = JsonSerializer.Serialize(Normalization, JsonDefaults.Options),
        };
        if (Contract is not null)
        {
            meta[DataContract.MetadataKey] = JsonSerializer.Serialize(Contract, JsonDefaults.Options);
        }

        SafeTensors.Save(path, Net.state_dict(), meta);
    }

    /// <summary>Loads a checkpoint: one written by <see cref="Save"/>, or a PyTorch <c>.pth</c>/<c>.pt</c> (a plain
    /// state dict or an mmagic runner checkpoint of GrokLST's toolkit), whose model is inferred from its weights and
    /// whose normalization is GrokLST's published one.</summary>
    /// <exception cref="Core.Errors.DataException">The file is not an lstpipe or PyTorch checkpoint.</exception>
    public static Downscaler Load(string path)
    {
        if (PyTorchCheckpoint.IsPyTorch(path))
        {
            return FromPyTorch(path, s => (Normalization.GrokLst(s), DataContract.GrokLst(s))).Model;
        }

        var (tensors, meta) = SafeTensors.Load(path);
        try
        {
            var spec = Metadata<ModelSpec>(path, meta, ConfigKey);
            var norm = Metadata<Normalization>(path, meta, NormalizationKey);
            if (spec.MoCoLsk is null || norm.GuidanceShift is null || norm.GuidanceDivisor is null)
            {
                throw new Core.Errors.DataException($"{path}: its {(spec.MoCoLsk is null ? ConfigKey : NormalizationKey)} " +
                    $"metadata is incomplete; not a checkpoint 'lstpipe train' wrote");
            }

            if (spec.MoCoLsk.Scale != norm.Scale || norm.GuidanceShift.Count != spec.MoCoLsk.GuidanceChannels
                || norm.GuidanceDivisor.Count != norm.GuidanceShift.Count)
            {
                throw new Core.Errors.DataException($"{path}: its metadata disagrees with itself (model x{spec.MoCoLsk.Scale} " +
                    $"with {spec.MoCoLsk.GuidanceChannels} guidance channels, normalization x{norm.Scale} with " +
                        $"{norm.GuidanceShift.Count}); the file was edited or is corrupt");
            }

            var contract = meta.ContainsKey(DataContract.MetadataKey) ? Metadata<DataContract>(path, meta, DataContract.MetadataKey) : null;
            if (contract is not null
                && (contract.Scale != norm.Scale || contract.Guidance?.Count != norm.GuidanceShift.Count || contract.Truth is null))
            {
                throw new Core.Errors.DataException($"{path}: its {DataContract.MetadataKey} metadata disagrees with the model " +
                    $"(x{contract.Scale}, " +
                    $"{contract.Guidance?.Count} channels; the model is x{norm.Scale} with {norm.GuidanceShift.Count}); the " +
                        $"file was edited or is corrupt");
            }

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

    /// <summary>One JSON metadata entry of a checkpoint, every failure a one-line data error naming the file.</summary>
    private static T Metadata<T>(string path, Dictionary<string, string> meta, string key)
        where T : class
    {
        if (!meta.TryGetValue(key, out var json))
        {
            throw new Core.Errors.DataException($"{path}: has no {key} in its metadata; it was not written by 'lstpipe train' " +
                $"(a PyTorch .pth needs 'lstpipe convert')");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonDefaults.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            throw new Core.Errors.DataException($"{path}: its {key} metadata is not valid{where} ({json.Length} characters); " +
                $"the file was edited or is corrupt");
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
