using LstPipe.Models.MoCoLsk;
using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Onnx;

/// <summary>
/// Writes TorchSharp modules into a graph as the ONNX operators that compute what their forwards compute: the layers
/// (Conv2d, ConvTranspose2d, Linear, LayerNorm, PReLU, LeakyReLU, ReLU, Sigmoid, Sequential) from their own
/// configuration and weights, and the residual blocks MoCoLSK shares with RCAN and DBPN (channel attention, RCAB,
/// residual group, dense projection) from their children. Weights keep their state-dict names.
/// </summary>
internal class ModuleEmitter(GraphBuilder graph)
{
    /// <summary>The graph written to.</summary>
    protected GraphBuilder G { get; } = graph;

    /// <summary>Writes <paramref name="module"/> (named <paramref name="path"/> in the state dict) applied to
    /// <paramref name="x"/> and returns its output.</summary>
    /// <exception cref="NotSupportedException">A module this exporter does not know.</exception>
    public string Emit(nn.Module module, string path, string x) => module switch
    {
        Conv2d c => Conv(c, path, x),
        ConvTranspose2d c => ConvTranspose(c, path, x),
        Linear l => Linear(l, path, x),
        LayerNorm n => LayerNorm(n, path, x),
        PReLU p => G.Node("PRelu", [x, G.Weight(path + ".weight", p.weight, [p.weight.shape[0], 1, 1])]),
        LeakyReLU r => LeakyRelu(x, r.negative_slope),
        LstPipe.Models.LeakyRelu r => LeakyRelu(x, r.NegativeSlope),
        ReLU => G.Node("Relu", [x]),
        Sigmoid => G.Node("Sigmoid", [x]),
        Sequential s => s.named_children().Aggregate(x, (h, c) => Emit(c.module, Join(path, c.name), h)),
        ChannelAttention => G.Node("Mul", [x, Emit(Child(module, "conv_du"), Join(path, "conv_du"), G.Node("GlobalAveragePool", [x]))]),
        Rcab or ResidualGroup => Add(Emit(Child(module, "body"), Join(path, "body"), x), x),
        DenseProjection => Projection(module, path, x),
        _ => throw new NotSupportedException($"{path}: a {module.GetType().Name}, which the ONNX exporter does not know"),
    };

    /// <summary>A child module by its state-dict name.</summary>
    public static nn.Module Child(nn.Module module, string name) =>
        module.named_children().FirstOrDefault(c => c.name == name).module
        ?? throw new NotSupportedException($"{module.GetType().Name} has no child '{name}'");

    /// <summary>Whether a module has a child of that name (optional layers are not registered when absent).</summary>
    public static bool HasChild(nn.Module module, string name) => module.named_children().Any(c => c.name == name);

    /// <summary>A dotted state-dict path.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>LeakyReLU with PyTorch's slope.</summary>
    public string LeakyRelu(string x, double slope) => G.Node("LeakyRelu", [x], Attr.Float("alpha", (float)slope));

    /// <summary>Elementwise sum.</summary>
    public string Add(string a, string b) => G.Node("Add", [a, b]);

    /// <summary>Concatenation along the channels.</summary>
    public string Concat(params string[] xs) => G.Node("Concat", xs, Attr.Int("axis", 1));

    /// <summary>The LST z-score the networks apply to their Kelvin input: (x - mean) / std in float32.</summary>
    public string ZScore(string kelvin, double mean, double std) =>
        G.Node("Div", [G.Node("Sub", [kelvin, G.Const((float)mean)]), G.Const((float)std)]);

    /// <summary>Back to Kelvin: x * std + mean in float32.</summary>
    public string Kelvin(string z, double mean, double std) =>
        G.Node("Add", [G.Node("Mul", [z, G.Const((float)std)]), G.Const((float)mean)]);

    /// <summary>PyTorch's bicubic upsampling by an integer factor (A = -0.75, align_corners false: half-pixel centres,
    /// neighbours clamped at the edges).</summary>
    public string Bicubic(string x, int scale) => G.Node("Resize", [x, "", G.Const(1, 1, scale, scale)],
        Attr.String("mode", "cubic"), Attr.Float("cubic_coeff_a", -0.75f), Attr.String("coordinate_transformation_mode", "half_pixel"),
        Attr.Int("exclude_outside", 0));

    private string Conv(Conv2d c, string path, string x)
    {
        RefusePadding(c, path);
        var inputs = new List<string> { x, G.Weight(path + ".weight", c.weight) };
        if (c.bias is not null)
        {
            inputs.Add(G.Weight(path + ".bias", c.bias));
        }

        return G.Node("Conv", inputs, ConvAttributes(c));
    }

    private string ConvTranspose(ConvTranspose2d c, string path, string x)
    {
        RefusePadding(c, path);
        var inputs = new List<string> { x, G.Weight(path + ".weight", c.weight) };
        if (c.bias is not null)
        {
            inputs.Add(G.Weight(path + ".bias", c.bias));
        }

        return G.Node("ConvTranspose", inputs, [.. ConvAttributes(c), Attr.Ints("output_padding", c.output_padding)]);
    }

    private static AttributeProto[] ConvAttributes(Convolution c) =>
    [
        Attr.Ints("kernel_shape", c.kernel_size),
        Attr.Ints("strides", c.stride),
        Attr.Ints("pads", [.. c.padding!, .. c.padding!]),
        Attr.Ints("dilations", c.dilation),
        Attr.Int("group", c.groups),
    ];

    private static void RefusePadding(Convolution c, string path)
    {
        if (c.padding_mode != PaddingModes.Zeros || c.padding_type is not null || c.padding is not { Length: 2 }
            || c.kernel_size.Length != 2)
        {
            throw new NotSupportedException($"{path}: a convolution with {c.padding_mode} or implicit padding, which the ONNX " +
                $"exporter does not write");
        }
    }

    private string Linear(Linear l, string path, string x)
    {
        using var transposed = l.weight.detach().t();
        var y = G.Node("MatMul", [x, G.Weight(path + ".weight.T", transposed)]);
        return l.bias is null ? y : Add(y, G.Weight(path + ".bias", l.bias));
    }

    private string LayerNorm(LayerNorm n, string path, string x)
    {
        if (n.normalized_shape.Length != 1 || n.weight is null || n.bias is null)
        {
            throw new NotSupportedException($"{path}: a LayerNorm over {n.normalized_shape.Length} dimensions or without affine " +
                $"weights, which the ONNX exporter does not write");
        }

        return G.Node("LayerNormalization", [x, G.Weight(path + ".weight", n.weight), G.Weight(path + ".bias", n.bias)],
            Attr.Int("axis", -1), Attr.Float("epsilon", (float)n.eps));
    }

    /// <summary>DBPN's dense projection: a0 = conv_1(x); a0 + conv_3(conv_2(a0) - x).</summary>
    private string Projection(nn.Module module, string path, string x)
    {
        var a0 = Emit(Child(module, "conv_1"), Join(path, "conv_1"), x);
        var e = G.Node("Sub", [Emit(Child(module, "conv_2"), Join(path, "conv_2"), a0), x]);
        return Add(a0, Emit(Child(module, "conv_3"), Join(path, "conv_3"), e));
    }
}
