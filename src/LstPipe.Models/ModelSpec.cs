using LstPipe.Core.Errors;
using LstPipe.Models.Baselines;
using LstPipe.Models.MoCoLsk;

namespace LstPipe.Models;

/// <summary>Which network and its configuration; serialized into checkpoints so they rebuild the same network.</summary>
public sealed record ModelSpec
{
    /// <summary>The model names <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mocolsk", "srcnn", "djf", "fdsr"];

    /// <summary><c>mocolsk</c>, <c>srcnn</c>, <c>djf</c> or <c>fdsr</c>.</summary>
    public string Name { get; init; } = "mocolsk";

    /// <summary>MoCoLSK configuration (its scale, channels and LST z-score are used by every model).</summary>
    public MoCoLskOptions MoCoLsk { get; init; } = new();

    /// <summary>Builds the network.</summary>
    /// <exception cref="UsageException">The name is unknown.</exception>
    public DownscalingNetwork Create()
    {
        var o = MoCoLsk.Validate();
        return Name switch
        {
            "mocolsk" => new MoCoLskNet(o),
            "srcnn" => new Srcnn(o.Scale, o.LstMean, o.EffectiveLstStd),
            "djf" => new Djf(o.Scale, o.GuidanceChannels, o.LstMean, o.EffectiveLstStd),
            "fdsr" => new Fdsr(o.Scale, o.GuidanceChannels, o.LstMean, o.EffectiveLstStd),
            _ => throw new UsageException($"--model {Name}: known models are {string.Join(", ", Names)} (bicubic is the baseline 'lstpipe test' reports)"),
        };
    }
}
