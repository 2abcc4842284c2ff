using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

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
    private readonly Conv2d conv_rgb1;
    private readonly OctaveConvAct rgb_cbl2;
    private readonly OctaveConvAct rgb_cbl3;
    private readonly OctaveConvAct rgb_cbl4;
    private readonly Conv2d conv_dp1;
    private readonly MultiScaleResidualBlock MSB1;
    private readonly MultiScaleResidualBlock MSB2;
    private readonly MultiScaleResidualBlock MSB3;
    private readonly MultiScaleResidualBlock MSB4;
    private readonly Conv2d conv_recon1;
    private readonly Conv2d conv_recon2;
    private readonly Conv2d restore;

    /// <summary>Creates the network.</summary>
    public Fdsr(int scale, int guidanceChannels, double lstMean, double lstStd) : base(nameof(Fdsr))
    {
        _config = (scale, lstMean, lstStd);
        const int high = Features - (Features / 4);
        conv_rgb1 = Conv2d(guidanceChannels * Unshuffle * Unshuffle, Features, 3, padding: 1);
        rgb_cbl2 = new OctaveConvAct(Features, Features, alphaIn: 0, alphaOut: 0.25);
        rgb_cbl3 = new OctaveConvAct(Features, Features, alphaIn: 0.25, alphaOut: 0.25);
        rgb_cbl4 = new OctaveConvAct(Features, Features, alphaIn: 0.25, alphaOut: 0.25);
        conv_dp1 = Conv2d(Unshuffle * Unshuffle, Features, 3, padding: 1);
        MSB1 = new MultiScaleResidualBlock(Features);
        MSB2 = new MultiScaleResidualBlock(Features + high);
        MSB3 = new MultiScaleResidualBlock(Features + (2 * high));
        MSB4 = new MultiScaleResidualBlock(Features + (3 * high));
        conv_recon1 = Conv2d(Features + (3 * high), 4 * Features, 3, padding: 1);
        conv_recon2 = Conv2d(Features, 4 * Features, 3, padding: 1);
        restore = Conv2d(Features, 1, 3, padding: 1);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override int SizeMultiple => 2 * Unshuffle;

    /// <inheritdoc/>
    public override Tensor forward(Tensor lst, Tensor guidance)
    {
        CheckSize(guidance);
        var up = Bicubic(lst.ZScore(_config.Mean, _config.Std), _config.Scale);
        var depth = MSB1.call(conv_dp1.call(F.pixel_unshuffle(ToBody(up), Unshuffle)).LeakyRelu(0.2));
        var rgb = rgb_cbl2.call((conv_rgb1.call(F.pixel_unshuffle(ToBody(guidance), Unshuffle)).LeakyRelu(0.2), null));
        depth = MSB2.call(cat([depth, rgb.High], 1));
        rgb = rgb_cbl3.call(rgb);
        depth = MSB3.call(cat([depth, rgb.High], 1));
        rgb = rgb_cbl4.call(rgb);
        depth = MSB4.call(cat([depth, rgb.High], 1));
        var x = F.pixel_shuffle(conv_recon1.call(depth.LeakyRelu(0.2)), 2);
        x = F.pixel_shuffle(conv_recon2.call(x), 2);
        return ToFloat(restore.call(x)).Plus(up).Kelvin(_config.Mean, _config.Std);
    }

    /// <summary>Multi-scale residual block: 3x3 and dilated 3x3 convs (LeakyReLU 0.2) summed, a 1x1 conv, plus the
    /// input.</summary>
    private sealed class MultiScaleResidualBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly Conv2d conv2;
        private readonly Conv2d conv4;

        public MultiScaleResidualBlock(long channels) : base(nameof(MultiScaleResidualBlock))
        {
            conv1 = Conv2d(channels, channels, 3, padding: 1);
            conv2 = Conv2d(channels, channels, 3, padding: 2, dilation: 2);
            conv4 = Conv2d(channels, channels, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) =>
            conv4.call(conv1.call(input).LeakyRelu(0.2).Plus(conv2.call(input).LeakyRelu(0.2))).Plus(input);
    }

    /// <summary>Octave convolution (Chen et al., ICCV 2019) with stride 1 and no bias, then LeakyReLU 0.2 on both parts:
    /// <c>alphaIn</c> / <c>alphaOut</c> of the channels live at half resolution; high-to-low paths average-pool by 2 first,
    /// low-to-high paths upsample by 2 (nearest) after.</summary>
    private sealed class OctaveConvAct : Module<(Tensor High, Tensor? Low), (Tensor High, Tensor? Low)>
    {
        private readonly OctaveConv conv;

        public OctaveConvAct(long inChannels, long outChannels, double alphaIn, double alphaOut) : base(nameof(OctaveConvAct))
        {
            conv = new OctaveConv(inChannels, outChannels, alphaIn, alphaOut);
            RegisterComponents();
        }

        public override (Tensor High, Tensor? Low) forward((Tensor High, Tensor? Low) input)
        {
            var (high, low) = conv.call(input);
            return (high.LeakyRelu(0.2), low?.LeakyRelu(0.2));
        }
    }

    /// <summary>The four paths of an octave convolution (<c>conv_h2h</c>, <c>conv_h2l</c>, <c>conv_l2h</c>,
    /// <c>conv_l2l</c>), those the channel split needs.</summary>
    private sealed class OctaveConv : Module<(Tensor High, Tensor? Low), (Tensor High, Tensor? Low)>
    {
        private readonly Conv2d? conv_l2l;
        private readonly Conv2d? conv_l2h;
        private readonly Conv2d? conv_h2l;
        private readonly Conv2d conv_h2h;

        public OctaveConv(long inChannels, long outChannels, double alphaIn, double alphaOut) : base(nameof(OctaveConv))
        {
            var (lowIn, lowOut) = ((long)(alphaIn * inChannels), (long)(alphaOut * outChannels));
            conv_l2l = lowIn > 0 && lowOut > 0 ? Conv2d(lowIn, lowOut, 3, padding: 1, bias: false) : null;
            conv_l2h = lowIn > 0 ? Conv2d(lowIn, outChannels - lowOut, 3, padding: 1, bias: false) : null;
            conv_h2l = lowOut > 0 ? Conv2d(inChannels - lowIn, lowOut, 3, padding: 1, bias: false) : null;
            conv_h2h = Conv2d(inChannels - lowIn, outChannels - lowOut, 3, padding: 1, bias: false);
            RegisterComponents();
        }

        public override (Tensor High, Tensor? Low) forward((Tensor High, Tensor? Low) input)
        {
            var high = conv_h2h.call(input.High);
            var low = conv_h2l?.call(F.avg_pool2d(input.High, 2));
            if (input.Low is not null && conv_l2h is not null)
            {
                high = high.Plus(F.interpolate(conv_l2h.call(input.Low), scale_factor: [2, 2]));
                low = conv_l2l is null ? null : low is null ? conv_l2l.call(input.Low) : low.Plus(conv_l2l.call(input.Low));
            }

            return (high, low);
        }
    }
}
