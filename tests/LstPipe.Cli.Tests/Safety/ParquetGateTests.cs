using LstPipe.Dataset.Parquet;
using static LstPipe.Cli.Tests.Contracts.ContractFixture;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>Parquet shards whose LST no land surface has (issue 37): a shard rewritten (by ParquetSharp, through
/// lstpipe's own reader and writer) in Celsius, or with +Infinity in every tile, is refused by <c>test</c> and
/// <c>train --format parquet</c> in one line naming the shard and the tile, with nothing written.</summary>
public class ParquetGateTests
{
    /// <summary>Rewrites every LST of a shard (every tile at every level) with <paramref name="edit"/>.</summary>
    private static void EditLst(string shard, string copy, Action<float[]> edit)
    {
        File.Copy(shard, copy);
        using var reader = ParquetFileReader.Open(copy);
        using var writer = ParquetFileWriter.Create(shard, reader.Schema, new ParquetWriterOptions { Metadata = reader.Metadata });
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var columns = reader.ReadRowGroup(g);
            foreach (var tile in (float[][])columns.Single(c => c.Spec.Name == "lst").Values)
            {
                edit(tile);
            }

            writer.WriteRowGroup(columns);
        }

        writer.Commit();
    }

    [Fact]
    public void A_shard_whose_lst_is_celsius_or_infinite_is_refused_by_test_and_train_naming_the_shard()
    {
        using var dir = new TempDir();
        Ok(CliRunner.Run("synth", "--out", dir.File("scene"), "--size", "128"));
        Ok(CliRunner.Run("crop", dir.File("scene"), "--out", dir.File("ds"), "--size", "64"));
        Ok(CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds")));
        Ok(CliRunner.Run("export", "--dataset", dir.File("ds"), "--format", "parquet"));
        string[] train = ["train", "--dataset", dir.File("ds"), "--iterations", "1", "--val-every", "1", "--model", "srcnn", "--format",
            "parquet", "--threads", "1"];
        Ok(CliRunner.Run([.. train, "--out", dir.File("run")]));
        var shard = Path.Combine(dir.File("ds"), "parquet", "part-00000.parquet");

        EditLst(shard, dir.File("kelvin.parquet"), tile =>
        {
            for (var i = 0; i < tile.Length; i++)
            {
                tile[i] -= 273.15f;
            }
        });
        var test = CliRunner.Run("test", "--checkpoint", Path.Combine(dir.File("run"), "best.safetensors"), "--dataset", dir.File("ds"),
            "--format", "parquet", "--out", dir.File("eval"), "--panels", "0", "--threads", "1");
        CliRunner.AssertOneLineError(test, 1, $"{shard} (tile ");
        Assert.Contains("(it looks like degrees Celsius or Fahrenheit)", test.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("eval")), "a refused test leaves no output folder");

        File.Copy(dir.File("kelvin.parquet"), shard, overwrite: true);
        EditLst(shard, dir.File("kelvin-again.parquet"), tile => tile[0] = float.PositiveInfinity);
        var infinite = CliRunner.Run([.. train, "--out", dir.File("run-inf")]);
        CliRunner.AssertOneLineError(infinite, 1, $"{shard} (tile ");
        Assert.Contains("the LST at row 0, column 0 is +Infinity, neither a temperature nor nodata", infinite.StdErr,
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("run-inf")), "a run refused before its first checkpoint leaves no run folder");
    }
}
