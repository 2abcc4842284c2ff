using LstPipe.Core.Errors;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.IO;

/// <summary>
/// Keeps a command from reading a folder while another lstpipe rewrites it, without taking a lock (which would leave a
/// lock file beside inputs that may lie anywhere, even read-only): <see cref="Start"/> refuses a folder whose output lock
/// is held, and <see cref="Check"/> (after the reads, or when a read failed) refuses one that another process has written
/// or replaced meanwhile, as <c>crop --force</c> swaps a new dataset in for the old. Either is the usual one-line lock
/// message instead of what a half-read folder looks like.
/// </summary>
public sealed class InputWatch
{
    private readonly string _folder;
    private readonly (long Device, long Inode)? _identity;

    private InputWatch(string folder, (long, long)? identity) => (_folder, _identity) = (folder, identity);

    /// <summary>Begins reading <paramref name="folder"/>.</summary>
    /// <exception cref="UsageException">Another lstpipe is writing it.</exception>
    public static InputWatch Start(string folder)
    {
        Refuse(folder, OutputLock.Holder(folder), "");
        return new InputWatch(folder, Identity(folder));
    }

    /// <summary>Throws when the folder is being written now or was replaced since <see cref="Start"/>.</summary>
    /// <exception cref="UsageException">It was.</exception>
    public void Check()
    {
        Refuse(_folder, OutputLock.Holder(_folder), " while this command read it");
        if (Identity(_folder) != _identity)
        {
            throw new UsageException($"{_folder}: another lstpipe replaced it while this command read it; run the command again");
        }
    }

    /// <summary>Runs <paramref name="read"/>; a failure while the folder was being rewritten is reported as that.</summary>
    public T Read<T>(Func<T> read)
    {
        T value;
        try
        {
            value = read();
        }
        catch (Exception e) when ((e is LstPipeException or IOException) && Changed())
        {
            Check();
            throw;
        }

        Check();
        return value;
    }

    private bool Changed() => OutputLock.Holder(_folder) is not null || Identity(_folder) != _identity;

    private static void Refuse(string folder, string? holder, string when)
    {
        if (holder is not null)
        {
            throw new UsageException($"{folder}: another lstpipe is writing it ({holder}){when}; wait for it to finish or stop it, " +
                $"then run again");
        }
    }

    private static unsafe (long, long)? Identity(string folder)
    {
        Interop.NativeLibraries.Register(typeof(InputWatch).Assembly);
        var st = stackalloc long[32];
        return Stat(folder, st) == 0 ? (st[0], st[1]) : null;
    }
}
