using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LstPipe.Core.Interop;
using static LstPipe.Dataset.Native.NativeMethods;

namespace LstPipe.Dataset.Mat;

/// <summary>Loads matio once and routes its log into the calling thread's last message, so failures become
/// exceptions that name the file instead of text on standard error.</summary>
internal static unsafe class MatRuntime
{
    private static readonly Lazy<bool> Initialized = new(Initialize);

    [ThreadStatic]
    private static string? _lastMessage;

    public static void EnsureInitialized() => _ = Initialized.Value;

    private static bool Initialize()
    {
        NativeLibraries.Register(typeof(MatRuntime).Assembly);
        NativeLibraries.Require("matio");
        Mat_LogInitFunc("lstpipe", &Log);
        return true;
    }

    /// <summary>Clears and returns the last message matio logged on this thread.</summary>
    public static string TakeMessage()
    {
        var m = _lastMessage;
        _lastMessage = null;
        return string.IsNullOrWhiteSpace(m) ? "matio reported no detail" : m.Trim();
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Log(int level, byte* message)
    {
        _lastMessage = Marshal.PtrToStringUTF8((nint)message);
    }
}
