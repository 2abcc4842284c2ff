using LstPipe.Core.Errors;

namespace LstPipe.Core.Tests.Errors;

public class NotWritableExceptionTests
{
    [Fact]
    public void A_denied_write_names_the_output_behind_its_lock_and_the_fix()
    {
        var denied = new UnauthorizedAccessException("Access to the path '/data/locked/.ds.lstpipe-lock' is denied.", new IOException("Permission denied", 13));
        var e = NotWritableException.From(new InvalidOperationException("wrapped", denied));
        Assert.Equal("/data/locked/ds: permission denied; give this user access to it (chmod, chown) or use a folder it may write", e?.Message);
        Assert.Equal(2, e?.ExitCode);
    }

    [Fact]
    public void A_read_only_file_system_error_is_recognised_by_its_errno_and_other_errors_are_not()
    {
        var e = NotWritableException.From(new IOException("Read-only file system : '/data/.ds.1234.0123456789abcdef0123456789abcdef.partial'", 30));
        var root = Tests.IO.VolumeTests.Df("/", "source,target,fstype");
        Assert.Equal($"/data/ds: read-only file system: {root[0]} ({root[2]}) mounted at {root[1]}; write to a folder on a writable file " +
            "system (or remount it read-write)", e?.Message);
        Assert.Null(NotWritableException.From(new IOException("The file '/x' already exists.", 17)));
        Assert.Null(NotWritableException.From(new FileNotFoundException("missing")));
    }
}
