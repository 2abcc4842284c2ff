using System.Text.Json;

namespace LstPipe.Cli.Tests.Commands;

public class SynthAndDemoCommandTests
{
    [Fact]
    public void Synth_writes_a_scene_that_info_reads()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("synth", "--out", dir.File("scene"), "--size", "128", "--seed", "3", "--compress", "zstd");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var info = CliRunner.Run("info", "--json", dir.File("scene"));
        Assert.True(info.ExitCode == 0, info.StdErr);
        using var doc = JsonDocument.Parse(info.StdOut);
        Assert.Equal("synth-s3-128x128", doc.RootElement.GetProperty("scene").GetProperty("id").GetString());
        Assert.Equal(10, doc.RootElement.GetProperty("guidance").GetProperty("bands").GetArrayLength());
        Assert.Contains("--seed 3", doc.RootElement.GetProperty("scene").GetProperty("provenance").GetProperty("command").GetString());
        Assert.Equal(2, GdalInfo.AssertAllCloudOptimized(dir.File("scene")));
    }

    [Fact]
    public void Synth_refuses_a_non_empty_folder_without_force()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("keep.txt"), "mine");
        CliRunner.AssertOneLineError(CliRunner.Run("synth", "--out", dir.Path, "--size", "64"), 2, "--force");
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--size", "10")]
    [InlineData("--compress", "brotli")]
    [InlineData("--epsg", "4326")]
    public void Synth_bad_values_exit_2(string option, string value)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("synth", "--out", dir.File("s"), "--size", "64", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.False(Directory.Exists(dir.File("s")));
    }

    [Fact]
    public void Demo_runs_twice_in_its_own_folder_and_refuses_a_foreign_one()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 2; i++)
        {
            var r = CliRunner.RunIn(dir.Path, "demo", "--size", "256", "--tile", "64", "--train-iterations", "12");
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Contains("demo done", r.StdOut);
            Assert.Contains("bicubic", r.StdOut);
        }

        Assert.True(File.Exists(Path.Combine(dir.Path, "data", "demo", "scenes", "demo", "scene.json")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "data", "demo", "dataset", "split", "trainval.txt")));
        File.WriteAllText(dir.File("foreign.txt"), "x");
        CliRunner.AssertOneLineError(CliRunner.Run("demo", "--out", dir.Path, "--size", "64"), 2, "not a demo folder");
    }
}
