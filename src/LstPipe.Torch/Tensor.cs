using System.Runtime.InteropServices;
using static LstPipe.Torch.Native.NativeMethods;

namespace LstPipe.Torch;

/// <summary>
/// A libtorch tensor. Operations return new tensors owned by the innermost <see cref="DisposeScope"/> (if any);
/// dispose tensors, or their scope, to free native memory deterministically. Shapes, broadcasting, autograd and
/// numerics are libtorch's own.
/// </summary>
public sealed unsafe class Tensor : IDisposable
{
    private nint _handle;

    static Tensor()
    {
        TorchRuntime.EnsureLoaded();
    }

    internal Tensor(nint handle)
    {
        _handle = handle;
        DisposeScope.Current?.Add(this);
    }

    /// <summary>Releases the native tensor if it was never disposed.</summary>
    ~Tensor()
    {
        Free();
    }

    internal DisposeScope? Scope { get; set; }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _handle == 0;

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(Tensor));

    /// <summary>The sizes of each dimension.</summary>
    public long[] Shape
    {
        get
        {
            var n = lt_ndim(Handle);
            var shape = new long[n];
            fixed (long* p = shape)
            {
                lt_shape(Handle, p);
            }

            return shape;
        }
    }

    /// <summary>Number of dimensions.</summary>
    public int Dim => lt_ndim(Handle);

    /// <summary>Number of elements.</summary>
    public long NumEl => lt_numel(Handle);

    /// <summary>Element type.</summary>
    public ScalarType Dtype => (ScalarType)lt_dtype(Handle);

    /// <summary>Device.</summary>
    public DeviceType Device => (DeviceType)lt_device(Handle);

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var s = Shape;
        return s[dim < 0 ? s.Length + dim : dim];
    }

    /// <summary>Whether autograd records operations on this tensor.</summary>
    public bool RequiresGrad
    {
        get => lt_requires_grad(Handle) != 0;
        set => Check(lt_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>The accumulated gradient, or null before any backward pass.</summary>
    public Tensor? Grad
    {
        get
        {
            var h = lt_grad(Handle);
            return h == 0 ? null : new Tensor(h);
        }
    }

    /// <summary>Removes the gradient (as <c>optimizer.zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad() => Check(lt_zero_grad(Handle));

    /// <summary>Back-propagates from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        Check(lt_backward(Handle, gradient?.Handle ?? 0, retainGraph ? 1 : 0));

    /// <summary>A tensor sharing storage without autograd history.</summary>
    public Tensor Detach() => Wrap(lt_detach(Handle));

    /// <summary>A copy.</summary>
    public Tensor Clone() => Wrap(lt_clone(Handle));

    /// <summary>Converts element type and device.</summary>
    public Tensor To(ScalarType dtype, DeviceType? device = null) => Wrap(lt_to(Handle, (int)dtype, (int)(device ?? Device)));

    /// <summary>Moves to a device.</summary>
    public Tensor To(DeviceType device) => Wrap(lt_to(Handle, (int)Dtype, (int)device));

    /// <summary>Replaces this tensor's data (and so its dtype and device) with <paramref name="source"/>'s, keeping this
    /// object and whether it requires grad, as PyTorch's <c>tensor.data = source</c>.</summary>
    public void SetData(Tensor source) => Check(lt_set_data(Handle, source.Handle));

    /// <summary>A contiguous tensor with the same values.</summary>
    public Tensor Contiguous() => Wrap(lt_contiguous(Handle));

    /// <summary>Removes the tensor from its dispose scope; the caller owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope = null;
        return this;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public double Item()
    {
        var v = lt_item(Handle, out var status);
        Check(status);
        return v;
    }

    /// <summary>Copies the elements (row-major) to a new array.</summary>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        var source = ScalarTypes.Of<T>() == Dtype ? this : To(ScalarTypes.Of<T>());
        try
        {
            var result = new T[source.NumEl];
            fixed (T* p = result)
            {
                Check(lt_copy_to(source.Handle, p, (long)result.Length * sizeof(T)));
            }

            return result;
        }
        finally
        {
            if (!ReferenceEquals(source, this))
            {
                source.Dispose();
            }
        }
    }

    /// <summary>Overwrites the elements from host data (same element count and type), without autograd.</summary>
    public void CopyFrom<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (ScalarTypes.Of<T>() != Dtype)
        {
            throw new ArgumentException($"values are {typeof(T).Name}, the tensor is {Dtype}");
        }

        fixed (T* p = values)
        {
            Check(lt_copy_from(Handle, p, (long)values.Length * sizeof(T)));
        }
    }

    /// <summary>Frees the native tensor now.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}] {Dtype}";

    private void Free()
    {
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0)
        {
            lt_free(h);
        }
    }

    // ---- element-wise ----

    /// <summary>Sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Binary(0, a, b);

    /// <summary>Difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Binary(1, a, b);

    /// <summary>Product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Binary(2, a, b);

    /// <summary>Quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Binary(3, a, b);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, double s) => Scalar(0, a, s);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(double s, Tensor a) => Scalar(0, a, s);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, double s) => Scalar(1, a, s);

    /// <summary>A scalar minus the tensor.</summary>
    public static Tensor operator -(double s, Tensor a) => Scalar(5, a, s);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, double s) => Scalar(2, a, s);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(double s, Tensor a) => Scalar(2, a, s);

    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, double s) => Scalar(3, a, s);

    /// <summary>A scalar divided by the tensor.</summary>
    public static Tensor operator /(double s, Tensor a) => Scalar(6, a, s);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Unary(0);

    /// <summary>Element-wise power.</summary>
    public Tensor Pow(double exponent) => Scalar(4, this, exponent);

    /// <summary>Element-wise power with broadcasting.</summary>
    public Tensor Pow(Tensor exponent) => Binary(4, this, exponent);

    /// <summary>Element-wise maximum.</summary>
    public Tensor Maximum(Tensor other) => Binary(5, this, other);

    /// <summary>Element-wise minimum.</summary>
    public Tensor Minimum(Tensor other) => Binary(6, this, other);

    /// <summary>Matrix product (<c>torch.matmul</c> semantics).</summary>
    public Tensor Matmul(Tensor other) => Binary(7, this, other);

    /// <summary>Batched matrix product of (B, n, m) and (B, m, p).</summary>
    public Tensor Bmm(Tensor other) => Binary(8, this, other);

    /// <summary>Element-wise equality (bool).</summary>
    public Tensor Eq(double s) => Scalar(9, this, s);

    /// <summary>Element-wise greater-than (bool).</summary>
    public Tensor Gt(double s) => Scalar(10, this, s);

    /// <summary>Element-wise less-than (bool).</summary>
    public Tensor Lt(double s) => Scalar(11, this, s);

    /// <summary>Absolute value.</summary>
    public Tensor Abs() => Unary(1);

    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(2);

    /// <summary>Exponential.</summary>
    public Tensor Exp() => Unary(3);

    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(4);

    /// <summary>Logistic sigmoid.</summary>
    public Tensor Sigmoid() => Unary(5);

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(6);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(7);

    /// <summary>GELU (exact, erf form).</summary>
    public Tensor Gelu() => Unary(8);

    /// <summary>x squared.</summary>
    public Tensor Square() => Unary(9);

    /// <summary>1 / sqrt(x).</summary>
    public Tensor Rsqrt() => Unary(13);

    /// <summary>Sine.</summary>
    public Tensor Sin() => Unary(14);

    /// <summary>Cosine.</summary>
    public Tensor Cos() => Unary(15);

    /// <summary>Clamps to [min, max]; either bound may be absent.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(lt_clamp(Handle, min ?? 0, max ?? 0, min is null ? 0 : 1, max is null ? 0 : 1));

    // ---- shape ----

    /// <summary>Same data, new shape (-1 infers one size).</summary>
    public Tensor Reshape(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return Wrap(lt_reshape(Handle, p, shape.Length));
        }
    }

    /// <summary>A view with a new shape (the tensor must be compatible).</summary>
    public Tensor View(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return Wrap(lt_view(Handle, p, shape.Length));
        }
    }

    /// <summary>Reorders dimensions.</summary>
    public Tensor Permute(params long[] order)
    {
        fixed (long* p = order)
        {
            return Wrap(lt_permute(Handle, p, order.Length));
        }
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(long dim0, long dim1) => Wrap(lt_transpose(Handle, dim0, dim1));

    /// <summary>Inserts a dimension of size 1.</summary>
    public Tensor Unsqueeze(long dim) => Wrap(lt_unsqueeze(Handle, dim));

    /// <summary>Removes a dimension of size 1, or all of them when <paramref name="dim"/> is null.</summary>
    public Tensor Squeeze(long? dim = null) => Wrap(lt_squeeze(Handle, dim ?? 0, dim is null ? 1 : 0));

    /// <summary>A slice of <paramref name="length"/> along a dimension.</summary>
    public Tensor Narrow(long dim, long start, long length) => Wrap(lt_narrow(Handle, dim, start, length));

    /// <summary>Splits into <paramref name="chunks"/> pieces along a dimension (the last may be smaller).</summary>
    public Tensor[] Chunk(int chunks, long dim = 0)
    {
        var size = Size((int)dim);
        var step = (size + chunks - 1) / chunks;
        var result = new List<Tensor>();
        for (long start = 0; start < size; start += step)
        {
            result.Add(Narrow(dim, start, Math.Min(step, size - start)));
        }

        return result.ToArray();
    }

    /// <summary>Broadcasts to a larger shape without copying (-1 keeps a size).</summary>
    public Tensor Expand(params long[] shape)
    {
        fixed (long* p = shape)
        {
            return Wrap(lt_expand(Handle, p, shape.Length));
        }
    }

    /// <summary>Flattens dimensions start..end into one.</summary>
    public Tensor Flatten(long start = 0, long end = -1) => Wrap(lt_flatten(Handle, start, end));

    // ---- reductions ----

    /// <summary>Sum over dimensions (all when none are given).</summary>
    public Tensor Sum(long[]? dims = null, bool keepDim = false) => Reduce(0, dims, keepDim);

    /// <summary>Mean over dimensions (all when none are given).</summary>
    public Tensor Mean(long[]? dims = null, bool keepDim = false) => Reduce(1, dims, keepDim);

    /// <summary>Maximum over dimensions (values only, as <c>amax</c>).</summary>
    public Tensor Max(long[]? dims = null, bool keepDim = false) => Reduce(2, dims, keepDim);

    /// <summary>Minimum over dimensions (values only, as <c>amin</c>).</summary>
    public Tensor Min(long[]? dims = null, bool keepDim = false) => Reduce(3, dims, keepDim);

    /// <summary>Population variance over dimensions.</summary>
    public Tensor Var(long[]? dims = null, bool keepDim = false) => Reduce(4, dims, keepDim);

    /// <summary>Population standard deviation over dimensions.</summary>
    public Tensor Std(long[]? dims = null, bool keepDim = false) => Reduce(5, dims, keepDim);

    /// <summary>Index of the maximum along a dimension.</summary>
    public Tensor Argmax(long dim, bool keepDim = false) => Wrap(lt_argmax(Handle, dim, keepDim ? 1 : 0));

    // ---- in place, without autograd (optimizers, initialization) ----

    /// <summary><c>mul_(s)</c>.</summary>
    public void MulInPlace(double s) => InPlace(0, null, null, s);

    /// <summary><c>mul_(other)</c>.</summary>
    public void MulInPlace(Tensor other) => InPlace(10, other, null, 0);

    /// <summary><c>add_(other, alpha)</c>.</summary>
    public void AddInPlace(Tensor other, double alpha = 1) => InPlace(1, other, null, alpha);

    /// <summary><c>add_(s)</c>.</summary>
    public void AddInPlace(double s) => InPlace(6, null, null, s);

    /// <summary><c>addcmul_(a, b, value)</c>: this += value * a * b.</summary>
    public void AddcmulInPlace(Tensor a, Tensor b, double value) => InPlace(2, a, b, value);

    /// <summary><c>addcdiv_(a, b, value)</c>: this += value * a / b.</summary>
    public void AddcdivInPlace(Tensor a, Tensor b, double value) => InPlace(3, a, b, value);

    /// <summary><c>copy_(other)</c>.</summary>
    public void CopyInPlace(Tensor other) => InPlace(4, other, null, 0);

    /// <summary><c>zero_()</c>.</summary>
    public void ZeroInPlace() => InPlace(5, null, null, 0);

    /// <summary><c>sqrt_()</c>.</summary>
    public void SqrtInPlace() => InPlace(7, null, null, 0);

    /// <summary><c>div_(s)</c>.</summary>
    public void DivInPlace(double s) => InPlace(8, null, null, s);

    // ---- plumbing ----

    internal static Tensor Wrap(nint handle) => handle == 0 ? throw LastError() : new Tensor(handle);

    internal static void Check(int status)
    {
        if (status != 0)
        {
            throw LastError();
        }
    }

    internal static TorchException LastError()
    {
        TorchRuntime.EnsureLoaded();
        var message = Marshal.PtrToStringUTF8(lt_last_error()) ?? "libtorch reported an error without a message";
        lt_clear_error();
        return new TorchException(message.Trim());
    }

    private Tensor Unary(int op) => Wrap(lt_unary(op, Handle));

    private static Tensor Binary(int op, Tensor a, Tensor b) => Wrap(lt_binary(op, a.Handle, b.Handle));

    private static Tensor Scalar(int op, Tensor a, double s) => Wrap(lt_binary_scalar(op, a.Handle, s));

    private void InPlace(int op, Tensor? b, Tensor? c, double s) => Check(lt_inplace(op, Handle, b?.Handle ?? 0, c?.Handle ?? 0, s));

    private Tensor Reduce(int op, long[]? dims, bool keepDim)
    {
        dims ??= [];
        fixed (long* p = dims)
        {
            return Wrap(lt_reduce(op, Handle, p, dims.Length, keepDim ? 1 : 0));
        }
    }
}
