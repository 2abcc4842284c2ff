using System.Runtime.InteropServices;

namespace LstPipe.Models;

/// <summary>libtorch's NNPACK convolution path, switched off through <c>at::Context::setUserEnabledNNPACK</c> (TorchSharp
/// does not expose it). On the AMD EPYC (Zen 4) of these machines NNPACK does not initialize, and libtorch 2.10 asks it
/// again at every single-threaded 1 x 1 convolution, printing "Could not initialize NNPACK! Reason: Unsupported
/// hardware." each time: 826 lines in two minutes of <c>train --threads 1</c>. Where it does initialize it would serve
/// only batches of 16 or more; off everywhere, every machine takes the same convolution paths.</summary>
public static class NnpackSwitch
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetUserEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string UserEnabled = "_ZNK2at7Context17userEnabledNNPACKEv";

    /// <summary>Switches NNPACK off in the libtorch TorchSharp loaded (found by its name among the loaded libraries);
    /// returns false where that library or its symbols are not found (NNPACK then stays as libtorch chose).</summary>
    public static unsafe bool TurnOff()
    {
        if (Exports() is not var (context, set, _))
        {
            return false;
        }

        ((delegate* unmanaged<IntPtr, byte, void>)set)(((delegate* unmanaged<IntPtr>)context)(), 0);
        return true;
    }

    /// <summary>Whether libtorch will use NNPACK where it may; null where the library or its symbols are not found.</summary>
    public static unsafe bool? IsOn() => Exports() is var (context, _, get)
        ? ((delegate* unmanaged<IntPtr, byte>)get)(((delegate* unmanaged<IntPtr>)context)()) != 0
        : null;

    private static (IntPtr Context, IntPtr Set, IntPtr Get)? Exports()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so");
        foreach (var candidate in new[] { "libtorch_cpu.so", native })
        {
            if (NativeLibrary.TryLoad(candidate, out var library)
                && NativeLibrary.TryGetExport(library, GlobalContext, out var context)
                && NativeLibrary.TryGetExport(library, SetUserEnabled, out var set)
                && NativeLibrary.TryGetExport(library, UserEnabled, out var get))
            {
                return (context, set, get);
            }
        }

        return null;
    }
}
