using System.Globalization;
using System.Runtime.InteropServices;
using LstPipe.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace LstPipe.Models;

/// <summary>libtorch through TorchSharp, loaded once: the thread count (<c>LSTPIPE_THREADS</c> when set, as the tests
/// do, otherwise every core this process may use), OpenMP's passive waiting, one inter-op thread, device names, and a
/// one-line error when the native library cannot load.</summary>
/// <remarks>OpenMP threads that spin while they wait (libgomp's default) hold a core another process needs: beside a
/// busy loop on one of two cores, two spinning threads were 1.6x slower than one (3x on a loaded machine), two passive
/// ones 1.2x. Passive waiting (<c>OMP_WAIT_POLICY=PASSIVE</c>, set before libtorch loads unless the environment sets
/// it) costs nothing measurable alone; bench/README.md has the figures. Inter-op parallelism (independent operators
/// run side by side) is unused by these networks' eager forwards, so its pool gets one thread instead of one per
/// core.</remarks>
public static class TorchSetup
{
    private static readonly Lazy<bool> Loaded = new(Load);

    /// <summary>The libtorch version TorchSharp wraps.</summary>
    public static string Version => __version__;

    /// <summary>Loads libtorch and applies the thread count; safe to call often.</summary>
    /// <exception cref="DataException">The native library did not load.</exception>
    public static void EnsureLoaded() => _ = Loaded.Value;

    /// <summary>Threads of libtorch's intra-op pool.</summary>
    public static int Threads
    {
        get
        {
            EnsureLoaded();
            return get_num_threads();
        }

        set
        {
            EnsureLoaded();
            set_num_threads(value);
        }
    }

    /// <summary>Whether this libtorch build has CUDA and sees a GPU.</summary>
    public static bool CudaIsAvailable
    {
        get
        {
            EnsureLoaded();
            return cuda.is_available();
        }
    }

    /// <summary>Parses a device name: <c>cpu</c>, or <c>cuda</c> where the build has CUDA and sees a GPU.</summary>
    /// <exception cref="UsageException">The name is unknown or CUDA is not available.</exception>
    public static Device ParseDevice(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" when CudaIsAvailable => CUDA,
        "cuda" => throw new UsageException(
            $"--device cuda: this build's libtorch {Version} has no CUDA or sees no GPU (the default build is CPU-only); build " +
                $"with -p:LstPipeTorch=cuda on a machine with CUDA (docs/TENSORS.md) or use --device cpu"),
        _ => throw new UsageException($"--device {name}: use cpu or cuda"),
    };

    /// <summary>The thread count <c>LSTPIPE_THREADS</c> sets, or null when it is not set.</summary>
    /// <exception cref="UsageException">It is set to something other than a positive integer.</exception>
    public static int? ThreadsFromEnvironment()
    {
        var env = Environment.GetEnvironmentVariable("LSTPIPE_THREADS");
        if (string.IsNullOrWhiteSpace(env))
        {
            return null;
        }

        return int.TryParse(env, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"LSTPIPE_THREADS={env}: use a positive number of threads, or unset it for all cores");
    }

    /// <summary>The instruction set oneDNN (libtorch's CPU convolutions) is held to on a CPU where its vector kernels
    /// compute wrong values, or null where it may choose. On AMD processors with AVX-512 (the Zen 4 EPYC of these
    /// machines), libtorch 2.10's oneDNN float32 convolutions gave NaN or values off by kelvins, at random, with AVX-512
    /// (a 3 x 3 convolution of 24 channels: 2.7 off its float64 result, or NaN) and with AVX2 or AVX (10 channels: 0.9
    /// off); held to SSE4.1 every convolution of MoCoLSK agrees with float64 to 1e-6. An <c>ONEDNN_MAX_CPU_ISA</c>
    /// already in the environment is kept.</summary>
    public static string? OneDnnIsa(Core.Native.CpuFeatures cpu) =>
        cpu.Vendor == "AuthenticAMD" && cpu.Flags.Contains("avx512f") ? "SSE41" : null;

    /// <summary>The OpenMP wait policy libtorch runs with: the environment's <c>OMP_WAIT_POLICY</c>, else PASSIVE.</summary>
    public static string WaitPolicy { get; private set; } = "";

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    private static bool Load()
    {
        WaitPolicy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 } given ? given : "PASSIVE";
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            // .NET's Environment.SetEnvironmentVariable does not reach getenv in native code; OpenMP reads it when it loads.
            _ = SetNativeEnvironment("OMP_WAIT_POLICY", WaitPolicy, 0);
            if (OneDnnIsa(Core.Native.CpuFeatures.Current) is { } isa)
            {
                _ = SetNativeEnvironment("ONEDNN_MAX_CPU_ISA", isa, 0);
            }
        }

        try
        {
            InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            throw new DataException($"TorchSharp's native library did not load ({e.Message.Split('\n')[0].Trim()}); run " +
                $"scripts/setup.sh, which patches it for an older libstdc++ (docs/TENSORS.md)");
        }

        set_num_threads(ThreadsFromEnvironment() ?? Environment.ProcessorCount);
        _ = NnpackSwitch.TurnOff();
        try
        {
            set_num_interop_threads(1);
        }
        catch (ExternalException)
        {
            // The pool had already started (another library used it first); its size stays.
        }

        return true;
    }
}
