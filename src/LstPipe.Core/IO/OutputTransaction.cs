using LstPipe.Core.Errors;
using LstPipe.Core.Threading;

namespace LstPipe.Core.IO;

/// <summary>What a stage does with an output that is already there.</summary>
public enum OutputMode
{
    /// <summary>The output must be absent (or an empty folder).</summary>
    New,

    /// <summary>Replace it: the new output is built beside the old one and swapped in on success.</summary>
    Force,

    /// <summary>Add to it in place (a dataset's new scenes).</summary>
    Append,

    /// <summary>Finish an interrupted run in place; what it wrote is kept.</summary>
    Resume,

    /// <summary>Write files into a folder that may hold other things (a test's metrics beside a checkpoint); nothing
    /// there is deleted (a folder the run created is removed again when it fails).</summary>
    Into,
}

/// <summary>
/// One output of a stage being written, from start to commit: the only place the rules live. It refuses an output
/// that is, contains or lies inside an input (paths resolved); takes the output's lock so that one writer writes it;
/// removes the temporaries dead processes left beside it; for <see cref="OutputMode.Force"/> over an existing output
/// gives a staging path beside it and swaps it in on <see cref="Commit"/> (the old output is kept until the new one is
/// whole, and stays as it was if the run fails); for a new output writes in place and, unless asked to keep it for a
/// resume, deletes what it created when the run fails (a folder it made, or what it wrote into a folder that was
/// empty); for files stages each under a temporary name and renames them all on commit. A process ended by an interrupt
/// before it could unwind still removes what the transaction staged and its lock (<see cref="Interruption.Abandon"/>).
/// </summary>
public sealed class OutputTransaction : IDisposable
{
    private readonly OutputLock _lock;
    private readonly List<(string Temporary, string Final)> _files = [];
    private readonly bool _created;
    private readonly bool _wasEmpty;
    private readonly bool _keepOnFailure;
    private readonly IDisposable _abandon;
    private readonly Lock _gate = new();
    private bool _committed;
    private bool _keepForResume;
    private bool _disposed;

    private OutputTransaction(OutputLock writer, string final, string path, OutputMode mode, bool created, bool keepOnFailure,
        bool wasEmpty = false)
    {
        (_lock, FinalPath, Path, Mode, _created, _keepOnFailure, _wasEmpty) = (writer, final, path, mode, created, keepOnFailure,
            wasEmpty);
        _abandon = Interruption.OnAbandon(Abandon);
    }

    /// <summary>Where the output lands (absolute).</summary>
    public string FinalPath { get; }

    /// <summary>Where to write now: a staging folder beside the output while a forced replacement is built, else
    /// the output itself.</summary>
    public string Path { get; }

    /// <summary>The mode the writer sees: <see cref="OutputMode.New"/> inside a staging folder.</summary>
    public OutputMode Mode { get; }

    /// <summary>Whether the output is being built beside the old one.</summary>
    public bool Staged => Path != FinalPath;

    /// <summary>Begins writing a folder.</summary>
    /// <param name="output">The output folder as given.</param>
    /// <param name="mode">What to do with one that exists.</param>
    /// <param name="command">Who writes it, for a refused second writer's message.</param>
    /// <param name="inputs">What the stage reads, with a word for each.</param>
    /// <param name="inPlace">Write a new output in place, so that an interrupted run can be resumed (a crop, a training
    /// run); otherwise every new output is built in a staging folder and appears whole or not at all.</param>
    /// <param name="keepOnFailure">Keep a new in-place folder when the run fails (it can be resumed).</param>
    /// <param name="occupied">The message for a non-empty folder under <see cref="OutputMode.New"/>; null for the
    /// usual one.</param>
    /// <param name="lockOn">The output whose lock to take, where it is a larger one than this folder (a dataset's
    /// <c>parquet/</c> takes the dataset's, so no crop writes the dataset meanwhile); null: this folder's.</param>
    /// <exception cref="UsageException">The output overlaps an input, another process writes it, or it exists and
    /// the mode does not allow that.</exception>
    public static OutputTransaction Folder(string output, OutputMode mode, string command, IEnumerable<(string Path, string Role)> inputs,
        bool inPlace = false, bool keepOnFailure = false, string? occupied = null, string? lockOn = null)
    {
        OutputGuard.RefuseOverlap(output, inputs, mayContain: mode == OutputMode.Into);
        var final = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(output));
        var writer = OutputLock.Acquire(lockOn ?? output, command);
        try
        {
            var parent = System.IO.Path.GetDirectoryName(final) ?? "/";
            var name = System.IO.Path.GetFileName(final);
            Directory.CreateDirectory(parent);
            AtomicFile.RemoveStale(parent, name);
            AtomicFile.RemoveStale(parent, name + ".old");
            var exists = Directory.Exists(final) && Directory.EnumerateFileSystemEntries(final).Any();
            if (mode == OutputMode.New && exists)
            {
                throw new UsageException(occupied ?? $"{output}: exists and is not empty; choose another output, or pass " +
                    $"--force to replace it");
            }

            if ((mode == OutputMode.Force && exists) || (mode is OutputMode.New or OutputMode.Force && !inPlace))
            {
                var staging = System.IO.Path.Combine(parent, AtomicFile.TemporaryName(name));
                Directory.CreateDirectory(staging);
                return new OutputTransaction(writer, final, staging, OutputMode.New, created: true, keepOnFailure: false);
            }

            var created = !Directory.Exists(final);
            Directory.CreateDirectory(final);
            var seen = mode is OutputMode.Force ? OutputMode.New : mode;
            var made = created && mode is OutputMode.New or OutputMode.Force or OutputMode.Into;
            var wasEmpty = !created && !exists && seen == OutputMode.New;
            return new OutputTransaction(writer, final, final, seen, made, keepOnFailure, wasEmpty);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Begins writing one or more files named after <paramref name="output"/> (a raster and its quicklook).</summary>
    /// <exception cref="UsageException">The output overlaps an input, or another process writes it.</exception>
    public static OutputTransaction Files(string output, string command, IEnumerable<(string Path, string Role)> inputs)
    {
        OutputGuard.RefuseOverlap(output, inputs);
        var final = System.IO.Path.GetFullPath(output);
        var folder = System.IO.Path.GetDirectoryName(final) ?? "/";
        Directory.CreateDirectory(folder);
        var writer = OutputLock.Acquire(output, command);
        AtomicFile.RemoveStale(folder, System.IO.Path.GetFileName(final));
        return new OutputTransaction(writer, final, final, OutputMode.Force, created: false, keepOnFailure: false);
    }

    /// <summary>A temporary path beside <paramref name="file"/>, renamed to it on <see cref="Commit"/>.</summary>
    public string Stage(string file)
    {
        var final = System.IO.Path.GetFullPath(file);
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(final) ?? "/",
            AtomicFile.TemporaryName(System.IO.Path.GetFileName(final)));
        lock (_gate)
        {
            _files.Add((temporary, final));
        }

        return temporary;
    }

    /// <summary>Keeps what an interrupted run wrote in place, for a later <c>--resume</c> (a staging folder is still
    /// removed: the output it would have replaced stays as it was).</summary>
    public void KeepForResume() => _keepForResume = true;

    /// <summary>Puts the output in place: renames staged files, or swaps a staging folder in for the old output.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        using var gate = _gate.EnterScope();
        foreach (var (temporary, final) in _files)
        {
            File.Move(temporary, final, overwrite: true);
        }

        if (Staged)
        {
            var old = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(FinalPath) ?? "/",
                AtomicFile.TemporaryName(System.IO.Path.GetFileName(FinalPath) + ".old"));
            var replaced = Directory.Exists(FinalPath);
            if (replaced)
            {
                Directory.Move(FinalPath, old);
            }

            Directory.Move(Path, FinalPath);
            if (replaced)
            {
                TryDelete(old);
            }
        }

        _committed = true;
    }

    /// <summary>Releases the lock; without a commit, removes what the run made: staged files, a staging folder, a folder
    /// it created, or what it wrote into a new output's empty folder (unless it is kept for a resume).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _abandon.Dispose();
        RemoveUncommitted();
        _lock.Dispose();
    }

    private void RemoveUncommitted()
    {
        if (!_committed)
        {
            foreach (var (temporary, _) in _files)
            {
                File.Delete(temporary);
            }

            var kept = _keepOnFailure || _keepForResume;
            if (Staged || (_created && !kept))
            {
                TryDelete(Path);
            }
            else if (_wasEmpty && !kept)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(Path).ToList())
                {
                    TryDelete(entry);
                }
            }
        }
    }

    /// <summary>For a process that ends before it unwinds: what <see cref="Dispose"/> does (an output kept for a resume
    /// stays), unless a commit is under way (the swap then finishes first).</summary>
    private void Abandon()
    {
        if (_gate.TryEnter(TimeSpan.FromSeconds(1)))
        {
            try
            {
                RemoveUncommitted();
            }
            finally
            {
                _gate.Exit();
            }
        }

        _lock.Dispose();
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
