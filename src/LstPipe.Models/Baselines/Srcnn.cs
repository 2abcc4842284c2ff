using LstPipe.Torch;
using LstPipe.Torch.NN;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Models.Baselines;

/// <summary>SRCNN (Dong et al., ECCV 2014), single-image: on the bicubic-upsampled, z-scored LR, conv 9x9 to 64,
/// ReLU, conv 1x1 to 32, ReLU, conv 5x5 to 1 (8,129 parameters); the guidance is ignored.</summary>
public sealed class Srcnn : DownscalingNetwork
{
    private readonly Sequential _body;
    private readonly (int Scale, double Mean, double Std) _config;

    /// <summary>Creates the network.</summary>
    public Srcnn(int scale, double lstMean, double lstStd)
    {
        _config = (scale, lstMean, lstStd);
        _body = RegisterModule("body", new Sequential(
            new Conv2d(1, 64, 9, padding: 4), Activations.ReLU(), new Conv2d(64, 32, 1), Activations.ReLU(), new Conv2d(32, 1, 5, padding: 2)));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor lst, Tensor guidance)
    {
        var up = Interpolate((lst - _config.Mean) / _config.Std, _config.Scale, InterpolationMode.Bicubic);
        return _body.Forward(up) * _config.Std + _config.Mean;
    }
}
