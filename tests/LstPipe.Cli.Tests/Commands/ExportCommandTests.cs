using System.Text.Json;
using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Commands;

public class ExportCommandTests
{
    [Fact]
    public void Crop_with_parquet_writes_shards_that_info_and_duckdb_read()
    {
        using var dir = new TempDir();
        var scene = SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 256, Height = 256 }, dir.File("scene")).Directory;
        var crop = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "128");
        Assert.True(crop.ExitCode == 0, crop.StdErr);
        var export = CliRunner.Run("export", "--dataset", dir.File("ds"), "--codec", "gzip");
        Assert.True(export.ExitCode == 0, export.StdErr);
        Assert.Contains("Parquet shard", export.StdOut);
        var shard = Path.Combine(dir.File("ds"), "parquet", "part-00000.parquet");

        var info = CliRunner.Run("info", "--json", shard);
        Assert.True(info.ExitCode == 0, info.StdErr);
        using var summary = JsonDocument.Parse(info.StdOut);
        Assert.Equal(9 * 4, summary.RootElement.GetProperty("rows").GetInt64());
        var lst = summary.RootElement.GetProperty("columns").EnumerateArray().First(c => c.GetProperty("name").GetString() == "lst");
        Assert.Equal("LIST<FLOAT>", lst.GetProperty("type").GetString());
        Assert.Equal("GZIP", lst.GetProperty("codec").GetString());

        using var duck = ParquetReaders.Read("duckdb", shard);
        Assert.Equal(36, duck.RootElement.GetProperty("rows").GetInt32());

        var again = CliRunner.Run("export", "--dataset", dir.File("ds"), "--codec", "zstd", "--encoding", "plain");
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Single(Directory.GetFiles(Path.Combine(dir.File("ds"), "parquet")));
        Assert.Contains("zstd", again.StdOut);
    }

    [Theory]
    [InlineData("--codec", "brotli", "--codec")]
    [InlineData("--encoding", "delta", "--encoding")]
    [InlineData("--format", "arrow", "--format arrow")]
    public void Bad_export_options_exit_2(string option, string value, string message)
    {
        using var dir = new TempDir();
        CliRunner.AssertOneLineError(CliRunner.Run("export", "--dataset", dir.Path, option, value), 2, message);
    }

    [Fact]
    public void Info_on_a_corrupt_shard_exits_1_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("bad.parquet"), [.. "PAR1"u8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255, 255, 255, 127, .. "PAR1"u8]);
        CliRunner.AssertOneLineError(CliRunner.Run("info", dir.File("bad.parquet")), 1, dir.File("bad.parquet"));
    }
}
