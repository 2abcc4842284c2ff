using LstPipe.Torch;
using LstPipe.Torch.NN;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Models.MoCoLsk;

/// <summary>A k x k convolution with "same" padding (the RCAN family's <c>default_conv</c>).</summary>
internal static class Convs
{
    public static Conv2d Same(int inChannels, int outChannels, int kernelSize, bool bias = true) =>
        new(inChannels, outChannels, kernelSize, padding: kernelSize / 2, bias: bias);

    /// <summary>Kernel, stride and padding of the DBPN projection convolutions per scale.</summary>
    public static (int Kernel, int Stride, int Padding) Projection(int scale) => scale switch
    {
        2 => (6, 2, 2),
        4 => (8, 4, 2),
        8 => (12, 8, 2),
        16 => (20, 16, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be 2, 4, 8 or 16"),
    };

    public static Layer Projection(int inChannels, int outChannels, int scale, bool up)
    {
        var (k, s, p) = Projection(scale);
        return up ? new ConvTranspose2d(inChannels, outChannels, k, stride: s, padding: p) : new Conv2d(inChannels, outChannels, k, stride: s, padding: p);
    }
}

/// <summary>Channel attention (<c>conv_du</c>: global average pool, 1x1 C to C/r, ReLU, 1x1 back, sigmoid, multiply).</summary>
public sealed class ChannelAttention : Layer
{
    private readonly Sequential _convDu;

    /// <summary>Creates the layer.</summary>
    public ChannelAttention(int channels, int reduction)
    {
        _convDu = RegisterModule("conv_du", new Sequential(
            new Conv2d(channels, channels / reduction, 1), Activations.ReLU(), new Conv2d(channels / reduction, channels, 1), Activations.Sigmoid()));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input * _convDu.Forward(AdaptiveAvgPool2d(input, 1, 1));
}

/// <summary>Residual channel attention block: conv, LeakyReLU(0.2), conv, channel attention, plus the input.</summary>
public sealed class Rcab : Layer
{
    private readonly Sequential _body;

    /// <summary>Creates the block.</summary>
    public Rcab(int channels, int kernelSize, int reduction)
    {
        _body = RegisterModule("body", new Sequential(
            Convs.Same(channels, channels, kernelSize), Activations.LeakyReLU(0.2), Convs.Same(channels, channels, kernelSize), new ChannelAttention(channels, reduction)));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _body.Forward(input) + input;
}

/// <summary>Residual group: <c>n</c> RCABs and a conv, plus the input.</summary>
public sealed class ResidualGroup : Layer
{
    private readonly Sequential _body;

    /// <summary>Creates the group.</summary>
    public ResidualGroup(int channels, int kernelSize, int reduction, int blocks)
    {
        _body = RegisterModule("body", new Sequential());
        for (var i = 0; i < blocks; i++)
        {
            _body.Add(new Rcab(channels, kernelSize, reduction));
        }

        _body.Add(Convs.Same(channels, channels, kernelSize));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _body.Forward(input) + input;
}

/// <summary>DBPN dense projection without bottleneck: a0 = conv_1(x); out = a0 + conv_3(conv_2(a0) - x), each conv with
/// a per-channel PReLU; conv_1 and conv_3 change resolution (transposed when going up), conv_2 goes back.</summary>
public sealed class DenseProjection : Layer
{
    private readonly Sequential _conv1;
    private readonly Sequential _conv2;
    private readonly Sequential _conv3;

    /// <summary>Creates the projection from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public DenseProjection(int inChannels, int outChannels, int scale, bool up)
    {
        _conv1 = RegisterModule("conv_1", new Sequential(Convs.Projection(inChannels, outChannels, scale, up), new PReLU(outChannels)));
        _conv2 = RegisterModule("conv_2", new Sequential(Convs.Projection(outChannels, inChannels, scale, !up), new PReLU(inChannels)));
        _conv3 = RegisterModule("conv_3", new Sequential(Convs.Projection(inChannels, outChannels, scale, up), new PReLU(outChannels)));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var a0 = _conv1.Forward(input);
        var e = _conv2.Forward(a0) - input;
        return a0 + _conv3.Forward(e);
    }
}
