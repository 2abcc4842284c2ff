using System.Collections.Concurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Models;

/// <summary>
/// Scalars that stay alive while libtorch reads them, and the tensor operations of the forward passes that need one.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 hands a <see cref="Scalar"/> to libtorch as its bare handle (<c>THSTensor_add(Handle,
/// target.Handle, alpha.Handle)</c>) and keeps no reference to it across the native call, and <see cref="Scalar"/> has a
/// finalizer that deletes the native <c>at::Scalar</c>. A temporary one (the <c>1</c> that <c>a + b</c> passes as
/// <c>alpha</c>, the <c>0.2</c> of <c>F.leaky_relu(x, 0.2)</c> or of the <c>LeakyReLU</c> module, the double of
/// <c>x * std</c>) is unreachable once its handle is read, so a garbage collection that another thread (a tile loader,
/// a parallel test) triggers during the call lets the finalizer thread free it while the kernel reads it: libtorch
/// then fails with "Expected false to be true" at <c>c10/core/Scalar.h</c>, or reads a wrong value. The scalars here
/// live in static fields, so they are never collected; <c>x - s</c>, <c>x * s</c>, <c>x / s</c> and
/// <c>x.leaky_relu(s)</c> pass such a scalar and nothing else, but <c>a + b</c> always makes a temporary alpha, so
/// sums go through <see cref="Plus(Tensor, Tensor)"/>.
/// </remarks>
public static class HeldScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Cache = new();

    /// <summary>The alpha of a plain sum: 1, as the integer TorchSharp's <c>add</c> passes.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>The float64 scalar of <paramref name="value"/>, the one an implicit conversion would make, held for the
    /// life of the process (one per distinct value: use it for a model's constants, not for per-step values).</summary>
    public static Scalar Of(double value) => Cache.GetOrAdd(value, v => v.ToScalar());

    /// <summary><c>a + b</c> with a held alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a + b</c> for a held scalar <paramref name="b"/>, with a held alpha.</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, One);

    /// <summary><c>F.leaky_relu(x, slope)</c> with a held slope.</summary>
    public static Tensor LeakyRelu(this Tensor x, double slope) => x.leaky_relu(Of(slope));

    /// <summary>The LST z-score a network applies to its Kelvin input: <c>(x - mean) / std</c>.</summary>
    public static Tensor ZScore(this Tensor kelvin, double mean, double std) => (kelvin - Of(mean)) / Of(std);

    /// <summary>Back to Kelvin: <c>x * std + mean</c>.</summary>
    public static Tensor Kelvin(this Tensor z, double mean, double std) => (z * Of(std)).Plus(Of(mean));
}

/// <summary>LeakyReLU as a layer, with its slope held (TorchSharp's <c>nn.LeakyReLU</c> makes a temporary
/// <see cref="Scalar"/> per call, <see cref="HeldScalars"/>); no parameters, so state dicts are unchanged.</summary>
public sealed class LeakyRelu : ParameterLessModule<Tensor, Tensor>
{
    private readonly Scalar _slope;

    /// <summary>Creates the layer.</summary>
    public LeakyRelu(double negativeSlope = 0.01) : base("LeakyReLU")
    {
        NegativeSlope = negativeSlope;
        _slope = HeldScalars.Of(negativeSlope);
    }

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input.leaky_relu(_slope);
}
