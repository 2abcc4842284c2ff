using LstPipe.Core.IO;

namespace LstPipe.Core.Tests.IO;

public class StagedUnitsTests
{
    [Fact]
    public void Staged_files_are_counted_and_moved_into_place_and_temporaries_are_neither()
    {
        using var dir = new TempDir();
        var staging = new StagedUnits(dir.File("work"));
        Assert.Equal(0, staging.Count());
        AtomicFile.WriteAllText(staging.PathOf("a/one.txt"), "1");
        AtomicFile.WriteAllText(staging.PathOf("two.txt"), "2");
        using (var half = AtomicFile.Begin(staging.PathOf("three.txt")))
        {
            File.WriteAllText(half.TemporaryPath, "cut off");
            Assert.Equal(2, staging.Count());
            Assert.False(staging.Has("three.txt"));
        }

        Assert.True(staging.TryTake("a/one.txt", dir.File("out/a/one.txt")));
        Assert.Equal("1", File.ReadAllText(dir.File("out/a/one.txt")));
        Assert.False(staging.Has("a/one.txt"));
        Assert.False(staging.TryTake("three.txt", dir.File("out/three.txt")));
        Assert.False(File.Exists(dir.File("out/three.txt")));
        Assert.Equal(1, staging.Count());
        Assert.False(StagedUnits.None.Has("two.txt"));
        Assert.Equal(0, StagedUnits.None.Count());
    }
}
