using System.Globalization;
using LstPipe.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace LstPipe.Models;

/// <summary>libtorch through TorchSharp, loaded once: the thread count (<c>LSTPIPE_THREADS</c> when set, as the tests
/// do, otherwise every core), device names, and a one-line error when the native library cannot load.</summary>
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

    private static bool Load()
    {
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
        return true;
    }
}
