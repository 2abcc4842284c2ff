using static LstPipe.Torch.Native.NativeMethods;

namespace LstPipe.Torch.NN;

/// <summary>Interpolation kernels of <c>Functional.Interpolate</c>.</summary>
public enum InterpolationMode
{
    /// <summary>Nearest neighbour.</summary>
    Nearest = 0,

    /// <summary>Bilinear.</summary>
    Bilinear = 1,

    /// <summary>Bicubic (A = -0.75, as PyTorch).</summary>
    Bicubic = 2,
}

/// <summary>How a loss reduces over elements.</summary>
public enum Reduction
{
    /// <summary>Per-element losses.</summary>
    None = 0,

    /// <summary>The mean.</summary>
    Mean = 1,

    /// <summary>The sum.</summary>
    Sum = 2,
}

/// <summary>Stateless layers and losses (PyTorch's <c>torch.nn.functional</c>), on NCHW tensors.</summary>
public static unsafe class Functional
{
    /// <summary>2-D convolution.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>2-D convolution with per-axis stride, padding and dilation.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1)
    {
        long* s = stackalloc long[] { stride.H, stride.W };
        long* p = stackalloc long[] { padding.H, padding.W };
        long* d = stackalloc long[] { dilation.H, dilation.W };
        return Tensor.Wrap(lt_conv2d(input.Handle, weight.Handle, bias?.Handle ?? 0, s, p, d, groups));
    }

    /// <summary>2-D transposed convolution.</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, int dilation = 1)
    {
        long* s = stackalloc long[] { stride, stride };
        long* p = stackalloc long[] { padding, padding };
        long* o = stackalloc long[] { outputPadding, outputPadding };
        long* d = stackalloc long[] { dilation, dilation };
        return Tensor.Wrap(lt_conv_transpose2d(input.Handle, weight.Handle, bias?.Handle ?? 0, s, p, o, d, groups));
    }

    /// <summary>x W^T + b.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        Tensor.Wrap(lt_linear(input.Handle, weight.Handle, bias?.Handle ?? 0));

    /// <summary>Layer normalization over the trailing <paramref name="normalizedShape"/> dimensions.</summary>
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        fixed (long* s = normalizedShape)
        {
            return Tensor.Wrap(lt_layer_norm(input.Handle, s, normalizedShape.Length, weight?.Handle ?? 0, bias?.Handle ?? 0, eps));
        }
    }

    /// <summary>Adaptive average pooling to an output size.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputH, int outputW) => Tensor.Wrap(lt_adaptive_avg_pool2d(input.Handle, outputH, outputW));

    /// <summary>Average pooling.</summary>
    public static Tensor AvgPool2d(Tensor input, int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        long* k = stackalloc long[] { kernel, kernel };
        long* s = stackalloc long[] { stride ?? kernel, stride ?? kernel };
        long* p = stackalloc long[] { padding, padding };
        return Tensor.Wrap(lt_avg_pool2d(input.Handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0));
    }

    /// <summary>Max pooling.</summary>
    public static Tensor MaxPool2d(Tensor input, int kernel, int? stride = null, int padding = 0)
    {
        long* k = stackalloc long[] { kernel, kernel };
        long* s = stackalloc long[] { stride ?? kernel, stride ?? kernel };
        long* p = stackalloc long[] { padding, padding };
        return Tensor.Wrap(lt_max_pool2d(input.Handle, k, s, p));
    }

    /// <summary>Resamples the two trailing dimensions to an output size.</summary>
    public static Tensor Interpolate(Tensor input, int outputH, int outputW, InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false) =>
        Tensor.Wrap(lt_interpolate(input.Handle, outputH, outputW, (int)mode, alignCorners ? 1 : 0));

    /// <summary>Resamples by a whole scale factor (output = input x factor, as <c>scale_factor=</c> for integers).</summary>
    public static Tensor Interpolate(Tensor input, int scaleFactor, InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false) =>
        Interpolate(input, checked((int)input.Size(-2) * scaleFactor), checked((int)input.Size(-1) * scaleFactor), mode, alignCorners);

    /// <summary>(N, C r^2, H, W) to (N, C, H r, W r).</summary>
    public static Tensor PixelShuffle(Tensor input, int upscale) => Tensor.Wrap(lt_pixel_shuffle(input.Handle, upscale));

    /// <summary>The inverse of <see cref="PixelShuffle"/>.</summary>
    public static Tensor PixelUnshuffle(Tensor input, int downscale) => Tensor.Wrap(lt_pixel_unshuffle(input.Handle, downscale));

    /// <summary>max(x, 0) + slope min(x, 0).</summary>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) => Tensor.Wrap(lt_leaky_relu(input.Handle, negativeSlope));

    /// <summary>Parametric ReLU with one slope or one per channel.</summary>
    public static Tensor Prelu(Tensor input, Tensor weight) => Tensor.Wrap(lt_prelu(input.Handle, weight.Handle));

    /// <summary>Softmax along a dimension.</summary>
    public static Tensor Softmax(Tensor input, long dim) => Tensor.Wrap(lt_softmax(input.Handle, dim));

    /// <summary>Log-softmax along a dimension.</summary>
    public static Tensor LogSoftmax(Tensor input, long dim) => Tensor.Wrap(lt_log_softmax(input.Handle, dim));

    /// <summary>Dropout (identity unless training).</summary>
    public static Tensor Dropout(Tensor input, double p, bool training) => Tensor.Wrap(lt_dropout(input.Handle, p, training ? 1 : 0));

    /// <summary>Mean (or other reduction of the) absolute error.</summary>
    public static Tensor L1Loss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean) => Loss(0, prediction, target, reduction, 0);

    /// <summary>Mean (or other reduction of the) squared error.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean) => Loss(1, prediction, target, reduction, 0);

    /// <summary>Huber-like smooth L1 loss with threshold <paramref name="beta"/>.</summary>
    public static Tensor SmoothL1Loss(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) =>
        Loss(2, prediction, target, reduction, beta);

    private static Tensor Loss(int kind, Tensor prediction, Tensor target, Reduction reduction, double beta) =>
        Tensor.Wrap(lt_loss(kind, prediction.Handle, target.Handle, (int)reduction, beta));
}
