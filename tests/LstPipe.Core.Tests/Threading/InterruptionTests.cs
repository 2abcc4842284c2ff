using LstPipe.Core.IO;
using LstPipe.Core.Threading;

namespace LstPipe.Core.Tests.Threading;

/// <summary>What a process ended by an interrupt before it unwinds removes (<see cref="Interruption.RemoveAll"/>, the
/// part of <see cref="Interruption.Abandon"/> before the process ends): every staged file and folder and every output
/// lock, while the previous outputs stay as they were. The removals are the whole process's, so this class runs alone.</summary>
[Collection(SeededTorch.Name)]
public class InterruptionTests
{
    [Fact]
    public void Abandoning_removes_staged_files_their_nested_temporaries_and_the_lock_and_keeps_the_previous_output()
    {
        using var dir = new TempDir();
        var output = dir.File("sr.tif");
        File.WriteAllText(output, "previous");
        var transaction = OutputTransaction.Files(output, "lstpipe predict", []);
        var staged = transaction.Stage(output);
        File.WriteAllText(staged, "half");
        var nested = AtomicFile.Begin(staged);
        File.WriteAllText(nested.TemporaryPath, "half");
        var loose = AtomicFile.Begin(dir.File("log.csv"));
        File.WriteAllText(loose.TemporaryPath, "half");
        Assert.True(File.Exists(OutputLock.LockPath(output)));

        Interruption.RemoveAll();

        Assert.Equal(["sr.tif"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal("previous", File.ReadAllText(output));
        nested.Dispose();
        loose.Dispose();
        transaction.Dispose();
        Assert.Equal(["sr.tif"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Abandoning_a_forced_folder_removes_its_staging_folder_and_keeps_the_old_one_and_a_commit_withdraws_it()
    {
        using var dir = new TempDir();
        var output = Directory.CreateDirectory(dir.File("ds")).FullName;
        File.WriteAllText(Path.Combine(output, "card.json"), "old");
        var forced = OutputTransaction.Folder(output, OutputMode.Force, "lstpipe crop", []);
        File.WriteAllText(Path.Combine(forced.Path, "card.json"), "new");
        Assert.True(forced.Staged);

        Interruption.RemoveAll();

        Assert.Equal(["ds"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(Path.Combine(output, "card.json")));
        forced.Dispose();

        using (var committed = OutputTransaction.Files(dir.File("a.txt"), "lstpipe report", []))
        {
            File.WriteAllText(committed.Stage(dir.File("a.txt")), "whole");
            committed.Commit();
        }

        Interruption.RemoveAll();
        Assert.Equal("whole", File.ReadAllText(dir.File("a.txt")));
    }
}
