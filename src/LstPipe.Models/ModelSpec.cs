using LstPipe.Core.Errors;
using LstPipe.Models.Baselines;
using LstPipe.Models.MoCoLsk;
using static TorchSharp.torch;

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
        TorchSetup.EnsureLoaded();
        return Name switch
        {
            "mocolsk" => new MoCoLskNet(o),
            "srcnn" => new Srcnn(o.Scale, o.LstMean, o.EffectiveLstStd),
            "djf" => new Djf(o.Scale, o.GuidanceChannels, o.LstMean, o.EffectiveLstStd),
            "fdsr" => new Fdsr(o.Scale, o.GuidanceChannels, o.LstMean, o.EffectiveLstStd),
            _ => throw new UsageException($"--model {Name}: known models are {string.Join(", ", Names)} (bicubic is the " +
                $"baseline 'lstpipe test' reports)"),
        };
    }

    /// <summary>
    /// The model a bare state dict (a PyTorch checkpoint, which carries no configuration) was made by, from its names
    /// and shapes: MoCoLSK's width (<c>lst_stem</c>), guidance channels (<c>gui_stem</c>), stages (<c>bridges.N</c>),
    /// blocks per group, reduction (channel attention), selective kernel (<c>dynamic_mlp.conv3</c>) and scale (the
    /// projection kernel 6/8/12 for x2/x4/x8); the baselines by their layer names.
    /// </summary>
    /// <param name="state">Weights by original name.</param>
    /// <param name="scale">The scale where the weights cannot tell (the baselines).</param>
    /// <param name="source">The file, for the error message.</param>
    /// <exception cref="DataException">The names are not those of a model lstpipe knows.</exception>
    public static ModelSpec Infer(IReadOnlyDictionary<string, Tensor> state, int? scale, string source)
    {
        long[] Shape(string name) => state.TryGetValue(name, out var t) ? t.shape
            : throw new DataException($"{source}: has no '{name}'; its weights are not those of a model lstpipe knows " +
                $"({string.Join(", ", ModelSpec.Names)})");
        int Count(string prefix) => state.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('.')[0]).Where(p => p.All(char.IsAsciiDigit)).Distinct().Count();
        var guidance = 10;
        if (state.ContainsKey("lst_stem.weight"))
        {
            var stem = Shape("lst_stem.weight");
            var gui = Shape("gui_stem.weight");
            var kernel = Shape("bridges.0.lst_up.conv_1.0.weight")[2];
            var attention = Shape("lst_rgs.0.body.0.body.3.conv_du.0.weight");
            var s = kernel switch
            {
                6 => 2,
                8 => 4,
                12 => 8,
                20 => 16,
                _ => throw new DataException($"{source}: projection kernel {kernel} matches no scale (6, 8, 12 for x2, x4, x8)"),
            };
            var mk = (int)Math.Round(Math.Sqrt(Shape("bridges.0.dlsk.dynamic_mlp.conv3.weight")[0] / 4.0));
            return new ModelSpec
            {
                Name = "mocolsk",
                MoCoLsk = new MoCoLskOptions
                {
                    Scale = s,
                    NumFeats = (int)stem[0],
                    KernelSize = (int)stem[2],
                    GuidanceChannels = (int)gui[1],
                    NumStages = Count("bridges."),
                    NResblocks = Count("lst_rgs.0.body.") - 1,
                    Reduction = (int)(stem[0] / attention[0]),
                    MoCoLskKernelSize = mk,
                },
            };
        }

        var name = state.ContainsKey("conv_rgb1.weight") ? "fdsr" : state.ContainsKey("target.0.weight")
            ? "djf" : state.ContainsKey("body.0.weight") ? "srcnn"
            : throw new DataException($"{source}: its weights are not those of a model lstpipe knows ({string.Join(", ", Names)})");
        guidance = name switch
        {
            "fdsr" => (int)(Shape("conv_rgb1.weight")[1] / 16),
            "djf" => (int)Shape("guide.0.weight")[1],
            _ => guidance,
        };
        return new ModelSpec { Name = name, MoCoLsk = new MoCoLskOptions { Scale = scale ?? 4, GuidanceChannels = guidance } };
    }
}
