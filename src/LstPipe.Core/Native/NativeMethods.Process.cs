using System.Runtime.InteropServices;

namespace LstPipe.Core.Native;

/// <summary>Ending the process at once, for an interrupt that the running command did not answer in time.</summary>
internal static partial class NativeMethods
{
    /// <summary><c>_exit</c>: ends the process without running exit handlers (libtorch's and ONNX Runtime's static
    /// destructors would run while other threads are still inside them).</summary>
    [LibraryImport(Libc, EntryPoint = "_exit")]
    internal static partial void Exit(int status);
}
