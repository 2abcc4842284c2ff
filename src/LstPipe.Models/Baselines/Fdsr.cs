using LstPipe.Torch;
using LstPipe.Torch.NN;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Models.Baselines;

/// <summary>
/// FDSR, fast depth super-resolution (He et al., CVPR 2021), as GrokLST configures it for LST: the bicubic-upsampled,
/// z-scored LR and the HR guidance are each pixel-unshuffled by 4; a guidance branch of three octave convolutions
/// (a quarter of the channels at half resolution) feeds its high-frequency part into a chain of four multi-scale
/// residual blocks on the LST branch (32, 56, 80, 104 channels); two conv + pixel-shuffle steps return to full
/// resolution and a 3x3 conv predicts the residual over the upsampled LR (642,577 parameters with ten guidance
/// channels). Names follow the GrokLST module so its PyTorch class loads these weights strictly. The HR size must be a
/// multiple of 8 (unshuffle by 4, then the octave's half resolution).
/// </summary>
public sealed class Fdsr : DownscalingNetwork
{
    private const int Features = 32;
    private const int Unshuffle = 4;
    private readonly (int Scale, double Mean, double Std) _config;
    private readonly Conv2d _convRgb1;
    private readonly OctaveConvAct _rgbCbl2;
    private readonly OctaveConvAct _rgbCbl3;
    private readonly OctaveConvAct _rgbCbl4;
    private readonly Conv2d _convDp1;
    private readonly MultiScaleResidualBlock[] _msb;
    private readonly Conv2d _convRecon1;
    private readonly Conv2d _convRecon2;
    private readonly Conv2d _restore;

    /// <summary>Creates the network.</summary>
    public Fdsr(int scale, int guidanceChannels, double lstMean, double lstStd)
    {
        _config = (scale, lstMean, lstStd);
        const int high = Features - (Features / 4);
        _convRgb1 = RegisterModule("conv_rgb1", new Conv2d(guidanceChannels * Unshuffle * Unshuffle, Features, 3, padding: 1));
        _rgbCbl2 = RegisterModule("rgb_cbl2", new OctaveConvAct(Features, Features, alphaIn: 0, alphaOut: 0.25));
        _rgbCbl3 = RegisterModule("rgb_cbl3", new OctaveConvAct(Features, Features, alphaIn: 0.25, alphaOut: 0.25));
        _rgbCbl4 = RegisterModule("rgb_cbl4", new OctaveConvAct(Features, Features, alphaIn: 0.25, alphaOut: 0.25));
        _convDp1 = RegisterModule("conv_dp1", new Conv2d(Unshuffle * Unshuffle, Features, 3, padding: 1));
        _msb = [.. Enumerable.Range(0, 4).Select(i => RegisterModule($"MSB{i + 1}", new MultiScaleResidualBlock(Features + (i * high))))];
        _convRecon1 = RegisterModule("conv_recon1", new Conv2d(Features + (3 * high), 4 * Features, 3, padding: 1));
        _convRecon2 = RegisterModule("conv_recon2", new Conv2d(Features, 4 * Features, 3, padding: 1));
        _restore = RegisterModule("restore", new Conv2d(Features, 1, 3, padding: 1));
    }

    /// <inheritdoc/>
    public override int SizeMultiple => 2 * Unshuffle;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor lst, Tensor guidance)
    {
        CheckSize(guidance);
        var up = Interpolate((lst - _config.Mean) / _config.Std, _config.Scale, InterpolationMode.Bicubic);
        var depth = _msb[0].Forward(LeakyRelu(_convDp1.Forward(PixelUnshuffle(up, Unshuffle)), 0.2));
        var rgb = _rgbCbl2.Forward((LeakyRelu(_convRgb1.Forward(PixelUnshuffle(guidance, Unshuffle)), 0.2), null));
        depth = _msb[1].Forward(Torch.Torch.Cat([depth, rgb.High], 1));
        rgb = _rgbCbl3.Forward(rgb);
        depth = _msb[2].Forward(Torch.Torch.Cat([depth, rgb.High], 1));
        rgb = _rgbCbl4.Forward(rgb);
        depth = _msb[3].Forward(Torch.Torch.Cat([depth, rgb.High], 1));
        var x = PixelShuffle(_convRecon1.Forward(LeakyRelu(depth, 0.2)), 2);
        x = PixelShuffle(_convRecon2.Forward(x), 2);
        return (_restore.Forward(x) + up) * _config.Std + _config.Mean;
    }

    /// <summary>Multi-scale residual block: 3x3 and dilated 3x3 convs (LeakyReLU 0.2) summed, a 1x1 conv, plus the
    /// input.</summary>
    private sealed class MultiScaleResidualBlock : Layer
    {
        private readonly Conv2d _conv1;
        private readonly Conv2d _conv2;
        private readonly Conv2d _conv4;

        public MultiScaleResidualBlock(int channels)
        {
            _conv1 = RegisterModule("conv1", new Conv2d(channels, channels, 3, padding: 1));
            _conv2 = RegisterModule("conv2", new Conv2d(channels, channels, 3, padding: 2, dilation: 2));
            _conv4 = RegisterModule("conv4", new Conv2d(channels, channels, 1));
        }

        public override Tensor Forward(Tensor input) =>
            _conv4.Forward(LeakyRelu(_conv1.Forward(input), 0.2) + LeakyRelu(_conv2.Forward(input), 0.2)) + input;
    }

    /// <summary>Octave convolution (Chen et al., ICCV 2019) with stride 1 and no bias, then LeakyReLU 0.2 on both parts:
    /// <c>alphaIn</c> / <c>alphaOut</c> of the channels live at half resolution; high-to-low paths average-pool by 2 first,
    /// low-to-high paths upsample by 2 (nearest) after.</summary>
    private sealed class OctaveConvAct : Module
    {
        private readonly Conv2d? _l2l;
        private readonly Conv2d? _l2h;
        private readonly Conv2d? _h2l;
        private readonly Conv2d _h2h;

        public OctaveConvAct(int inChannels, int outChannels, double alphaIn, double alphaOut)
        {
            var (lowIn, lowOut) = ((int)(alphaIn * inChannels), (int)(alphaOut * outChannels));
            var conv = RegisterModule("conv", new Holder());
            _l2l = lowIn > 0 && lowOut > 0 ? conv.Add("conv_l2l", new Conv2d(lowIn, lowOut, 3, padding: 1, bias: false)) : null;
            _l2h = lowIn > 0 ? conv.Add("conv_l2h", new Conv2d(lowIn, outChannels - lowOut, 3, padding: 1, bias: false)) : null;
            _h2l = lowOut > 0 ? conv.Add("conv_h2l", new Conv2d(inChannels - lowIn, lowOut, 3, padding: 1, bias: false)) : null;
            _h2h = conv.Add("conv_h2h", new Conv2d(inChannels - lowIn, outChannels - lowOut, 3, padding: 1, bias: false));
        }

        public (Tensor High, Tensor? Low) Forward((Tensor High, Tensor? Low) input)
        {
            var high = _h2h.Forward(input.High);
            var low = _h2l?.Forward(AvgPool2d(input.High, 2));
            if (input.Low is not null && _l2h is not null)
            {
                high += Interpolate(_l2h.Forward(input.Low), 2);
                low = _l2l is null ? null : low is null ? _l2l.Forward(input.Low) : low + _l2l.Forward(input.Low);
            }

            return (LeakyRelu(high, 0.2), low is null ? null : LeakyRelu(low, 0.2));
        }

        /// <summary>The inner <c>conv</c> module that owns the four convolutions, for GrokLST's parameter names.</summary>
        private sealed class Holder : Module
        {
            public Conv2d Add(string name, Conv2d conv) => RegisterModule(name, conv);
        }
    }
}
