using System.Runtime.InteropServices;

namespace LstPipe.Core.Native;

/// <summary>The few C library calls .NET does not expose: open-file-description record locks (Linux 3.15+), which
/// can be shared or exclusive and belong to one open file rather than to the whole process, and the inode a path
/// or descriptor names, and what a file system holds (statvfs).</summary>
internal static unsafe partial class NativeMethods
{
    private const string Libc = "libc";

    /// <summary><c>F_OFD_GETLK</c>: ask whether a lock could be taken, and who holds the one in the way.</summary>
    internal const int F_OFD_GETLK = 36;

    /// <summary><c>F_OFD_SETLK</c>: take or release a lock without waiting.</summary>
    internal const int F_OFD_SETLK = 37;

    internal const short F_RDLCK = 0;
    internal const short F_WRLCK = 1;
    internal const short F_UNLCK = 2;

    /// <summary><c>struct flock</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int FcntlLock(int fd, int command, ref Flock flock);

    /// <summary><c>stat</c> and <c>fstat</c> into a buffer of <c>struct stat</c> (144 bytes on 64-bit Linux; the device
    /// and inode numbers are its first two 64-bit fields).</summary>
    [LibraryImport(Libc, EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Stat(string path, long* buffer);

    [LibraryImport(Libc, EntryPoint = "fstat", SetLastError = true)]
    internal static partial int FStat(int fd, long* buffer);

    [LibraryImport(Libc, EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Link(string existing, string created);

    /// <summary><c>ST_RDONLY</c> in <c>statvfs.f_flag</c>: the file system is mounted read-only.</summary>
    internal const long ST_RDONLY = 1;

    /// <summary><c>statvfs</c> into a buffer of <c>struct statvfs</c> (112 bytes on 64-bit Linux, eight-byte fields:
    /// bsize, frsize, blocks, bfree, bavail, files, ffree, favail, fsid, flag, namemax).</summary>
    [LibraryImport(Libc, EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int StatVfs(string path, long* buffer);
}
