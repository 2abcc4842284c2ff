using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LstPipe.Models.MoCoLsk;

/// <summary>The convolutions of the RCAN and DBPN families.</summary>
internal static class Convs
{
    /// <summary>A k x k convolution with "same" padding (RCAN's <c>default_conv</c>).</summary>
    public static Conv2d Same(long inChannels, long outChannels, long kernelSize, bool bias = true) =>
        Conv2d(inChannels, outChannels, kernelSize, padding: kernelSize / 2, bias: bias);

    /// <summary>Kernel, stride and padding of the DBPN projection convolutions per scale.</summary>
    public static (long Kernel, long Stride, long Padding) Projection(int scale) => scale switch
    {
        2 => (6, 2, 2),
        4 => (8, 4, 2),
        8 => (12, 8, 2),
        16 => (20, 16, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be 2, 4, 8 or 16"),
    };

    /// <summary>A projection convolution: transposed when going up to HR.</summary>
    public static Module<Tensor, Tensor> Projection(long inChannels, long outChannels, int scale, bool up)
    {
        var (k, s, p) = Projection(scale);
        return up ? ConvTranspose2d(inChannels, outChannels, k, stride: s, padding: p) : Conv2d(inChannels, outChannels, k,
            stride: s, padding: p);
    }
}

/// <summary>Channel attention (<c>conv_du</c>: global average pool, 1x1 C to C/r, ReLU, 1x1 back, sigmoid, multiply).</summary>
public sealed class ChannelAttention : Module<Tensor, Tensor>
{
    private readonly Sequential conv_du;

    /// <summary>Creates the layer.</summary>
    public ChannelAttention(long channels, long reduction) : base(nameof(ChannelAttention))
    {
        conv_du = Sequential(Conv2d(channels, channels / reduction, 1), ReLU(), Conv2d(channels / reduction, channels, 1), Sigmoid());
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input * conv_du.call(functional.adaptive_avg_pool2d(input, 1));
}

/// <summary>Residual channel attention block: conv, LeakyReLU(0.2), conv, channel attention, plus the input.</summary>
public sealed class Rcab : Module<Tensor, Tensor>
{
    private readonly Sequential body;

    /// <summary>Creates the block.</summary>
    public Rcab(long channels, long kernelSize, long reduction) : base(nameof(Rcab))
    {
        body = Sequential(Convs.Same(channels, channels, kernelSize), new LeakyRelu(0.2), Convs.Same(channels, channels,
            kernelSize), new ChannelAttention(channels, reduction));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => body.call(input).Plus(input);
}

/// <summary>Residual group: <c>n</c> RCABs and a conv, plus the input.</summary>
public sealed class ResidualGroup : Module<Tensor, Tensor>
{
    private readonly Sequential body;

    /// <summary>Creates the group.</summary>
    public ResidualGroup(long channels, long kernelSize, long reduction, int blocks) : base(nameof(ResidualGroup))
    {
        var layers = Enumerable.Range(0, blocks).Select(_ => (Module<Tensor, Tensor>)new Rcab(channels, kernelSize, reduction)).ToList();
        layers.Add(Convs.Same(channels, channels, kernelSize));
        body = Sequential(layers);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => body.call(input).Plus(input);
}

/// <summary>DBPN dense projection without bottleneck: a0 = conv_1(x); out = a0 + conv_3(conv_2(a0) - x), each conv with
/// a per-channel PReLU; conv_1 and conv_3 change resolution (transposed when going up), conv_2 goes back.</summary>
public sealed class DenseProjection : Module<Tensor, Tensor>
{
    private readonly Sequential conv_1;
    private readonly Sequential conv_2;
    private readonly Sequential conv_3;

    /// <summary>Creates the projection from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public DenseProjection(long inChannels, long outChannels, int scale, bool up) : base(nameof(DenseProjection))
    {
        conv_1 = Sequential(Convs.Projection(inChannels, outChannels, scale, up), PReLU(outChannels));
        conv_2 = Sequential(Convs.Projection(outChannels, inChannels, scale, !up), PReLU(inChannels));
        conv_3 = Sequential(Convs.Projection(inChannels, outChannels, scale, up), PReLU(outChannels));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var a0 = conv_1.call(input);
        var e = conv_2.call(a0) - input;
        return a0.Plus(conv_3.call(e));
    }
}
