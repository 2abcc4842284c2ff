using LstPipe.Core.Interop;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.IO;

/// <summary>Hard links, for exports that present a dataset's files under another layout without copying them.</summary>
public static class HardLink
{
    /// <summary>Links <paramref name="created"/> to <paramref name="existing"/>, or copies it where the file system
    /// cannot (another device, no link support).</summary>
    /// <returns>Whether it was linked rather than copied.</returns>
    public static bool TryCreate(string existing, string created)
    {
        NativeLibraries.Register(typeof(HardLink).Assembly);
        if (!File.Exists(existing))
        {
            throw new Errors.DataException($"{existing}: missing; the dataset is incomplete (rebuild it)");
        }

        if (Link(existing, created) == 0)
        {
            return true;
        }

        File.Copy(existing, created);
        return false;
    }
}
