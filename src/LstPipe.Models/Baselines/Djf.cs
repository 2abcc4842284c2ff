using LstPipe.Torch;
using LstPipe.Torch.NN;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Models.Baselines;

/// <summary>DJF, deep joint image filtering (Li et al., ECCV 2016): a target branch on the bicubic-upsampled LR and a
/// guidance branch (each conv 9x9 to 96, ReLU, 1x1 to 48, ReLU, 5x5 to 1), concatenated and fused by conv 9x9 to 64,
/// ReLU, 1x1 to 32, ReLU, 5x5 to 1 (110,755 parameters with ten guidance channels).</summary>
public sealed class Djf : DownscalingNetwork
{
    private readonly Sequential _target;
    private readonly Sequential _guide;
    private readonly Sequential _fusion;
    private readonly (int Scale, double Mean, double Std) _config;

    /// <summary>Creates the network.</summary>
    public Djf(int scale, int guidanceChannels, double lstMean, double lstStd)
    {
        _config = (scale, lstMean, lstStd);
        _target = RegisterModule("target", Branch(1, 96, 48, 1));
        _guide = RegisterModule("guide", Branch(guidanceChannels, 96, 48, 1));
        _fusion = RegisterModule("fusion", Branch(2, 64, 32, 1));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor lst, Tensor guidance)
    {
        var up = Interpolate((lst - _config.Mean) / _config.Std, _config.Scale, InterpolationMode.Bicubic);
        var fused = _fusion.Forward(Torch.Torch.Cat([_target.Forward(up), _guide.Forward(guidance)], 1));
        return fused * _config.Std + _config.Mean;
    }

    private static Sequential Branch(int input, int first, int second, int output) => new(
        new Conv2d(input, first, 9, padding: 4), Activations.ReLU(), new Conv2d(first, second, 1), Activations.ReLU(), new Conv2d(second, output, 5, padding: 2));
}
