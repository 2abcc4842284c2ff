using System.Globalization;
using LstPipe.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace LstPipe.Models;

/// <summary>A network that maps LR LST in Kelvin (B, 1, h, w) and normalized HR guidance (B, C, H, W) to HR LST in
/// Kelvin (B, 1, H, W); each normalizes the LST inside with the z-score it was built with.</summary>
public abstract class DownscalingNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the network's module, libtorch set up first (<see cref="TorchSetup.EnsureLoaded"/>: threads and
    /// the kernels it may use on this CPU).</summary>
    /// <param name="name">The module's name.</param>
    protected DownscalingNetwork(string name) : base(Loaded(name))
    {
    }

    private static string Loaded(string name)
    {
        TorchSetup.EnsureLoaded();
        return name;
    }

    /// <summary>The HR height and width must be multiples of this (1: any size).</summary>
    public virtual int SizeMultiple => 1;

    /// <summary>The type the network's body computes in: float32, or bfloat16 after <see cref="UsePrecision"/>. The
    /// LST z-score, skips, residual adds and the output stay float32 whatever it is (bfloat16 holds 300 K to about
    /// 1 K).</summary>
    public ScalarType BodyType { get; private set; } = ScalarType.Float32;

    /// <summary>Casts the weights to <paramref name="body"/> (<c>Float32</c> or <c>BFloat16</c>) for inference.</summary>
    /// <exception cref="ArgumentException">Another type.</exception>
    public DownscalingNetwork UsePrecision(ScalarType body)
    {
        if (body is not (ScalarType.Float32 or ScalarType.BFloat16))
        {
            throw new ArgumentException($"{body}: use Float32 or BFloat16", nameof(body));
        }

        this.to(body);
        BodyType = body;
        return this;
    }

    /// <summary>A float32 activation in the body's type.</summary>
    protected Tensor ToBody(Tensor t) => BodyType == ScalarType.Float32 ? t : t.to(BodyType);

    /// <summary>A body output back in float32.</summary>
    protected static Tensor ToFloat(Tensor t) => t.to(ScalarType.Float32);

    /// <summary>Number of parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Throws unless the guidance's height and width are multiples of <see cref="SizeMultiple"/>.</summary>
    /// <exception cref="UsageException">They are not.</exception>
    protected void CheckSize(Tensor guidance)
    {
        var (h, w) = (guidance.shape[^2], guidance.shape[^1]);
        if (h % SizeMultiple != 0 || w % SizeMultiple != 0)
        {
            throw new UsageException($"{GetType().Name} needs HR tiles whose sides are multiples of {SizeMultiple} px; got {h} " +
                $"x {w} (crop with such a --size, or predict with such a --window)");
        }
    }

    /// <summary>Copies weights by their original names, strictly: every name of the network, no other, same shapes.</summary>
    /// <param name="state">Tensors by dotted name.</param>
    /// <param name="source">The file they came from, for the error message.</param>
    /// <exception cref="DataException">A name is missing or extra, a shape differs, or a weight is NaN or infinite
    /// (nothing is copied then).</exception>
    public void LoadStrict(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        var own = state_dict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new DataException($"{source}: its weights do not fit this {GetType().Name}: {missing.Count} missing " +
                $"({string.Join(", ", missing.Take(3))}), {unexpected.Count} it does not have ({string.Join(", ", unexpected.Take(3))})");
        }

        var wrong = own.FirstOrDefault(kv => !kv.Value.shape.SequenceEqual(state[kv.Key].shape));
        if (wrong.Key is not null)
        {
            throw new DataException($"{source}: {wrong.Key} has shape [{string.Join(", ", state[wrong.Key].shape)}], this " +
                $"{GetType().Name} [{string.Join(", ", wrong.Value.shape)}]");
        }

        foreach (var (name, _) in own)
        {
            RefuseNonFinite(state[name], name, source);
        }

        using (no_grad())
        {
            foreach (var (name, target) in own)
            {
                target.copy_(state[name]);
            }
        }
    }

    /// <summary>Throws when a floating-point weight holds NaN or an infinity: a network loaded with one predicts NaN
    /// everywhere, which would be written as nodata.</summary>
    private static void RefuseNonFinite(Tensor weights, string name, string source)
    {
        if (!weights.is_floating_point())
        {
            return;
        }

        using var scope = NewDisposeScope();
        var bad = weights.detach().reshape(-1).isfinite().logical_not().nonzero();
        if (bad.shape[0] > 0)
        {
            var at = bad[0, 0].item<long>();
            var value = weights.detach().reshape(-1)[at].to(ScalarType.Float64).item<double>();
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: tensor '{name}' holds {value} (element {at}); the checkpoint is damaged or its training diverged"));
        }
    }

    /// <summary>PyTorch's bicubic upsampling (A = -0.75, align_corners false) by an integer factor.</summary>
    public static Tensor Bicubic(Tensor input, int scale) =>
        nn.functional.interpolate(input, scale_factor: [scale, scale], mode: InterpolationMode.Bicubic, align_corners: false);
}
