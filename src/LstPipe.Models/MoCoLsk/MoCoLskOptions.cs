using LstPipe.Core.Errors;

namespace LstPipe.Models.MoCoLsk;

/// <summary>The validated configuration of MoCoLSK-Net (GrokLST's defaults).</summary>
public sealed record MoCoLskOptions
{
    /// <summary>Upscaling factor: 2, 4 or 8.</summary>
    public int Scale { get; init; } = 4;

    /// <summary>LST input channels.</summary>
    public int InChannels { get; init; } = 1;

    /// <summary>Guidance channels.</summary>
    public int GuidanceChannels { get; init; } = 10;

    /// <summary>Feature width.</summary>
    public int NumFeats { get; init; } = 32;

    /// <summary>Kernel of the plain convolutions.</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>Kernel of the generated gate convolution.</summary>
    public int MoCoLskKernelSize { get; init; } = 3;

    /// <summary>RCABs per residual group.</summary>
    public int NResblocks { get; init; } = 4;

    /// <summary>Encoder stages.</summary>
    public int NumStages { get; init; } = 4;

    /// <summary>Channel-attention reduction.</summary>
    public int Reduction { get; init; } = 16;

    /// <summary>Let the dynamic MLP train, with one kernel per sample (not in the original).</summary>
    public bool TrainDynamicMlp { get; init; }

    /// <summary>One gate kernel averaged over the batch, as the original code computes a batched forward (kept to
    /// reproduce it); false: a kernel per sample, so a batch of B equals B forwards of one (GrokLST trained 4 GPUs x 1).</summary>
    public bool BatchMeanKernel { get; init; }

    /// <summary>LST z-score mean (Kelvin) applied inside the network.</summary>
    public double LstMean { get; init; } = 282.51;

    /// <summary>LST z-score standard deviation (Kelvin); by default the paper's constant for the scale.</summary>
    public double? LstStd { get; init; }

    /// <summary>The standard deviation in use.</summary>
    public double EffectiveLstStd => LstStd ?? Scale switch { 2 => 14.73, 4 => 14.68, _ => 14.59 };

    /// <summary>Checks the configuration.</summary>
    /// <exception cref="UsageException">A value is out of range.</exception>
    public MoCoLskOptions Validate()
    {
        if (Scale is not (2 or 4 or 8))
        {
            throw new UsageException($"--scale {Scale}: MoCoLSK supports 2, 4 and 8");
        }

        if (NumFeats is < 2 or > 1024 || NumFeats % 2 != 0)
        {
            throw new UsageException($"--num-feats {NumFeats}: use an even width from 2 to 1024 (GrokLST uses 64)");
        }

        if (Reduction < 1 || NumFeats / Reduction < 1)
        {
            throw new UsageException($"--reduction {Reduction} with --num-feats {NumFeats}: channel attention squeezes the " +
                $"width by the reduction, so use a --reduction from 1 to {NumFeats} (GrokLST uses 16) or a wider --num-feats");
        }

        if (NResblocks is < 1 or > 64)
        {
            throw new UsageException($"--n-resblocks {NResblocks}: use 1 to 64 residual blocks per group (GrokLST uses 4)");
        }

        if (NumStages is < 1 or > 16 || KernelSize is < 1 or > 15 || KernelSize % 2 == 0 || MoCoLskKernelSize is < 1 or > 15
            || MoCoLskKernelSize % 2 == 0)
        {
            throw new UsageException($"MoCoLSK stages {NumStages} (1 to 16) and kernels {KernelSize}/{MoCoLskKernelSize} (odd, " +
                $"up to 15) are out of range");
        }

        if (!(EffectiveLstStd > 0))
        {
            throw new UsageException($"LST standard deviation {EffectiveLstStd} must be positive");
        }

        return this;
    }
}
