using System.Globalization;
using LstPipe.Core.Compression;

namespace LstPipe.Dataset.Crop;

/// <summary>
/// <c>.lstpipe-crop.sums</c>, beside the crop state: one line per MAT file the crop wrote (its CRC-32, its length and
/// its path in the dataset), appended as each is written. A resume keeps a file only when it still matches its line;
/// a file damaged since, or written just before a kill and never recorded, is written again.
/// </summary>
internal sealed class TileJournal : IDisposable
{
    /// <summary>The journal's file name in the dataset folder.</summary>
    public const string FileName = ".lstpipe-crop.sums";

    private readonly string _root;
    private readonly Dictionary<string, (uint Crc, long Length)> _recorded = new(StringComparer.Ordinal);
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    private TileJournal(string root, bool resume)
    {
        _root = root;
        var path = Path.Combine(root, FileName);
        if (resume && File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ', 3);
                if (parts.Length == 3 && uint.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var crc)
                    && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    _recorded[parts[2]] = (crc, length);
                }
            }
        }

        _writer = new StreamWriter(new FileStream(path, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read));
    }

    /// <summary>Opens the journal of <paramref name="root"/>: the recorded lines kept on a resume, a new one otherwise.</summary>
    public static TileJournal Open(string root, bool resume) => new(root, resume);

    /// <summary>Removes the journal of a finished or abandoned crop.</summary>
    public static void Delete(string root) => File.Delete(Path.Combine(root, FileName));

    /// <summary>Whether an existing file still holds the bytes recorded when it was written.</summary>
    public bool Matches(string path)
    {
        if (!_recorded.TryGetValue(Relative(path), out var recorded))
        {
            return false;
        }

        using var stream = File.OpenRead(path);
        return Crc32.Of(stream) == recorded;
    }

    /// <summary>Whether the journal has a line for the file (written by the interrupted run).</summary>
    public bool Knows(string path) => _recorded.ContainsKey(Relative(path));

    /// <summary>Appends the line of a file just written.</summary>
    public void Record(string path)
    {
        (uint Crc, long Length) sum;
        using (var stream = File.OpenRead(path))
        {
            sum = Crc32.Of(stream);
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{sum.Crc:x8} {sum.Length} {Relative(path)}");
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private string Relative(string path) => Path.GetRelativePath(_root, path);
}
