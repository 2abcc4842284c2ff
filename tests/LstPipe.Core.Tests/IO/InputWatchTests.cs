using LstPipe.Core.Errors;
using LstPipe.Core.IO;

namespace LstPipe.Core.Tests.IO;

public class InputWatchTests
{
    [Fact]
    public void A_folder_being_written_is_refused_with_the_lock_message()
    {
        using var dir = new TempDir();
        var ds = Directory.CreateDirectory(dir.File("ds")).FullName;
        using (OutputLock.Acquire(ds, "lstpipe crop s --out ds --force"))
        {
            var e = Assert.Throws<UsageException>(() => InputWatch.Start(ds));
            Assert.Equal($"{ds}: another lstpipe is writing it (pid {Environment.ProcessId}: lstpipe crop s --out ds --force); wait for " +
                "it to finish or stop it, then run again", e.Message);
        }

        Assert.Equal(3, InputWatch.Start(ds).Read(() => 3));
    }

    [Fact]
    public void A_folder_swapped_for_another_while_read_is_named_so_and_not_as_the_read_s_error()
    {
        using var dir = new TempDir();
        var ds = Directory.CreateDirectory(dir.File("ds")).FullName;
        var watch = InputWatch.Start(ds);
        var e = Assert.Throws<UsageException>(() => watch.Read<int>(() =>
        {
            Directory.Move(ds, dir.File("old"));
            Directory.CreateDirectory(ds);
            throw new DataException($"{ds}/tiles.geojson: missing; crop the dataset again");
        }));
        Assert.Equal($"{ds}: another lstpipe replaced it while this command read it; run the command again", e.Message);
        Assert.Throws<UsageException>(() => watch.Read(() => 1));
        var calm = InputWatch.Start(ds);
        Assert.Throws<DataException>(() => calm.Read<int>(() => throw new DataException("damaged")));
    }
}
