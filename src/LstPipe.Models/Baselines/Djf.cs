using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LstPipe.Models.Baselines;

/// <summary>DJF, deep joint image filtering (Li et al., ECCV 2016): a target branch on the bicubic-upsampled LR and a
/// guidance branch (each conv 9x9 to 96, ReLU, 1x1 to 48, ReLU, 5x5 to 1), concatenated and fused by conv 9x9 to 64,
/// ReLU, 1x1 to 32, ReLU, 5x5 to 1 (110,755 parameters with ten guidance channels).</summary>
public sealed class Djf : DownscalingNetwork
{
    private readonly Sequential target;
    private readonly Sequential guide;
    private readonly Sequential fusion;
    private readonly (int Scale, double Mean, double Std) _config;

    /// <summary>Creates the network.</summary>
    public Djf(int scale, int guidanceChannels, double lstMean, double lstStd) : base(nameof(Djf))
    {
        _config = (scale, lstMean, lstStd);
        target = Branch(1, 96, 48, 1);
        guide = Branch(guidanceChannels, 96, 48, 1);
        fusion = Branch(2, 64, 32, 1);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor lst, Tensor guidance)
    {
        var up = Bicubic(lst.ZScore(_config.Mean, _config.Std), _config.Scale);
        var fused = fusion.call(cat([target.call(ToBody(up)), guide.call(ToBody(guidance))], 1));
        return ToFloat(fused).Kelvin(_config.Mean, _config.Std);
    }

    private static Sequential Branch(long input, long first, long second, long output) => Sequential(
        Conv2d(input, first, 9, padding: 4), ReLU(), Conv2d(first, second, 1), ReLU(), Conv2d(second, output, 5, padding: 2));
}
