using LstPipe.Core.IO;

namespace LstPipe.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Nothing_appears_at_the_final_path_until_commit()
    {
        using var dir = new TempDir();
        var target = dir.File("out.bin");
        using (var file = AtomicFile.Begin(target))
        {
            File.WriteAllText(file.TemporaryPath, "half");
            Assert.False(File.Exists(target));
            Assert.True(AtomicFile.IsTemporaryName(Path.GetFileName(file.TemporaryPath)));
        }

        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Commit_replaces_the_previous_file()
    {
        using var dir = new TempDir();
        var target = dir.File("sub/out.txt");
        AtomicFile.WriteAllText(target, "first");
        AtomicFile.WriteAllText(target, "second");
        Assert.Equal("second", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public void Sha256_matches_a_known_digest()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("abc"), "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Checksums.Sha256(dir.File("abc")));
    }

    [Fact]
    public void A_temporary_is_displayed_by_its_final_name()
    {
        var run = "/data/run/" + AtomicFile.TemporaryName("best.safetensors");
        Assert.Equal("/data/run/best.safetensors", AtomicFile.Displayed(run));
        Assert.Equal("/ds/parquet/part-00000.parquet", AtomicFile.Displayed("/ds/" + AtomicFile.TemporaryName("parquet") + "/part-00000.parquet"));
        Assert.Equal("/ds/.hidden.partial", AtomicFile.Displayed("/ds/.hidden.partial"));
    }

    [Fact]
    public void A_staged_file_written_through_an_atomic_file_has_a_temporary_named_after_the_final_file()
    {
        using var dir = new TempDir();
        var staged = Path.Combine(dir.Path, AtomicFile.TemporaryName("sr.tif"));
        using var file = AtomicFile.Begin(staged);
        var name = Path.GetFileName(file.TemporaryPath);
        Assert.Matches(@"^\.sr\.tif\.\d+\.[0-9a-f]{32}\.partial$", name);
        Assert.NotEqual(Path.GetFileName(staged), name);
        Assert.Equal(Path.Combine(dir.Path, "sr.tif"), AtomicFile.Displayed(file.TemporaryPath));
    }

    [Fact]
    public void A_dead_process_s_doubled_temporaries_of_earlier_versions_are_removed_and_a_live_one_s_kept()
    {
        using var dir = new TempDir();
        var dead = dir.File("..sr.tif.999999.0123456789abcdef0123456789abcdef.partial.999999.fedcba9876543210fedcba9876543210.partial");
        var single = dir.File(".sr.tif.999999.0123456789abcdef0123456789abcdef.partial");
        var alive = dir.File($"..sr.tif.{Environment.ProcessId}.0123456789abcdef0123456789abcdef.partial.{Environment.ProcessId}." +
            "fedcba9876543210fedcba9876543210.partial");
        foreach (var f in new[] { dead, single, alive, dir.File("sr.tif") })
        {
            File.WriteAllText(f, "");
        }

        Assert.Equal(2, AtomicFile.RemoveStale(dir.Path, "sr.tif"));
        Assert.Equal([Path.GetFileName(alive), "sr.tif"],
            Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
