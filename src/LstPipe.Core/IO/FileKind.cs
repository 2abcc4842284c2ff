using System.Runtime.InteropServices;
using LstPipe.Core.Interop;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.IO;

/// <summary>What a path names, as <c>stat</c> (following links) tells: a reader that opens a FIFO waits for a writer
/// forever, and one that opens a device reads without end, so such paths are refused before they are opened.</summary>
public static unsafe class FileKind
{
    private const int TypeMask = 0xF000;

    /// <summary>The kind of a path that exists but is neither a regular file nor a folder (<c>a FIFO</c>,
    /// <c>a socket</c>, <c>a character device</c>, <c>a block device</c>); null for a file, a folder, or a path
    /// that does not exist.</summary>
    public static string? Special(string path)
    {
        NativeLibraries.Register(typeof(FileKind).Assembly);
        var buffer = stackalloc long[32];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }

        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : 24;
        var mode = *(uint*)((byte*)buffer + modeOffset) & TypeMask;
        return mode switch
        {
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => null,
        };
    }
}
