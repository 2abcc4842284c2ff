using LstPipe.Torch;
using LstPipe.Torch.NN;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Models.MoCoLsk;

/// <summary>
/// MoCoLSK-Net (GrokLST, Dai et al. 2024): an LST branch at LR and a guidance branch at HR, joined after each stage
/// by a MoCoLSK bridge that grows the LST features by <c>num_feats</c>, then a decoder (residual group, up-projection,
/// two residual groups), a projection head and a bicubic skip of the (z-scored) input. Parameter names are the
/// original's, so state dicts load in either direction.
/// </summary>
public sealed class MoCoLskNet : DownscalingNetwork
{
    private readonly Conv2d _lstStem;
    private readonly Conv2d _guiStem;
    private readonly ModuleList<ResidualGroup> _lstRgs;
    private readonly ModuleList<ResidualGroup> _guiRgs;
    private readonly ModuleList<MoCoLskBlock> _bridges;
    private readonly Sequential _decoder;
    private readonly Sequential _projHead;

    /// <summary>Builds the network (PyTorch's default initialization from libtorch's generator).</summary>
    public MoCoLskNet(MoCoLskOptions options)
    {
        Options = options.Validate();
        var (f, k, r, n, s) = (options.NumFeats, options.KernelSize, options.Reduction, options.NResblocks, options.Scale);
        _lstStem = RegisterModule("lst_stem", Convs.Same(options.InChannels, f, k));
        _guiStem = RegisterModule("gui_stem", Convs.Same(options.GuidanceChannels, f, k));
        _lstRgs = RegisterModule("lst_rgs", new ModuleList<ResidualGroup>(Enumerable.Range(0, options.NumStages).Select(i => new ResidualGroup((i + 1) * f, k, r, n))));
        _guiRgs = RegisterModule("gui_rgs", new ModuleList<ResidualGroup>(Enumerable.Range(0, options.NumStages).Select(_ => new ResidualGroup(f, k, r, n))));
        _bridges = RegisterModule("bridges", new ModuleList<MoCoLskBlock>(Enumerable.Range(0, options.NumStages)
            .Select(i => new MoCoLskBlock((i + 1) * f, f, s, options.MoCoLskKernelSize, options.TrainDynamicMlp))));
        var width = (options.NumStages + 1) * f;
        _decoder = RegisterModule("decoder", new Sequential(
            new ResidualGroup(width, k, r, n),
            new DenseProjection(width, width, s, up: true),
            new ResidualGroup(width, k, r, 2 * n),
            new ResidualGroup(width, k, r, 2 * n)));
        _projHead = RegisterModule("proj_head", new Sequential(Convs.Same(width, f, k), Activations.LeakyReLU(0.2), Convs.Same(f, 1, k)));
    }

    /// <summary>The configuration.</summary>
    public MoCoLskOptions Options { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor lst, Tensor guidance)
    {
        var mean = Options.LstMean;
        var std = Options.EffectiveLstStd;
        var identity = (lst - mean) / std;
        var l = LeakyRelu(_lstStem.Forward(identity), 0.2);
        var g = LeakyRelu(_guiStem.Forward(guidance), 0.2);
        for (var i = 0; i < Options.NumStages; i++)
        {
            var features = _lstRgs[i].Forward(l);
            g = _guiRgs[i].Forward(g);
            l = _bridges[i].Forward(features, g);
        }

        var output = _projHead.Forward(_decoder.Forward(l)) + Interpolate(identity, Options.Scale, InterpolationMode.Bicubic);
        return output * std + mean;
    }
}
