using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LstPipe.Models.Baselines;

/// <summary>SRCNN (Dong et al., ECCV 2014), single-image: on the bicubic-upsampled, z-scored LR, conv 9x9 to 64,
/// ReLU, conv 1x1 to 32, ReLU, conv 5x5 to 1 (8,129 parameters); the guidance is ignored.</summary>
public sealed class Srcnn : DownscalingNetwork
{
    private readonly Sequential body;
    private readonly (int Scale, double Mean, double Std) _config;

    /// <summary>Creates the network.</summary>
    public Srcnn(int scale, double lstMean, double lstStd) : base(nameof(Srcnn))
    {
        _config = (scale, lstMean, lstStd);
        body = Sequential(Conv2d(1, 64, 9, padding: 4), ReLU(), Conv2d(64, 32, 1), ReLU(), Conv2d(32, 1, 5, padding: 2));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor lst, Tensor guidance)
    {
        var up = Bicubic(lst.ZScore(_config.Mean, _config.Std), _config.Scale);
        return ToFloat(body.call(ToBody(up))).Kelvin(_config.Mean, _config.Std);
    }
}
