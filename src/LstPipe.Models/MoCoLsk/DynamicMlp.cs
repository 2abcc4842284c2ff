using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LstPipe.Models.MoCoLsk;

/// <summary>Dynamic MLP type A (Yang et al., CVPR 2022): a Linear on the guidance tokens makes a per-token
/// in x planes matrix that multiplies the LST tokens, then LayerNorm and ReLU.</summary>
public sealed class DynamicMlpA : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear get_weight;
    private readonly LayerNorm norm;
    private readonly long _inPlanes;
    private readonly long _planes;

    /// <summary>Creates the block.</summary>
    public DynamicMlpA(long inPlanes, long planes, long locPlanes) : base(nameof(DynamicMlpA))
    {
        (_inPlanes, _planes) = (inPlanes, planes);
        get_weight = Linear(locPlanes, inPlanes * planes);
        norm = LayerNorm(planes);
        RegisterComponents();
    }

    /// <summary>Tokens (B, N, in) and guidance tokens (B, N, loc) to (B, N, planes).</summary>
    public override Tensor forward(Tensor tokens, Tensor guidance)
    {
        var s = guidance.shape;
        var weight = get_weight.call(guidance).view(s[0], s[1], _inPlanes, _planes);
        var mixed = tokens.unsqueeze(-2).matmul(weight).squeeze(-2);
        return norm.call(mixed).relu();
    }
}

/// <summary>The wrapper that names the dynamic MLP <c>dynamic_conv</c>.</summary>
public sealed class RecursiveBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly DynamicMlpA dynamic_conv;

    /// <summary>Creates the block.</summary>
    public RecursiveBlock(long inPlanes, long planes, long locPlanes) : base(nameof(RecursiveBlock))
    {
        dynamic_conv = new DynamicMlpA(inPlanes, planes, locPlanes);
        RegisterComponents();
    }

    /// <summary>Applies the dynamic MLP.</summary>
    public override Tensor forward(Tensor tokens, Tensor guidance) => dynamic_conv.call(tokens, guidance);
}

/// <summary>
/// The kernel generator of the MoCoLSK block: conv1 (Linear) on the LST tokens, one dynamic MLP with the guidance
/// tokens, conv3 + norm3 to 2 x 2 x k x k values, plus conv4 of the raw LST tokens. Faithful mode averages over the
/// batch (one kernel for the batch); per-sample mode keeps one kernel per sample.
/// </summary>
public sealed class FusionModule : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear conv1;
    private readonly ModuleList<RecursiveBlock> conv2;
    private readonly Linear conv3;
    private readonly LayerNorm norm3;
    private readonly Linear conv4;

    /// <summary>Creates the module.</summary>
    public FusionModule(long inPlanes, long planes, long kernelSize, bool batchMean) : base(nameof(FusionModule))
    {
        var weights = 2 * 2 * kernelSize * kernelSize;
        BatchMean = batchMean;
        conv1 = Linear(inPlanes, planes);
        conv2 = ModuleList(new RecursiveBlock(planes, planes, planes));
        conv3 = Linear(planes, weights);
        norm3 = LayerNorm(weights);
        conv4 = Linear(inPlanes, weights);
        RegisterComponents();
    }

    /// <summary>Whether <see cref="forward"/> averages over the batch (the original's one kernel per batch).</summary>
    public bool BatchMean { get; }

    /// <summary>(B, N, C) LST and guidance tokens to (1, N, 2*2*k*k) when averaging over the batch, else (B, N, ...).</summary>
    public override Tensor forward(Tensor tokens, Tensor guidance)
    {
        var x = conv1.call(tokens);
        foreach (var block in conv2)
        {
            x = block.call(x, guidance);
        }

        x = norm3.call(conv3.call(x)).Plus(conv4.call(tokens));
        return BatchMean ? x.mean([0], keepdim: true) : x;
    }
}
