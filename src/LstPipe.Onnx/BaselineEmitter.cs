using LstPipe.Models.Baselines;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Onnx;

/// <summary>The baselines as ONNX operators, mirroring their forwards: SRCNN and DJF on the bicubic-upsampled z-scored
/// LR; FDSR with its pixel unshuffles (PyTorch's channel order, by reshape and transpose), octave convolutions and
/// pixel shuffles (DepthToSpace, CRD order).</summary>
internal sealed class BaselineEmitter(GraphBuilder graph, int scale, double mean, double std) : ModuleEmitter(graph)
{
    /// <summary>SRCNN: body on the upsampled LR.</summary>
    public string Srcnn(Srcnn net, string lr)
    {
        var up = Bicubic(ZScore(lr, mean, std), scale);
        return Kelvin(Emit(Child(net, "body"), "body", up), mean, std);
    }

    /// <summary>DJF: target and guidance branches, concatenated and fused.</summary>
    public string Djf(Djf net, string lr, string guidance)
    {
        var up = Bicubic(ZScore(lr, mean, std), scale);
        var fused = Concat(Emit(Child(net, "target"), "target", up), Emit(Child(net, "guide"), "guide", guidance));
        return Kelvin(Emit(Child(net, "fusion"), "fusion", fused), mean, std);
    }

    /// <summary>FDSR: the LST branch of multi-scale residual blocks fed by the guidance branch's high frequencies.</summary>
    public string Fdsr(Fdsr net, string lr, string guidance)
    {
        string Layer(string name, string x) => Emit(Child(net, name), name, x);
        var r = (long)Math.Round(Math.Sqrt(((Conv2d)Child(net, "conv_dp1")).in_channels));
        var channels = ((Conv2d)Child(net, "conv_rgb1")).in_channels / (r * r);
        var up = Bicubic(ZScore(lr, mean, std), scale);
        var depth = Block(net, "MSB1", LeakyRelu(Layer("conv_dp1", Unshuffle(up, 1, r)), 0.2));
        var rgb = Octave(net, "rgb_cbl2", (LeakyRelu(Layer("conv_rgb1", Unshuffle(guidance, channels, r)), 0.2), null));
        depth = Block(net, "MSB2", Concat(depth, rgb.High));
        rgb = Octave(net, "rgb_cbl3", rgb);
        depth = Block(net, "MSB3", Concat(depth, rgb.High));
        rgb = Octave(net, "rgb_cbl4", rgb);
        depth = Block(net, "MSB4", Concat(depth, rgb.High));
        var x = Shuffle(Layer("conv_recon1", LeakyRelu(depth, 0.2)));
        x = Shuffle(Layer("conv_recon2", x));
        return Kelvin(Add(Layer("restore", x), up), mean, std);
    }

    /// <summary>Multi-scale residual block: conv4(leaky(conv1 x) + leaky(conv2 x)) + x.</summary>
    private string Block(nn.Module net, string name, string x)
    {
        var block = Child(net, name);
        string Layer(string child, string input) => Emit(Child(block, child), $"{name}.{child}", input);
        return Add(Layer("conv4", Add(LeakyRelu(Layer("conv1", x), 0.2), LeakyRelu(Layer("conv2", x), 0.2))), x);
    }

    /// <summary>Octave convolution and LeakyReLU on both parts; the paths the channel split has.</summary>
    private (string High, string? Low) Octave(nn.Module net, string name, (string High, string? Low) input)
    {
        var conv = Child(Child(net, name), "conv");
        string? Path(string child, string x) => HasChild(conv, child) ? Emit(Child(conv, child), $"{name}.conv.{child}", x) : null;
        var high = Path("conv_h2h", input.High)!;
        var low = Path("conv_h2l", G.Node("AveragePool", [input.High], Attr.Ints("kernel_shape", 2, 2), Attr.Ints("strides", 2, 2)));
        if (input.Low is not null && Path("conv_l2h", input.Low) is { } fromLow)
        {
            high = Add(high, G.Node("Resize", [fromLow, "", G.Const(1, 1, 2, 2)], Attr.String("mode", "nearest"),
                Attr.String("coordinate_transformation_mode", "asymmetric"), Attr.String("nearest_mode", "floor")));
            var lowToLow = Path("conv_l2l", input.Low);
            low = lowToLow is null ? null : low is null ? lowToLow : Add(low, lowToLow);
        }

        return (LeakyRelu(high, 0.2), low is null ? null : LeakyRelu(low, 0.2));
    }

    /// <summary>PyTorch's pixel_unshuffle by r: (N, C, H, W) to (N, C r r, H/r, W/r), channel c r r + i r + j.</summary>
    private string Unshuffle(string x, long channels, long r)
    {
        var quarterWidth = G.Node("Div", [G.Node("Shape", [x], Attr.Int("start", 3), Attr.Int("end", 4)), G.Ints(r)]);
        var split = G.Node("Reshape", [x, G.Node("Concat", [G.Ints(0, channels, -1, r), quarterWidth, G.Ints(r)], Attr.Int("axis", 0))]);
        var moved = G.Node("Transpose", [split], Attr.Ints("perm", 0, 1, 3, 5, 2, 4));
        return G.Node("Reshape", [moved, G.Node("Concat", [G.Ints(0, channels * r * r, -1), quarterWidth], Attr.Int("axis", 0))]);
    }

    /// <summary>PyTorch's pixel_shuffle by 2 (DepthToSpace in CRD order).</summary>
    private string Shuffle(string x) => G.Node("DepthToSpace", [x], Attr.Int("blocksize", 2), Attr.String("mode", "CRD"));
}
