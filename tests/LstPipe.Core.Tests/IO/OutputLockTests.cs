using LstPipe.Core.Errors;
using LstPipe.Core.IO;

namespace LstPipe.Core.Tests.IO;

public class OutputLockTests
{
    [Fact]
    public void Shared_holders_coexist_and_exclude_an_exclusive_one_which_excludes_them()
    {
        using var dir = new TempDir();
        var output = dir.File("out");
        using (OutputLock.Acquire(output, "shard 0", shared: true))
        using (OutputLock.Acquire(output, "shard 1", shared: true))
        {
            Assert.Throws<UsageException>(() => OutputLock.Acquire(output, "whole"));
        }

        using (OutputLock.Acquire(output, "whole"))
        {
            Assert.Equal($"pid {Environment.ProcessId}: whole", File.ReadAllText(OutputLock.LockPath(output)).Trim());
            var e = Assert.Throws<UsageException>(() => OutputLock.Acquire(output, "shard 0", shared: true));
            Assert.Contains($"(pid {Environment.ProcessId}: whole)", e.Message);
            Assert.Throws<UsageException>(() => OutputLock.Acquire(output, "again"));
        }

        Assert.False(File.Exists(OutputLock.LockPath(output)));
        using (OutputLock.Acquire(output, "after"))
        {
        }
    }

    [Fact]
    public void Holder_names_who_writes_an_output_and_creates_nothing()
    {
        using var dir = new TempDir();
        var output = dir.File("ds");
        Assert.Null(OutputLock.Holder(output));
        Assert.False(File.Exists(OutputLock.LockPath(output)));
        using (OutputLock.Acquire(output, "lstpipe crop s --out ds --force"))
        {
            Assert.Equal($"pid {Environment.ProcessId}: lstpipe crop s --out ds --force", OutputLock.Holder(output));
        }

        using (OutputLock.Acquire(output, "shard 0", shared: true))
        {
            Assert.Equal("shards of 'lstpipe run --shard'", OutputLock.Holder(output));
        }

        Assert.Null(OutputLock.Holder(output));
    }
}
