using LstPipe.Torch;
using LstPipe.Torch.NN;

namespace LstPipe.Models.MoCoLsk;

/// <summary>Dynamic MLP type A (Yang et al., CVPR 2022): a Linear on the guidance tokens makes a per-token
/// in x planes matrix that multiplies the LST tokens, then LayerNorm and ReLU.</summary>
public sealed class DynamicMlpA : Module
{
    private readonly Linear _getWeight;
    private readonly LayerNorm _norm;
    private readonly int _inPlanes;
    private readonly int _planes;

    /// <summary>Creates the block.</summary>
    public DynamicMlpA(int inPlanes, int planes, int locPlanes)
    {
        (_inPlanes, _planes) = (inPlanes, planes);
        _getWeight = RegisterModule("get_weight", new Linear(locPlanes, inPlanes * planes));
        _norm = RegisterModule("norm", new LayerNorm(planes));
    }

    /// <summary>Tokens (B, N, in) and guidance tokens (B, N, loc) to (B, N, planes).</summary>
    public Tensor Forward(Tensor tokens, Tensor guidance)
    {
        var s = guidance.Shape;
        var weight = _getWeight.Forward(guidance).View(s[0], s[1], _inPlanes, _planes);
        var mixed = tokens.Unsqueeze(-2).Matmul(weight).Squeeze(-2);
        return _norm.Forward(mixed).Relu();
    }
}

/// <summary>The wrapper that names the dynamic MLP <c>dynamic_conv</c>.</summary>
public sealed class RecursiveBlock : Module
{
    private readonly DynamicMlpA _dynamicConv;

    /// <summary>Creates the block.</summary>
    public RecursiveBlock(int inPlanes, int planes, int locPlanes)
    {
        _dynamicConv = RegisterModule("dynamic_conv", new DynamicMlpA(inPlanes, planes, locPlanes));
    }

    /// <summary>Applies the dynamic MLP.</summary>
    public Tensor Forward(Tensor tokens, Tensor guidance) => _dynamicConv.Forward(tokens, guidance);
}

/// <summary>
/// The kernel generator of the MoCoLSK block: conv1 (Linear) on the LST tokens, one dynamic MLP with the guidance
/// tokens, conv3 + norm3 to 2 x 2 x k x k values, plus conv4 of the raw LST tokens. Faithful mode averages over the
/// batch (one kernel for the batch); per-sample mode keeps one kernel per sample.
/// </summary>
public sealed class FusionModule : Module
{
    private readonly Linear _conv1;
    private readonly ModuleList<RecursiveBlock> _conv2;
    private readonly Linear _conv3;
    private readonly LayerNorm _norm3;
    private readonly Linear _conv4;

    /// <summary>Creates the module.</summary>
    public FusionModule(int inPlanes, int planes, int kernelSize)
    {
        var weights = 2 * 2 * kernelSize * kernelSize;
        _conv1 = RegisterModule("conv1", new Linear(inPlanes, planes));
        _conv2 = RegisterModule("conv2", new ModuleList<RecursiveBlock>([new RecursiveBlock(planes, planes, planes)]));
        _conv3 = RegisterModule("conv3", new Linear(planes, weights));
        _norm3 = RegisterModule("norm3", new LayerNorm(weights));
        _conv4 = RegisterModule("conv4", new Linear(inPlanes, weights));
    }

    /// <summary>(B, N, C) LST and guidance tokens to (1, N, 2*2*k*k) when averaging over the batch, else (B, N, ...).</summary>
    public Tensor Forward(Tensor tokens, Tensor guidance, bool batchMean)
    {
        var x = _conv1.Forward(tokens);
        for (var i = 0; i < _conv2.Count; i++)
        {
            x = _conv2[i].Forward(x, guidance);
        }

        x = _norm3.Forward(_conv3.Forward(x)) + _conv4.Forward(tokens);
        return batchMean ? x.Mean([0], keepDim: true) : x;
    }
}
