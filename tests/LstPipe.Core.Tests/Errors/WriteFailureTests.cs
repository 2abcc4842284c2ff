using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Tests.IO;

namespace LstPipe.Core.Tests.Errors;

[Collection(VolumeTests.SimulatedFull)]
public class WriteFailureTests
{
    private const string Guid1 = "0123456789abcdef0123456789abcdef";
    private const string Guid2 = "fedcba9876543210fedcba9876543210";

    [Fact]
    public void A_preallocation_that_did_not_fit_is_out_of_space_named_by_the_final_file()
    {
        using var dir = new TempDir();
        var temporary = dir.File($".r.html.42.{Guid1}.partial");
        var e = new IOException($"Failed to create '{temporary}' with allocation size '321098' because the disk was full.");
        var failure = WriteFailure.Classify(null, e);
        var df = VolumeTests.Df(dir.Path, "source,target,fstype");
        Assert.IsType<OutOfSpaceException>(failure);
        Assert.StartsWith($"{dir.File("r.html")}: no space left on device {df[0]} ({df[2]}) mounted at {df[1]}, ", failure.Message);
        Assert.EndsWith("; free some space or write the output elsewhere, then run again", failure.Message);
    }

    [Fact]
    public void A_writer_s_own_words_where_the_file_system_is_full_are_out_of_space_with_the_device()
    {
        using var dir = new TempDir();
        var full = Directory.CreateDirectory(dir.File("full")).FullName;
        var temporary = Path.Combine(full, $"..sr.tif.42.{Guid1}.partial.42.{Guid2}.partial");
        var libtiff = new DataException($"{temporary}: failed to close: TIFFAppendToStrip:Write error at scanline 0");
        Assert.Null(WriteFailure.Classify(temporary, libtiff));
        Environment.SetEnvironmentVariable(Volume.SimulatedFullVariable, full);
        try
        {
            var failure = WriteFailure.Classify(temporary, libtiff);
            var df = VolumeTests.Df(full, "source,target,fstype,size");
            Assert.Equal($"{Path.Combine(full, "sr.tif")}: no space left on device {df[0]} ({df[2]}) mounted at {df[1]}, 0 B free of " +
                $"{Volume.Bytes(long.Parse(df[3], System.Globalization.CultureInfo.InvariantCulture))}; free some space or write the " +
                "output elsewhere, then run again", failure?.Message);
            Assert.Equal(1, failure?.ExitCode);
            Assert.Same(libtiff, failure?.InnerException);
            Assert.Null(WriteFailure.Classify(temporary, new UsageException("--scale 3: use 2, 4, 8 or 16")));
            Assert.Null(WriteFailure.Classify(temporary, new OperationCanceledException()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Volume.SimulatedFullVariable, null);
        }
    }

    [Fact]
    public void A_failed_atomic_write_on_a_full_file_system_is_out_of_space_and_leaves_nothing()
    {
        using var dir = new TempDir();
        var full = Directory.CreateDirectory(dir.File("full")).FullName;
        Environment.SetEnvironmentVariable(Volume.SimulatedFullVariable, full);
        try
        {
            var e = Assert.Throws<OutOfSpaceException>(() => AtomicFile.Write(Path.Combine(full, "m.csv"), temporary =>
            {
                File.WriteAllText(temporary, "tile,rmse\n");
                throw new IOException("File too large", 27);
            }));
            Assert.StartsWith($"{Path.Combine(full, "m.csv")}: no space left on device ", e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(full));
            Assert.Throws<InvalidOperationException>(() => WriteFailure.Guard(dir.File("x"), () => throw new InvalidOperationException()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Volume.SimulatedFullVariable, null);
        }
    }

    [Fact]
    public void Temporaries_and_lock_files_are_shown_by_the_output_they_stand_for()
    {
        Assert.Equal("/d/o.tif", WriteFailure.Displayed($"/d/..o.tif.42.{Guid1}.partial.42.{Guid2}.partial"));
        Assert.Equal("/d/ds/30m/lst/00001.mat", WriteFailure.Displayed($"/d/.ds.7.{Guid1}.partial/30m/lst/.00001.mat.7.{Guid2}.partial"));
        Assert.Equal("/d/ds", WriteFailure.Displayed("/d/.ds.lstpipe-lock"));
        Assert.Equal("/d/.hidden", WriteFailure.Displayed("/d/.hidden"));
    }
}
