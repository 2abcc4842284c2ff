using LstPipe.Core.IO;

namespace LstPipe.Core.Tests.IO;

[Collection(VolumeTests.SimulatedFull)]
public class VolumeTests
{
    /// <summary>The tests that set <see cref="Volume.SimulatedFullVariable"/>, a process-wide variable, run one at a time.</summary>
    internal const string SimulatedFull = "simulated full file system";

    [Fact]
    public void The_file_system_of_a_path_not_yet_written_is_the_one_df_names()
    {
        using var dir = new TempDir();
        var df = Df(dir.Path, "source,target,fstype,size");
        var v = Volume.Of(Path.Combine(dir.Path, "not", "yet", "o.tif"));
        Assert.NotNull(v);
        Assert.Equal((df[0], df[1], df[2], long.Parse(df[3], System.Globalization.CultureInfo.InvariantCulture)),
            (v.Device, v.MountPoint, v.Type, v.SizeBytes));
        Assert.False(v.ReadOnly);
        Assert.Equal($"{df[0]} ({df[2]}) mounted at {df[1]}", v.Where);
    }

    [Fact]
    public void A_folder_named_by_the_test_variable_is_reported_full()
    {
        using var dir = new TempDir();
        var full = Directory.CreateDirectory(dir.File("full")).FullName;
        Environment.SetEnvironmentVariable(Volume.SimulatedFullVariable, full);
        try
        {
            Assert.Equal(0, Volume.Of(Path.Combine(full, "o.tif"))!.AvailableBytes);
            Assert.True(Volume.Of(Path.Combine(full, "o.tif"))!.IsFull);
            Assert.False(Volume.Of(dir.File("beside.tif"))!.AvailableBytes == 0);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Volume.SimulatedFullVariable, null);
        }
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(12 * 1024, "12 KiB")]
    [InlineData(1L << 20, "1.0 MiB")]
    [InlineData(3L << 40, "3.0 TiB")]
    public void Byte_counts_read_as_a_person_reads_them(long bytes, string shown) => Assert.Equal(shown, Volume.Bytes(bytes));

    /// <summary>What <c>df -B1</c> says of <paramref name="path"/>'s file system, the independent reference.</summary>
    internal static string[] Df(string path, string fields)
    {
        var r = Processes.Run("df", ["-B1", $"--output={fields}", path]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
