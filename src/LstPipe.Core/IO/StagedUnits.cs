namespace LstPipe.Core.IO;

/// <summary>
/// A folder where shards of a stage leave finished units of work (files written under temporary names and renamed, so
/// a file there is complete), laid out as they will be in the stage's output. The stage's merge run moves each staged
/// file into place and makes only the units no shard left; with no folder (<c>null</c>) it makes them all.
/// </summary>
/// <param name="folder">The staging folder, or null when nothing is staged.</param>
public sealed class StagedUnits(string? folder)
{
    /// <summary>Nothing staged.</summary>
    public static StagedUnits None { get; } = new(null);

    /// <summary>The staging folder, or null.</summary>
    public string? Folder { get; } = folder;

    /// <summary>Where a unit's file is staged, <paramref name="relative"/> to the folder.</summary>
    /// <exception cref="InvalidOperationException">Nothing is staged here.</exception>
    public string PathOf(string relative) =>
        Path.Combine(Folder ?? throw new InvalidOperationException("no staging folder"), relative);

    /// <summary>Whether the file is staged.</summary>
    public bool Has(string relative) => Folder is not null && File.Exists(PathOf(relative));

    /// <summary>How many complete files are staged (temporaries of interrupted writes left out).</summary>
    public int Count() =>
        Folder is not null && Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*",
                SearchOption.AllDirectories).Count(f => !AtomicFile.IsTemporaryName(Path.GetFileName(f)))
            : 0;

    /// <summary>Moves the staged file to <paramref name="destination"/> (replacing it); false when it is not staged.</summary>
    public bool TryTake(string relative, string destination)
    {
        if (!Has(relative))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        File.Move(PathOf(relative), destination, overwrite: true);
        return true;
    }
}
