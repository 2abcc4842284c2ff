using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace LstPipe.Models.MoCoLsk;

/// <summary>
/// MoCoLSK-Net (GrokLST, Dai et al. 2024): an LST branch at LR and a guidance branch at HR, joined after each stage
/// by a MoCoLSK bridge that grows the LST features by <c>num_feats</c>, then a decoder (residual group, up-projection,
/// two residual groups), a projection head and a bicubic skip of the (z-scored) input. Parameter names are the
/// original's, so state dicts load in either direction. Under bfloat16 (<see cref="DownscalingNetwork.BodyType"/>) the
/// z-score, the bicubic skip, the residual add and the output stay float32.
/// </summary>
public sealed class MoCoLskNet : DownscalingNetwork
{
    private readonly Conv2d lst_stem;
    private readonly Conv2d gui_stem;
    private readonly ModuleList<ResidualGroup> lst_rgs;
    private readonly ModuleList<ResidualGroup> gui_rgs;
    private readonly ModuleList<MoCoLskBlock> bridges;
    private readonly Sequential decoder;
    private readonly Sequential proj_head;

    /// <summary>Builds the network (PyTorch's default initialization from libtorch's generator).</summary>
    public MoCoLskNet(MoCoLskOptions options) : base(nameof(MoCoLskNet))
    {
        Options = options.Validate();
        var (f, k, r, n, s) = (options.NumFeats, options.KernelSize, options.Reduction, options.NResblocks, options.Scale);
        lst_stem = Convs.Same(options.InChannels, f, k);
        gui_stem = Convs.Same(options.GuidanceChannels, f, k);
        lst_rgs = ModuleList(Enumerable.Range(0, options.NumStages).Select(i => new ResidualGroup((i + 1) * f, k, r, n)).ToArray());
        gui_rgs = ModuleList(Enumerable.Range(0, options.NumStages).Select(_ => new ResidualGroup(f, k, r, n)).ToArray());
        bridges = ModuleList(Enumerable.Range(0, options.NumStages)
            .Select(i => new MoCoLskBlock((i + 1) * f, f, s, options.MoCoLskKernelSize, options.TrainDynamicMlp,
                options.BatchMeanKernel)).ToArray());
        var width = (options.NumStages + 1) * f;
        decoder = Sequential(
            new ResidualGroup(width, k, r, n),
            new DenseProjection(width, width, s, up: true),
            new ResidualGroup(width, k, r, 2 * n),
            new ResidualGroup(width, k, r, 2 * n));
        proj_head = Sequential(Convs.Same(width, f, k), new LeakyRelu(0.2), Convs.Same(f, 1, k));
        RegisterComponents();
    }

    /// <summary>The configuration.</summary>
    public MoCoLskOptions Options { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor lst, Tensor guidance)
    {
        var (mean, std) = (Options.LstMean, Options.EffectiveLstStd);
        var identity = lst.ZScore(mean, std);
        var l = lst_stem.call(ToBody(identity)).LeakyRelu(0.2);
        var g = gui_stem.call(ToBody(guidance)).LeakyRelu(0.2);
        for (var i = 0; i < Options.NumStages; i++)
        {
            var features = lst_rgs[i].call(l);
            g = gui_rgs[i].call(g);
            l = bridges[i].call(features, g);
        }

        var output = ToFloat(proj_head.call(decoder.call(l))).Plus(Bicubic(identity, Options.Scale));
        return output.Kelvin(mean, std);
    }
}
