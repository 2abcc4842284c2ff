using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LstPipe.Core.Errors;
using LstPipe.Core.Interop;
using static LstPipe.Core.Native.NativeMethods;

namespace LstPipe.Core.IO;

/// <summary>
/// One writer per output: a record lock on <c>.NAME.lstpipe-lock</c> beside the output, held while a command writes
/// it. An exclusive holder writes its process id and command into the file, so a second writer is refused with a
/// one-line error that says who holds it. Shared holders (the shards of one <c>lstpipe run</c>, which divide the
/// work between them) exclude exclusive ones but not each other. The locks are Linux open-file-description locks:
/// they go with the process however it ends, and one process's two locks on a file conflict as two processes' do.
/// </summary>
public sealed class OutputLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;
    private readonly bool _shared;

    private OutputLock(FileStream stream, string path, bool shared)
    {
        _stream = stream;
        _path = path;
        _shared = shared;
    }

    /// <summary>The lock file of an output: <c>.NAME.lstpipe-lock</c> in its parent folder.</summary>
    public static string LockPath(string output)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output));
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + ".lstpipe-lock");
    }

    /// <summary>Takes the lock of <paramref name="output"/> for <paramref name="command"/>.</summary>
    /// <param name="output">The folder or file to be written.</param>
    /// <param name="command">What holds it, as the refused writer's message will show it.</param>
    /// <param name="shared">Share the lock with other shared holders (shards of one run).</param>
    /// <exception cref="UsageException">Another process holds it; the message names its process id and command.</exception>
    public static OutputLock Acquire(string output, string command, bool shared = false)
    {
        NativeLibraries.Register(typeof(OutputLock).Assembly);
        var path = LockPath(output);
        while (true)
        {
            var stream = Create(output, path);
            if (!TryLock(stream, shared ? F_RDLCK : F_WRLCK))
            {
                var holder = new StreamReader(stream, Encoding.UTF8).ReadToEnd().Trim();
                stream.Dispose();
                var who = holder.Length > 0 ? holder : shared ? "a process" : "shards of 'lstpipe run --shard'";
                throw new UsageException($"{output}: another lstpipe is writing it ({who}); wait for it to finish or stop it");
            }

            if (!SameFile(stream, path))
            {
                stream.Dispose();
                continue;
            }

            var taken = new OutputLock(stream, path, shared);
            if (!shared)
            {
                try
                {
                    stream.SetLength(0);
                    stream.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}: " +
                        $"{command}\n")));
                    stream.Flush();
                }
                catch (Exception e) when (WriteFailure.Classify(path, e) is { } failure)
                {
                    taken.Dispose();
                    throw failure;
                }
            }

            return taken;
        }
    }

    /// <summary>Who writes <paramref name="output"/> now: the holder's line (<c>pid N: COMMAND</c>, or the shards of a
    /// run), or null when no one holds its lock. Creates nothing, so it serves readers of outputs anywhere.</summary>
    public static string? Holder(string output)
    {
        NativeLibraries.Register(typeof(OutputLock).Assembly);
        FileStream stream;
        try
        {
            stream = new FileStream(LockPath(output), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        using (stream)
        {
            var l = new Flock { Type = F_WRLCK, Whence = 0, Start = 0, Length = 0 };
            if (FcntlLock((int)stream.SafeFileHandle.DangerousGetHandle(), F_OFD_GETLK, ref l) != 0 || l.Type == F_UNLCK)
            {
                return null;
            }

            var holder = new StreamReader(stream, Encoding.UTF8).ReadToEnd().Trim();
            return holder.Length > 0 ? holder : "shards of 'lstpipe run --shard'";
        }
    }

    /// <summary>Opens (creating it) the lock file; a place where the file system creates no file, such as <c>/proc</c>,
    /// is a usage error naming the output.</summary>
    private static FileStream Create(string output, string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"{output}: no file can be created beside it ({path} cannot be made there); write the " +
                $"output to a folder on a regular file system", e);
        }
    }

    private static bool TryLock(FileStream stream, short type)
    {
        var l = new Flock { Type = type, Whence = 0, Start = 0, Length = 0 };
        if (FcntlLock((int)stream.SafeFileHandle.DangerousGetHandle(), F_OFD_SETLK, ref l) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is 11 or 13 ? false : throw new IOException($"{stream.Name}: cannot lock it (errno {errno})");
    }

    /// <summary>Whether the locked descriptor is still the file at <paramref name="path"/>: an exclusive holder deletes
    /// the file when it lets go, and a lock taken on the deleted file would exclude no one.</summary>
    private static unsafe bool SameFile(FileStream stream, string path)
    {
        var a = stackalloc long[32];
        var b = stackalloc long[32];
        return FStat((int)stream.SafeFileHandle.DangerousGetHandle(), a) == 0 && Stat(path, b) == 0 && a[0] == b[0] && a[1] == b[1];
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_shared)
        {
            try
            {
                File.Delete(_path);
            }
            catch (IOException)
            {
            }
        }

        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
        }
    }
}
