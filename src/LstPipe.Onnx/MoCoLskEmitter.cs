using LstPipe.Models.MoCoLsk;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Onnx;

/// <summary>
/// MoCoLSK-Net as ONNX operators, mirroring <see cref="MoCoLskNet"/>'s forward: the LST z-score, the stems, the stages
/// with their MoCoLSK bridges, the decoder, the head, the bicubic skip and the way back to Kelvin. The MoCoLSK block's
/// gate kernel is generated in the graph (adaptive pools 1, 2, 3, 6 of the LST and guidance features, the fusion MLP)
/// and applied by a Conv whose weight is that generated tensor, one kernel per sample: ONNX fixes a Conv's group count
/// in the graph, so with a symbolic batch the per-sample convolution runs in a Scan over the batch.
/// </summary>
internal sealed class MoCoLskEmitter(GraphBuilder graph, MoCoLskOptions options) : ModuleEmitter(graph)
{
    /// <summary>The adaptive pool sizes of the token generator (DynamicLsk's).</summary>
    private static readonly long[] PoolSizes = [1, 2, 3, 6];

    private readonly Dictionary<(int Axis, long Index, long Pool), string> _bounds = [];
    private int _scans;

    /// <summary>A value on the HR grid, whose height and width the adaptive pools divide (every HR feature map of
    /// MoCoLSK lies on the guidance's grid: the graph multiplies them by the guidance features).</summary>
    internal string Grid { get; set; } = "";

    /// <summary>Writes the network from the LR LST in Kelvin and the normalized guidance to HR LST in Kelvin.</summary>
    public string Network(MoCoLskNet net, string lr, string guidance)
    {
        var (mean, std) = (options.LstMean, options.EffectiveLstStd);
        Grid = guidance;
        var identity = ZScore(lr, mean, std);
        var l = LeakyRelu(Emit(Child(net, "lst_stem"), "lst_stem", identity), 0.2);
        var g = LeakyRelu(Emit(Child(net, "gui_stem"), "gui_stem", guidance), 0.2);
        var (lstRgs, guiRgs, bridges) = (Child(net, "lst_rgs"), Child(net, "gui_rgs"), Child(net, "bridges"));
        for (var i = 0; i < options.NumStages; i++)
        {
            var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var features = Emit(Child(lstRgs, n), "lst_rgs." + n, l);
            g = Emit(Child(guiRgs, n), "gui_rgs." + n, g);
            l = Bridge(Child(bridges, n), "bridges." + n, features, g);
        }

        var head = Emit(Child(net, "proj_head"), "proj_head", Emit(Child(net, "decoder"), "decoder", l));
        return Kelvin(Add(head, Bicubic(identity, options.Scale)), mean, std);
    }

    /// <summary>A bridge: up-project, gate with the guidance, concatenate, project down.</summary>
    private string Bridge(nn.Module bridge, string path, string lst, string guidance)
    {
        var up = Emit(Child(bridge, "lst_up"), Join(path, "lst_up"), lst);
        var gated = G.Node("Mul", [Lsk((DynamicLsk)Child(bridge, "dlsk"), Join(path, "dlsk"), up, guidance), guidance]);
        return Emit(Child(bridge, "down"), Join(path, "down"), Concat(up, gated));
    }

    /// <summary>The MoCoLSK block: two depthwise branches gated by a 3x3 convolution whose kernel is generated from the
    /// LST and guidance tokens.</summary>
    internal string Lsk(DynamicLsk lsk, string path, string lst, string guidance)
    {
        string Layer(string name, string x) => Emit(Child(lsk, name), Join(path, name), x);
        var a1 = Layer("conv_lst", lst);
        var a2 = Layer("conv_spatial0", a1);
        (a1, a2) = (Layer("conv1", a1), Layer("conv2", a2));
        var attention = Concat(a1, a2);
        var agg = Concat(G.Node("ReduceMean", [attention], Attr.Ints("axes", 1), Attr.Int("keepdims", 1)),
            G.Node("ReduceMax", [attention], Attr.Ints("axes", 1), Attr.Int("keepdims", 1)));
        var weights = Fusion(Child(lsk, "dynamic_mlp"), Join(path, "dynamic_mlp"), Tokens(lst), Tokens(guidance), lsk.BatchMeanKernel);
        var perSample = G.Node("ReduceMean", [weights], Attr.Ints("axes", 1), Attr.Int("keepdims", 0));
        var k = options.MoCoLskKernelSize;
        var gates = lsk.BatchMeanKernel
            ? G.Node("Conv", [agg, G.Node("Reshape", [perSample, G.Ints(2, 2, k, k)])], KernelAttributes(k))
            : PerSampleConv(agg, G.Node("Reshape", [perSample, G.Ints(-1, 2, 2, k, k)]), k);
        var halves = G.Nodes("Split", [G.Node("Sigmoid", [gates]), G.Ints(1, 1)], 2, Attr.Int("axis", 1));
        return Layer("conv", Add(G.Node("Mul", [a1, halves[0]]), G.Node("Mul", [a2, halves[1]])));
    }

    private static AttributeProto[] KernelAttributes(long k) =>
        [Attr.Ints("kernel_shape", k, k), Attr.Ints("pads", k / 2, k / 2, k / 2, k / 2)];

    /// <summary>Sample b's 2-channel map convolved with sample b's generated kernel: a Scan over the batch whose body
    /// is a Conv with the kernel as its weight input.</summary>
    private string PerSampleConv(string agg, string kernels, long k)
    {
        var prefix = $"scan{_scans++}/";
        var body = new GraphBuilder("per_sample_kernel", prefix);
        body.Graph.Input.Add(GraphBuilder.Value(prefix + "map", 2L, null, null));
        body.Graph.Input.Add(GraphBuilder.Value(prefix + "kernel", 2L, 2L, k, k));
        var batched = body.Node("Unsqueeze", [prefix + "map", body.Ints(0)]);
        var conv = body.Node("Conv", [batched, prefix + "kernel"], KernelAttributes(k));
        var gate = body.Node("Squeeze", [conv, body.Ints(0)]);
        body.Graph.Output.Add(GraphBuilder.Value(gate, 2L, null, null));
        return G.Node("Scan", [agg, kernels], Attr.Graph("body", body.Graph), Attr.Int("num_scan_inputs", 2));
    }

    /// <summary>The kernel generator: conv1 on the LST tokens, the dynamic MLPs with the guidance tokens, conv3 + norm3
    /// plus conv4 of the raw LST tokens; averaged over the batch when the model keeps one kernel per batch.</summary>
    private string Fusion(nn.Module fusion, string path, string tokens, string guidance, bool batchMean)
    {
        var x = Emit(Child(fusion, "conv1"), Join(path, "conv1"), tokens);
        foreach (var (name, block) in Child(fusion, "conv2").named_children())
        {
            var blockPath = Join(Join(path, "conv2"), name) + ".dynamic_conv";
            x = DynamicMlp(Child(block, "dynamic_conv"), blockPath, x, guidance);
        }

        x = Add(Emit(Child(fusion, "norm3"), Join(path, "norm3"), Emit(Child(fusion, "conv3"), Join(path, "conv3"), x)),
            Emit(Child(fusion, "conv4"), Join(path, "conv4"), tokens));
        return batchMean ? G.Node("ReduceMean", [x], Attr.Ints("axes", 0), Attr.Int("keepdims", 1)) : x;
    }

    /// <summary>Dynamic MLP A: a per-token in x planes matrix from the guidance token multiplies the token; LayerNorm,
    /// ReLU.</summary>
    private string DynamicMlp(nn.Module mlp, string path, string tokens, string guidance)
    {
        var linear = (Linear)Child(mlp, "get_weight");
        var planes = ((LayerNorm)Child(mlp, "norm")).normalized_shape[0];
        var matrices = G.Node("Reshape", [Emit(linear, Join(path, "get_weight"), guidance),
            G.Ints(0, 0, linear.out_features / planes, planes)]);
        var mixed = G.Node("MatMul", [G.Node("Unsqueeze", [tokens, G.Ints(2)]), matrices]);
        return G.Node("Relu", [Emit(Child(mlp, "norm"), Join(path, "norm"), G.Node("Squeeze", [mixed, G.Ints(2)]))]);
    }

    /// <summary>(B, C, H, W) features to (B, 50, C) tokens: PyTorch's adaptive average pools to 1, 2, 3 and 6, each
    /// flattened row by row.</summary>
    internal string Tokens(string features)
    {
        var pools = PoolSizes.Select(p => G.Node("Reshape", [AdaptivePool(features, p), G.Ints(0, 0, -1)])).ToArray();
        return G.Node("Transpose", [G.Node("Concat", pools, Attr.Int("axis", 2))], Attr.Ints("perm", 0, 2, 1));
    }

    /// <summary>PyTorch's adaptive average pooling to p x p for any height and width: bin i of n pixels spans
    /// [floor(i n / p), ceil((i + 1) n / p)), averaged over the rows of each bin, then over its columns (the mean of the
    /// rectangle).</summary>
    private string AdaptivePool(string x, long p)
    {
        if (p == 1)
        {
            return G.Node("ReduceMean", [x], Attr.Ints("axes", 2, 3), Attr.Int("keepdims", 1));
        }

        var rows = G.Node("Concat", Bins(x, 2, p), Attr.Int("axis", 2));
        return G.Node("Concat", Bins(rows, 3, p), Attr.Int("axis", 3));
    }

    private string[] Bins(string x, int axis, long p) => Enumerable.Range(0, (int)p).Select(i =>
        G.Node("ReduceMean", [G.Node("Slice", [x, Bound(axis, i, p), Bound(axis, i + p, p), G.Ints(axis)])],
            Attr.Ints("axes", axis), Attr.Int("keepdims", 1))).ToArray();

    /// <summary>Bin bounds along an axis of the HR grid (every HR feature map lies on the guidance's grid): for
    /// <paramref name="index"/> below p the start floor(i n / p), else the end ceil((i - p + 1) n / p).</summary>
    private string Bound(int axis, long index, long p)
    {
        if (!_bounds.TryGetValue((axis, -1, 0), out var n))
        {
            n = G.Node("Shape", [Grid], Attr.Int("start", axis), Attr.Int("end", axis + 1));
            _bounds[(axis, -1, 0)] = n;
        }

        if (!_bounds.TryGetValue((axis, index, p), out var name))
        {
            name = index < p
                ? G.Node("Div", [G.Node("Mul", [n, G.Ints(index)]), G.Ints(p)])
                : G.Node("Div", [G.Node("Add", [G.Node("Mul", [n, G.Ints(index - p + 1)]), G.Ints(p - 1)]), G.Ints(p)]);
            _bounds[(axis, index, p)] = name;
        }

        return name;
    }
}
