using System.Text.Json;
using LstPipe.Core.Json;
using LstPipe.Models;
using LstPipe.Models.MoCoLsk;
using LstPipe.Torch;
using LstPipe.Torch.IO;
using LstPipe.Torch.NN;

namespace LstPipe.Training;

/// <summary>A trained or trainable downscaler: a network (MoCoLSK-Net or a baseline) with its normalization, saved as
/// safetensors with the original parameter names and the configuration as metadata.</summary>
public sealed class Downscaler : IDisposable
{
    /// <summary>Metadata key of the model configuration (JSON).</summary>
    public const string ConfigKey = "lstpipe.model";

    /// <summary>Metadata key of the normalization (JSON).</summary>
    public const string NormalizationKey = "lstpipe.normalization";

    private Downscaler(ModelSpec spec, Normalization norm)
    {
        Spec = spec;
        Net = spec.Create();
        Normalization = norm;
    }

    /// <summary>The model and its configuration.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The network.</summary>
    public DownscalingNetwork Net { get; }

    /// <summary>The data normalization.</summary>
    public Normalization Normalization { get; }

    /// <summary>Builds a downscaler for a dataset's statistics.</summary>
    public static Downscaler Create(TrainOptions o, Normalization norm) =>
        new(new ModelSpec
        {
            Name = o.Model,
            MoCoLsk = new MoCoLskOptions
            {
                Scale = o.Scale,
                NumFeats = o.NumFeats,
                NResblocks = o.NResblocks,
                Reduction = o.Reduction,
                GuidanceChannels = norm.GuidanceShift.Count,
                TrainDynamicMlp = o.TrainDynamicMlp,
                LstMean = norm.LstMean,
                LstStd = norm.LstStd,
            }
        }, norm);

    /// <summary>Moves the network to a device.</summary>
    public Downscaler To(DeviceType device)
    {
        Net.To(device);
        return this;
    }

    /// <summary>A tensor of the given shape from host values, on the network's device.</summary>
    public Tensor Input(float[] values, long[] shape)
    {
        var t = Torch.Torch.FromArray(values, shape);
        return Net.Device == DeviceType.Cpu ? t : t.To(Net.Device);
    }

    /// <summary>HR LST in Kelvin (1, 1, H, W) from a sample, on the network's device.</summary>
    public Tensor Forward(TileSample s) =>
        Net.Forward(Input(s.Lr, [1, 1, s.LrSize, s.LrSize]), Input(s.Guidance, [1, s.Guidance.Length / (s.HrSize * s.HrSize), s.HrSize, s.HrSize]));

    /// <summary>PyTorch's bicubic upsampling of a sample's LR LST, the baseline.</summary>
    public static Tensor Bicubic(TileSample s, int scale) =>
        Functional.Interpolate(Torch.Torch.FromArray(s.Lr, [1, 1, s.LrSize, s.LrSize]), scale, InterpolationMode.Bicubic);

    /// <summary>Writes the weights (original names) with the configuration and normalization as metadata.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var meta = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["format"] = "pt",
            [ConfigKey] = JsonSerializer.Serialize(Spec, JsonDefaults.Options),
            [NormalizationKey] = JsonSerializer.Serialize(Normalization, JsonDefaults.Options),
        };
        SafeTensors.Save(path, Net.StateDict(), meta);
    }

    /// <summary>Loads a checkpoint written by <see cref="Save"/>.</summary>
    /// <exception cref="Core.Errors.DataException">The file is not an lstpipe checkpoint.</exception>
    public static Downscaler Load(string path)
    {
        var (tensors, meta) = SafeTensors.Load(path);
        try
        {
            if (!meta.TryGetValue(ConfigKey, out var config) || !meta.TryGetValue(NormalizationKey, out var normJson))
            {
                throw new Core.Errors.DataException($"{path}: has no lstpipe model configuration in its metadata; it was not written by 'lstpipe train'");
            }

            var spec = JsonSerializer.Deserialize<ModelSpec>(config, JsonDefaults.Options)!;
            var norm = JsonSerializer.Deserialize<Normalization>(normJson, JsonDefaults.Options)!;
            var d = new Downscaler(spec, norm);
            d.Net.LoadStateDict(tensors);
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

    /// <inheritdoc/>
    public void Dispose() => Net.Dispose();
}
