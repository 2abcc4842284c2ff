using LstPipe.Torch;
using LstPipe.Torch.NN;
using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Models.MoCoLsk;

/// <summary>
/// The MoCoLSK block at HR: large selective kernels on the LST features (depthwise 5x5, then depthwise 7x7 with
/// dilation 3), squeezed to two spatial gates by a 3x3 convolution whose kernel the dynamic MLP generates from
/// pyramid-pooled LST and guidance tokens (pools 1, 2, 3, 6).
/// </summary>
public sealed class DynamicLsk : Module
{
    private static readonly int[] PoolSizes = [1, 2, 3, 6];
    private readonly Conv2d _convLst;
    private readonly Conv2d _convSpatial0;
    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly FusionModule _dynamicMlp;
    private readonly Conv2d _conv;
    private readonly int _kernelSize;

    /// <summary>Creates the block for <paramref name="dim"/> channels.</summary>
    public DynamicLsk(int dim, int kernelSize, bool trainDynamicMlp)
    {
        _kernelSize = kernelSize;
        TrainDynamicMlp = trainDynamicMlp;
        _convLst = RegisterModule("conv_lst", new Conv2d(dim, dim, 5, padding: 2, groups: dim));
        _convSpatial0 = RegisterModule("conv_spatial0", new Conv2d(dim, dim, 7, padding: 9, dilation: 3, groups: dim));
        _conv1 = RegisterModule("conv1", new Conv2d(dim, dim / 2, 1));
        _conv2 = RegisterModule("conv2", new Conv2d(dim, dim / 2, 1));
        _dynamicMlp = RegisterModule("dynamic_mlp", new FusionModule(dim, dim, kernelSize));
        _conv = RegisterModule("conv", new Conv2d(dim / 2, dim, 1));
    }

    /// <summary>Whether the kernel generator trains and makes one kernel per sample (false: the original, a frozen
    /// generator and one batch-mean kernel).</summary>
    public bool TrainDynamicMlp { get; }

    /// <summary>LST features and guidance features (B, C, H, W) to gated features (B, C, H, W).</summary>
    public Tensor Forward(Tensor lst, Tensor guidance)
    {
        var attn1 = _convLst.Forward(lst);
        var attn2 = _convSpatial0.Forward(attn1);
        attn1 = _conv1.Forward(attn1);
        attn2 = _conv2.Forward(attn2);
        var attn = Torch.Torch.Cat([attn1, attn2], 1);
        var agg = Torch.Torch.Cat([attn.Mean([1], keepDim: true), attn.Max([1], keepDim: true)], 1);

        var weights = _dynamicMlp.Forward(Tokens(lst), Tokens(guidance), batchMean: !TrainDynamicMlp);
        var k = _kernelSize;
        Tensor gates;
        if (TrainDynamicMlp)
        {
            var b = agg.Size(0);
            var (h, w) = (agg.Size(2), agg.Size(3));
            var kernels = weights.Mean([1]).Reshape(b * 2, 2, k, k);
            gates = Conv2d(agg.Reshape(1, b * 2, h, w), kernels, null, padding: k / 2, groups: (int)b).Reshape(b, 2, h, w);
        }
        else
        {
            var kernel = weights.Mean([1]).Reshape(2, 2, k, k).Detach();
            gates = Conv2d(agg, kernel, null, padding: k / 2);
        }

        var sig = gates.Sigmoid();
        return _conv.Forward(attn1 * sig.Narrow(1, 0, 1) + attn2 * sig.Narrow(1, 1, 1));
    }

    private static Tensor Tokens(Tensor features)
    {
        var s = features.Shape;
        var pools = PoolSizes.Select(p => AdaptiveAvgPool2d(features, p, p).Reshape(s[0], s[1], -1)).ToArray();
        return Torch.Torch.Cat(pools, 2).Permute(0, 2, 1);
    }
}

/// <summary>A MoCoLSK bridge: up-project the LST features to HR (<c>lst_up</c>), gate them with the guidance
/// (<c>dlsk</c>, multiplied by the guidance features), concatenate with the up-projected features and project down
/// to LR with one more group of channels (<c>down</c>).</summary>
public sealed class MoCoLskBlock : Module
{
    private readonly DenseProjection _lstUp;
    private readonly DynamicLsk _dlsk;
    private readonly DenseProjection _down;

    /// <summary>Creates the bridge.</summary>
    public MoCoLskBlock(int lstDim, int guiDim, int scale, int kernelSize, bool trainDynamicMlp)
    {
        _lstUp = RegisterModule("lst_up", new DenseProjection(lstDim, guiDim, scale, up: true));
        _dlsk = RegisterModule("dlsk", new DynamicLsk(guiDim, kernelSize, trainDynamicMlp));
        _down = RegisterModule("down", new DenseProjection(2 * guiDim, lstDim + guiDim, scale, up: false));
    }

    /// <summary>LR LST features and HR guidance features to LR features with guiDim more channels.</summary>
    public Tensor Forward(Tensor lst, Tensor guidance)
    {
        var up = _lstUp.Forward(lst);
        var gated = _dlsk.Forward(up, guidance) * guidance;
        return _down.Forward(Torch.Torch.Cat([up, gated], 1));
    }
}
