using System.Runtime.InteropServices;
using static LstPipe.Torch.Native.NativeMethods;

namespace LstPipe.Torch;

/// <summary>Tensor creation, random seeding, threads, autograd mode and scopes (PyTorch's <c>torch.*</c>).</summary>
public static unsafe class Torch
{
    static Torch()
    {
        TorchRuntime.EnsureLoaded();
    }

    /// <summary>The linked libtorch version, for example <c>1.13.1</c>.</summary>
    public static string Version => Marshal.PtrToStringUTF8(lt_version()) ?? "";

    /// <summary>Whether the linked libtorch can use a CUDA GPU.</summary>
    public static bool CudaIsAvailable => lt_cuda_available() != 0;

    /// <summary>Parses a device name: <c>cpu</c>, or <c>cuda</c> where this libtorch has CUDA and sees a GPU.</summary>
    /// <exception cref="Core.Errors.UsageException">The name is unknown or CUDA is not available.</exception>
    public static DeviceType ParseDevice(string name) => name switch
    {
        "cpu" => DeviceType.Cpu,
        "cuda" when CudaIsAvailable => DeviceType.Cuda,
        "cuda" => throw new Core.Errors.UsageException(
            $"--device cuda: libtorch {Version} linked here has no CUDA or sees no GPU (Debian's libtorch is CPU-only); rebuild native/ against a CUDA libtorch with -DCMAKE_PREFIX_PATH (docs/TENSORS.md) or use --device cpu"),
        _ => throw new Core.Errors.UsageException($"--device {name}: use cpu or cuda"),
    };

    /// <summary>Threads of libtorch's intra-op pool.</summary>
    public static int NumThreads
    {
        get => lt_get_num_threads();
        set => Tensor.Check(lt_set_num_threads(value));
    }

    /// <summary>Seeds libtorch's generators (as <c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(ulong seed) => Tensor.Check(lt_manual_seed(seed));

    /// <summary>Starts a scope that frees the tensors created in it when disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables gradient recording until disposed (as <c>torch.no_grad()</c>).</summary>
    public static IDisposable NoGrad() => new GradMode(false);

    /// <summary>Enables gradient recording until disposed (as <c>torch.enable_grad()</c>).</summary>
    public static IDisposable EnableGrad() => new GradMode(true);

    /// <summary>A tensor holding a copy of <paramref name="data"/> in the given shape (default: one dimension).</summary>
    public static Tensor FromArray<T>(T[] data, long[]? shape = null, bool requiresGrad = false)
        where T : unmanaged
    {
        shape ??= [data.Length];
        if (shape.Aggregate(1L, (a, b) => a * b) != data.Length)
        {
            throw new ArgumentException($"{data.Length} values do not fill the shape [{string.Join(", ", shape)}]");
        }

        fixed (T* p = data)
        fixed (long* s = shape)
        {
            return Tensor.Wrap(lt_from_data(p, s, shape.Length, (int)ScalarTypes.Of<T>(), requiresGrad ? 1 : 0));
        }
    }


    /// <summary>Zeros.</summary>
    public static Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32, bool requiresGrad = false, DeviceType device = DeviceType.Cpu) =>
        Create(0, shape, dtype, requiresGrad, device, 0);

    /// <summary>Ones.</summary>
    public static Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32, bool requiresGrad = false, DeviceType device = DeviceType.Cpu) =>
        Create(1, shape, dtype, requiresGrad, device, 0);

    /// <summary>Uniform [0, 1) samples from libtorch's generator.</summary>
    public static Tensor Rand(long[] shape, ScalarType dtype = ScalarType.Float32, bool requiresGrad = false, DeviceType device = DeviceType.Cpu) =>
        Create(2, shape, dtype, requiresGrad, device, 0);

    /// <summary>Standard normal samples from libtorch's generator.</summary>
    public static Tensor Randn(long[] shape, ScalarType dtype = ScalarType.Float32, bool requiresGrad = false, DeviceType device = DeviceType.Cpu) =>
        Create(3, shape, dtype, requiresGrad, device, 0);

    /// <summary>Uninitialized memory.</summary>
    public static Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32, bool requiresGrad = false, DeviceType device = DeviceType.Cpu) =>
        Create(4, shape, dtype, requiresGrad, device, 0);

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, bool requiresGrad = false, DeviceType device = DeviceType.Cpu) =>
        Create(5, shape, dtype, requiresGrad, device, value);

    /// <summary>Values from start (inclusive) to end (exclusive) by step.</summary>
    public static Tensor Arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Float32) =>
        Tensor.Wrap(lt_arange(start, end, step, (int)dtype));

    /// <summary>Concatenates along an existing dimension.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: false);

    /// <summary>Stacks along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: true);

    /// <summary>Elements of <paramref name="a"/> where <paramref name="condition"/> holds, else of <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) => Tensor.Wrap(lt_where(condition.Handle, a.Handle, b.Handle));

    private static Tensor Create(int kind, long[] shape, ScalarType dtype, bool requiresGrad, DeviceType device, double value)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(lt_create(kind, s, shape.Length, (int)dtype, (int)device, requiresGrad ? 1 : 0, value));
        }
    }

    private static Tensor Join(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        var handles = tensors.Select(t => t.Handle).ToArray();
        fixed (nint* h = handles)
        {
            return Tensor.Wrap(stack ? lt_stack(h, handles.Length, dim) : lt_cat(h, handles.Length, dim));
        }
    }

    private sealed class GradMode : IDisposable
    {
        private readonly int _previous;
        private bool _done;

        public GradMode(bool enabled) => _previous = lt_grad_mode_set(enabled ? 1 : 0);

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                lt_grad_mode_set(_previous);
            }
        }
    }
}
