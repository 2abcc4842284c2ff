using System.Globalization;
using System.Text;
using LstPipe.Core.Errors;

namespace LstPipe.Core.IO;

/// <summary>
/// One writer per output: an exclusive lock (a POSIX record lock on <c>.NAME.lstpipe-lock</c> beside the output) held
/// while a command writes the output. The lock file names the holder's process id and command, so a second writer
/// is refused with a one-line error that says who holds it. The lock goes with the process, however it ends.
/// </summary>
public sealed class OutputLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private OutputLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>Takes the lock of <paramref name="output"/> for <paramref name="command"/>.</summary>
    /// <exception cref="UsageException">Another process holds it; the message names its process id and command.</exception>
    public static OutputLock Acquire(string output, string command)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output));
        var parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        var path = Path.Combine(parent, "." + Path.GetFileName(full) + ".lstpipe-lock");
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            if (!OperatingSystem.IsMacOS())
            {
                stream.Lock(0, 1);
            }
        }
        catch (IOException)
        {
            stream.Position = 0;
            var holder = new StreamReader(stream, Encoding.UTF8).ReadToEnd().Trim();
            stream.Dispose();
            throw new UsageException($"{output}: another lstpipe is writing it ({(holder.Length > 0 ? holder : "a process")}); wait for it to finish or stop it");
        }

        stream.SetLength(0);
        var text = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}: {command}\n"));
        stream.Write(text);
        stream.Flush();
        return new OutputLock(stream, path);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }

        _stream.Dispose();
    }
}
