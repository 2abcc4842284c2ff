using System.Globalization;
using LstPipe.Core.Interop;
using static LstPipe.Torch.Native.NativeMethods;

namespace LstPipe.Torch;

/// <summary>Loads the libtorch shim once and applies the thread count: <c>LSTPIPE_THREADS</c> when set (tests use 1),
/// otherwise every core.</summary>
internal static class TorchRuntime
{
    private static readonly Lazy<bool> Loaded = new(Load);

    public static void EnsureLoaded() => _ = Loaded.Value;

    private static bool Load()
    {
        NativeLibraries.Register(typeof(TorchRuntime).Assembly);
        NativeLibraries.Require("lstorch");
        var env = Environment.GetEnvironmentVariable("LSTPIPE_THREADS");
        var threads = int.TryParse(env, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : Environment.ProcessorCount;
        lt_set_num_threads(threads);
        return true;
    }
}
