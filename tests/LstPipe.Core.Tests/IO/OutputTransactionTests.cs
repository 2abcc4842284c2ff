using LstPipe.Core.IO;

namespace LstPipe.Core.Tests.IO;

/// <summary>What an output transaction leaves when its run fails before the commit: the file system as it was.</summary>
public class OutputTransactionTests
{
    [Fact]
    public void A_folder_written_into_is_removed_when_the_run_created_it_and_kept_as_it_was_when_it_existed()
    {
        using var dir = new TempDir();
        using (var created = OutputTransaction.Folder(dir.File("eval"), OutputMode.Into, "test", []))
        {
            Assert.True(Directory.Exists(dir.File("eval")));
        }

        Assert.False(Directory.Exists(dir.File("eval")));

        Directory.CreateDirectory(dir.File("run"));
        File.WriteAllText(dir.File("run/best.safetensors"), "weights");
        using (var existing = OutputTransaction.Folder(dir.File("run"), OutputMode.Into, "test", []))
        {
            File.WriteAllText(existing.Stage(dir.File("run/metrics-test.csv")), "tile\n");
        }

        Assert.Equal([dir.File("run/best.safetensors")], Directory.GetFileSystemEntries(dir.File("run")));
        Assert.Equal([dir.File("run")], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_new_output_written_in_place_is_removed_or_emptied_again_unless_kept_for_a_resume()
    {
        using var dir = new TempDir();
        using (var fresh = OutputTransaction.Folder(dir.File("run"), OutputMode.New, "train", [], inPlace: true))
        {
            File.WriteAllText(Path.Combine(fresh.Path, "config.json"), "{}");
        }

        Assert.False(Directory.Exists(dir.File("run")));

        Directory.CreateDirectory(dir.File("empty"));
        using (var empty = OutputTransaction.Folder(dir.File("empty"), OutputMode.New, "train", [], inPlace: true))
        {
            File.WriteAllText(Path.Combine(empty.Path, "config.json"), "{}");
            Directory.CreateDirectory(Path.Combine(empty.Path, "figures"));
        }

        Assert.Empty(Directory.GetFileSystemEntries(dir.File("empty")));

        using (var resumable = OutputTransaction.Folder(dir.File("resumable"), OutputMode.New, "train", [], inPlace: true))
        {
            File.WriteAllText(Path.Combine(resumable.Path, "state.json"), "{}");
            resumable.KeepForResume();
        }

        Assert.True(File.Exists(dir.File("resumable/state.json")));
    }
}
