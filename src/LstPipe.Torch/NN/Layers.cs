using static LstPipe.Torch.NN.Functional;

namespace LstPipe.Torch.NN;

/// <summary>PyTorch's default initializers, drawn from libtorch's generator in PyTorch's order.</summary>
internal static class Init
{
    public static void KaimingUniform(Tensor t, double a) => Tensor.Check(Native.NativeMethods.lt_init(0, t.Handle, a, 0));

    public static void Uniform(Tensor t, double low, double high) => Tensor.Check(Native.NativeMethods.lt_init(1, t.Handle, low, high));

    public static void Constant(Tensor t, double value) => Tensor.Check(Native.NativeMethods.lt_init(3, t.Handle, value, 0));

    /// <summary>weight: kaiming_uniform_(a = sqrt(5)); bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in from the weight.</summary>
    public static void Default(Tensor weight, Tensor? bias)
    {
        KaimingUniform(weight, Math.Sqrt(5));
        if (bias is not null)
        {
            var s = weight.Shape;
            var fanIn = s[1] * s.Skip(2).Aggregate(1L, (x, y) => x * y);
            var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Uniform(bias, -bound, bound);
        }
    }
}

/// <summary>2-D convolution with PyTorch's parameter names (<c>weight</c>, <c>bias</c>) and initialization.</summary>
public sealed class Conv2d : Layer
{
    /// <summary>Creates the layer; weight (out, in / groups, k, k).</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"channels {inChannels} -> {outChannels} are not divisible by groups {groups}");
        }

        (Stride, Padding, Dilation, Groups) = (stride, padding, dilation, groups);
        Weight = RegisterParameter("weight", Torch.Empty([outChannels, inChannels / groups, kernelSize, kernelSize]))!;
        Bias = RegisterParameter("bias", bias ? Torch.Empty([outChannels]) : null);
        Init.Default(Weight, Bias);
    }

    /// <summary>The kernel.</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, if any.</summary>
    public Tensor? Bias { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>Dilation.</summary>
    public int Dilation { get; }

    /// <summary>Groups.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}

/// <summary>2-D transposed convolution; weight (in, out / groups, k, k) as PyTorch.</summary>
public sealed class ConvTranspose2d : Layer
{
    /// <summary>Creates the layer.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, bool bias = true, int dilation = 1)
    {
        (Stride, Padding, OutputPadding, Groups, Dilation) = (stride, padding, outputPadding, groups, dilation);
        Weight = RegisterParameter("weight", Torch.Empty([inChannels, outChannels / groups, kernelSize, kernelSize]))!;
        Bias = RegisterParameter("bias", bias ? Torch.Empty([outChannels]) : null);
        Init.Default(Weight, Bias);
    }

    /// <summary>The kernel.</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, if any.</summary>
    public Tensor? Bias { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Padding.</summary>
    public int Padding { get; }

    /// <summary>Extra size on one side of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>Groups.</summary>
    public int Groups { get; }

    /// <summary>Dilation.</summary>
    public int Dilation { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);
}

/// <summary>Fully connected layer; weight (out, in).</summary>
public sealed class Linear : Layer
{
    /// <summary>Creates the layer.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true)
    {
        Weight = RegisterParameter("weight", Torch.Empty([outFeatures, inFeatures]))!;
        Bias = RegisterParameter("bias", bias ? Torch.Empty([outFeatures]) : null);
        Init.Default(Weight, Bias);
    }

    /// <summary>The weight.</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, if any.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Linear(input, Weight, Bias);
}

/// <summary>Layer normalization over the trailing dimensions; weight ones and bias zeros at start.</summary>
public sealed class LayerNorm : Layer
{
    /// <summary>Creates the layer.</summary>
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        (NormalizedShape, Eps) = (normalizedShape, eps);
        Weight = RegisterParameter("weight", elementwiseAffine ? Torch.Ones(normalizedShape) : null);
        Bias = RegisterParameter("bias", elementwiseAffine ? Torch.Zeros(normalizedShape) : null);
    }

    /// <summary>Creates the layer over one trailing dimension.</summary>
    public LayerNorm(long features, double eps = 1e-5)
        : this([features], eps)
    {
    }

    /// <summary>The normalized trailing shape.</summary>
    public long[] NormalizedShape { get; }

    /// <summary>Epsilon.</summary>
    public double Eps { get; }

    /// <summary>Scale, if affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>Shift, if affine.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => LayerNorm(input, NormalizedShape, Weight, Bias, Eps);
}

/// <summary>Parametric ReLU; weight of <c>numParameters</c> slopes, 0.25 at start.</summary>
public sealed class PReLU : Layer
{
    /// <summary>Creates the layer.</summary>
    public PReLU(int numParameters = 1, double init = 0.25)
    {
        Weight = RegisterParameter("weight", Torch.Full([numParameters], init))!;
    }

    /// <summary>The slopes.</summary>
    public Tensor Weight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Prelu(input, Weight);
}

/// <summary>An activation or other parameter-free function as a layer.</summary>
public sealed class Lambda(Func<Tensor, Tensor> function) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => function(input);
}

/// <summary>Activations as layers.</summary>
public static class Activations
{
    /// <summary>ReLU.</summary>
    public static Layer ReLU() => new Lambda(x => x.Relu());

    /// <summary>Leaky ReLU.</summary>
    public static Layer LeakyReLU(double negativeSlope = 0.01) => new Lambda(x => LeakyRelu(x, negativeSlope));

    /// <summary>GELU.</summary>
    public static Layer GELU() => new Lambda(x => x.Gelu());

    /// <summary>Sigmoid.</summary>
    public static Layer Sigmoid() => new Lambda(x => x.Sigmoid());

    /// <summary>Tanh.</summary>
    public static Layer Tanh() => new Lambda(x => x.Tanh());

    /// <summary>Identity.</summary>
    public static Layer Identity() => new Lambda(x => x * 1.0);

    /// <summary>Pixel shuffle by a factor.</summary>
    public static Layer PixelShuffle(int upscale) => new Lambda(x => Functional.PixelShuffle(x, upscale));
}

/// <summary>Layers applied in order; children are named 0, 1, 2, ... as in PyTorch.</summary>
public sealed class Sequential : Layer
{
    private readonly List<Layer> _layers = [];

    /// <summary>Creates the container.</summary>
    public Sequential(params Layer[] layers)
    {
        foreach (var l in layers)
        {
            Add(l);
        }
    }

    /// <summary>The layers.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Appends a layer.</summary>
    public void Add(Layer layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var l in _layers)
        {
            x = l.Forward(x);
        }

        return x;
    }
}

/// <summary>An indexed list of modules named 0, 1, 2, ...</summary>
public sealed class ModuleList<T> : Module
    where T : Module
{
    private readonly List<T> _items = [];

    /// <summary>Creates the list.</summary>
    public ModuleList(IEnumerable<T> items)
    {
        foreach (var m in items)
        {
            RegisterModule(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m);
            _items.Add(m);
        }
    }

    /// <summary>Number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>A module by index.</summary>
    public T this[int index] => _items[index];
}
