using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace LstPipe.Models.MoCoLsk;

/// <summary>
/// The MoCoLSK block at HR: large selective kernels on the LST features (depthwise 5x5, then depthwise 7x7 with
/// dilation 3), squeezed to two spatial gates by a 3x3 convolution whose kernel the dynamic MLP generates from
/// pyramid-pooled LST and guidance tokens (pools 1, 2, 3, 6).
/// </summary>
public sealed class DynamicLsk : Module<Tensor, Tensor, Tensor>
{
    private static readonly long[] PoolSizes = [1, 2, 3, 6];
    private readonly Conv2d conv_lst;
    private readonly Conv2d conv_spatial0;
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly FusionModule dynamic_mlp;
    private readonly Conv2d conv;
    private readonly long _kernelSize;

    /// <summary>Creates the block for <paramref name="dim"/> channels.</summary>
    public DynamicLsk(long dim, long kernelSize, bool trainDynamicMlp, bool batchMeanKernel = false) : base(nameof(DynamicLsk))
    {
        _kernelSize = kernelSize;
        TrainDynamicMlp = trainDynamicMlp;
        BatchMeanKernel = batchMeanKernel && !trainDynamicMlp;
        conv_lst = Conv2d(dim, dim, 5, padding: 2, groups: dim);
        conv_spatial0 = Conv2d(dim, dim, 7, padding: 9, dilation: 3, groups: dim);
        conv1 = Conv2d(dim, dim / 2, 1);
        conv2 = Conv2d(dim, dim / 2, 1);
        dynamic_mlp = new FusionModule(dim, dim, kernelSize, batchMean: BatchMeanKernel);
        conv = Conv2d(dim / 2, dim, 1);
        RegisterComponents();
    }

    /// <summary>Whether the kernel generator trains (false: the original's frozen generator, its kernels detached).</summary>
    public bool TrainDynamicMlp { get; }

    /// <summary>Whether one kernel, averaged over the batch, gates every sample (the original code's batched forward);
    /// false: each sample its own kernel, so a batch of B computes what B forwards of one do.</summary>
    public bool BatchMeanKernel { get; }

    /// <summary>LST features and guidance features (B, C, H, W) to gated features (B, C, H, W).</summary>
    public override Tensor forward(Tensor lst, Tensor guidance)
    {
        var attn1 = conv_lst.call(lst);
        var attn2 = conv_spatial0.call(attn1);
        attn1 = conv1.call(attn1);
        attn2 = conv2.call(attn2);
        var attn = cat([attn1, attn2], 1);
        var agg = cat([attn.mean([1], keepdim: true), attn.amax([1], keepdim: true)], 1);

        var weights = dynamic_mlp.call(Tokens(lst), Tokens(guidance));
        var k = _kernelSize;
        Tensor gates;
        if (BatchMeanKernel)
        {
            var kernel = weights.mean([1]).reshape(2, 2, k, k).detach();
            gates = F.conv2d(agg, kernel, padding: [k / 2, k / 2]);
        }
        else
        {
            var (b, h, w) = (agg.size(0), agg.size(2), agg.size(3));
            var kernels = weights.mean([1]).reshape(b * 2, 2, k, k);
            kernels = TrainDynamicMlp ? kernels : kernels.detach();
            gates = F.conv2d(agg.reshape(1, b * 2, h, w), kernels, padding: [k / 2, k / 2], groups: b).reshape(b, 2, h, w);
        }

        var sig = gates.sigmoid();
        return conv.call((attn1 * sig.narrow(1, 0, 1)).Plus(attn2 * sig.narrow(1, 1, 1)));
    }

    private static Tensor Tokens(Tensor features)
    {
        var s = features.shape;
        var pools = PoolSizes.Select(p => F.adaptive_avg_pool2d(features, p).reshape(s[0], s[1], -1)).ToArray();
        return cat(pools, 2).permute(0, 2, 1);
    }
}

/// <summary>A MoCoLSK bridge: up-project the LST features to HR (<c>lst_up</c>), gate them with the guidance
/// (<c>dlsk</c>, multiplied by the guidance features), concatenate with the up-projected features and project down
/// to LR with one more group of channels (<c>down</c>).</summary>
public sealed class MoCoLskBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly DenseProjection lst_up;
    private readonly DynamicLsk dlsk;
    private readonly DenseProjection down;

    /// <summary>Creates the bridge.</summary>
    public MoCoLskBlock(long lstDim, long guiDim, int scale, long kernelSize, bool trainDynamicMlp, bool batchMeanKernel)
        : base(nameof(MoCoLskBlock))
    {
        lst_up = new DenseProjection(lstDim, guiDim, scale, up: true);
        dlsk = new DynamicLsk(guiDim, kernelSize, trainDynamicMlp, batchMeanKernel);
        down = new DenseProjection(2 * guiDim, lstDim + guiDim, scale, up: false);
        RegisterComponents();
    }

    /// <summary>LR LST features and HR guidance features to LR features with guiDim more channels.</summary>
    public override Tensor forward(Tensor lst, Tensor guidance)
    {
        var up = lst_up.call(lst);
        var gated = dlsk.call(up, guidance) * guidance;
        return down.call(cat([up, gated], 1));
    }
}
