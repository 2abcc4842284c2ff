using Google.Protobuf;
using LstPipe.Core.IO;
using LstPipe.Inference;
using LstPipe.Models;
using LstPipe.Models.Baselines;
using LstPipe.Models.MoCoLsk;
using Onnx;

namespace LstPipe.Onnx;

/// <summary>
/// Writes a downscaler as an ONNX model (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>: what ONNX 1.12's
/// checker and ONNX Runtime 1.32 both accept) from its TorchSharp module tree and weights: inputs
/// <see cref="OnnxDownscaler.LstInput"/> (B x 1 x h x w, Kelvin) and <see cref="OnnxDownscaler.GuidanceInput"/>
/// (B x C x H x W, normalized as the data contract says) with symbolic batch, height and width; output
/// <see cref="OnnxDownscaler.OutputName"/> (B x 1 x H x W, Kelvin). The LST z-score, the bicubic skip and the way back
/// to Kelvin are inside the graph. The model's metadata properties carry the configuration, normalization and data
/// contract under the keys of a safetensors checkpoint, so predict and test check the same contract for both.
/// </summary>
public static class OnnxExport
{
    /// <summary>The default-domain operator set the graph uses.</summary>
    public const long Opset = 17;

    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 8;

    /// <summary>Builds the model.</summary>
    /// <param name="model">A float32 downscaler (on the CPU or not).</param>
    /// <param name="extra">More metadata properties (where the model came from).</param>
    /// <exception cref="NotSupportedException">A network or layer the exporter does not know, or a bfloat16 body.</exception>
    public static ModelProto Build(Downscaler model, IReadOnlyDictionary<string, string>? extra = null)
    {
        if (model.Net.BodyType != TorchSharp.torch.ScalarType.Float32)
        {
            throw new NotSupportedException("the ONNX exporter writes float32 weights; load the checkpoint without --precision bf16");
        }

        var o = model.Spec.MoCoLsk;
        var channels = model.Normalization.GuidanceShift.Count;
        var g = new GraphBuilder($"lstpipe_{model.Spec.Name}_x{o.Scale}");
        const string lr = OnnxDownscaler.LstInput, guidance = OnnxDownscaler.GuidanceInput;
        g.Input(lr, "batch", 1L, "lr_height", "lr_width");
        g.Input(guidance, "batch", (long)channels, "height", "width");
        g.Graph.Input[0].DocString = "LR LST in kelvin; nodata filled (predict fills it with the window's mean)";
        g.Graph.Input[1].DocString = "HR guidance normalized with lstpipe.normalization, channels in lstpipe.contract's order; " +
            $"height and width {o.Scale} x the LR's" + (model.SizeMultiple > 1 ? $", multiples of {model.SizeMultiple}" : "");
        var baseline = new BaselineEmitter(g, o.Scale, o.LstMean, o.EffectiveLstStd);
        var output = model.Net switch
        {
            MoCoLskNet net => new MoCoLskEmitter(g, o).Network(net, lr, guidance),
            Srcnn net => baseline.Srcnn(net, lr),
            Djf net => baseline.Djf(net, lr, guidance),
            Fdsr net => baseline.Fdsr(net, lr, guidance),
            var net => throw new NotSupportedException($"{net.GetType().Name}: the ONNX exporter does not know this network"),
        };
        var named = new NodeProto { OpType = "Identity", Name = "output" };
        named.Input.Add(output);
        named.Output.Add(OnnxDownscaler.OutputName);
        g.Graph.Node.Add(named);
        g.Output(OnnxDownscaler.OutputName, "batch", 1L, "height", "width");
        g.Graph.Output[0].DocString = "HR LST in kelvin";

        var m = Model(g.Graph);
        m.DocString = $"{model.Spec.Name} x{o.Scale} LST downscaler written by lstpipe convert: LR LST (K) and normalized HR " +
            "guidance to HR LST (K)";
        var meta = CheckpointMetadata.Write(model.Spec, model.Normalization, model.Contract);
        meta[OnnxDownscaler.SizeMultipleKey] = model.SizeMultiple.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in (extra ?? new Dictionary<string, string>()).Concat(meta).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            m.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return m;
    }

    /// <summary>A model of a graph: IR version, opset, producer.</summary>
    internal static ModelProto Model(GraphProto graph)
    {
        var m = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "lstpipe",
            ProducerVersion = Core.ToolInfo.Version,
            Domain = "org.lstpipe",
            ModelVersion = 1,
            Graph = graph,
        };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return m;
    }

    /// <summary>Writes the model to <paramref name="path"/> (whole, under a temporary name renamed when complete).</summary>
    public static ModelProto Write(Downscaler model, string path, IReadOnlyDictionary<string, string>? extra = null)
    {
        var m = Build(model, extra);
        AtomicFile.WriteAllBytes(path, m.ToByteArray());
        return m;
    }
}
