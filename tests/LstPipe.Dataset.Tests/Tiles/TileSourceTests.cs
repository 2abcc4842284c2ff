using LstPipe.Core.Errors;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Tiles;

namespace LstPipe.Dataset.Tests.Tiles;

public class TileSourceTests
{
    [Fact]
    public void Mat_files_and_parquet_shards_give_the_same_tiles_and_shards_alone_are_a_dataset()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 192, 160, seed: 6);
        CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64 });
        ParquetExporter.Run(new ExportOptions { Dataset = dir.File("ds"), ShardSizeMb = 1, TilesPerRowGroup = 3 });

        using var mat = TileSource.OpenMat(dir.File("ds"));
        using var parquet = TileSource.OpenParquet(dir.File("ds"));
        Assert.Equal(mat.Count, parquet.Count);
        Assert.Equal(20, mat.Count);
        foreach (var index in Enumerable.Range(0, mat.Count).Reverse())
        {
            foreach (var scale in mat.Card.Scales.Select(s => s.Label))
            {
                var a = mat.Read(index, scale);
                var b = parquet.Read(index, scale);
                Assert.Equal((a.Height, a.Width), (b.Height, b.Width));
                Assert.Equal(a.Lst, b.Lst);
                Assert.Equal(a.Guidance.Count, b.Guidance.Count);
                for (var g = 0; g < a.Guidance.Count; g++)
                {
                    Assert.Equal(a.Guidance[g], b.Guidance[g]);
                }
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => parquet.Read(20, "30m"));
        Assert.Throws<ArgumentOutOfRangeException>(() => mat.Read(0, "90m"));
        var expected = parquet.Read(7, "120m").Lst;

        foreach (var s in mat.Card.Scales)
        {
            Directory.Delete(Path.Combine(dir.File("ds"), s.Label), recursive: true);
        }

        using (var shardsOnly = TileSource.OpenParquet(dir.File("ds")))
        {
            Assert.Equal(expected, shardsOnly.Read(7, "120m").Lst);
        }

        Assert.Equal(20, DatasetFolder.Load(dir.File("ds")).Tiles.Count);
        Assert.Contains("--format parquet", Assert.Throws<UsageException>(() => TileSource.OpenMat(dir.File("ds"))).Message);
        Directory.CreateDirectory(Path.Combine(dir.File("ds"), "30m", "lst"));
        Assert.Throws<DataException>(() => DatasetFolder.Load(dir.File("ds")));
    }

    [Fact]
    public void A_dataset_without_shards_says_how_to_make_them()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<UsageException>(() => TileSource.OpenParquet(dir.Path));
        Assert.Contains("lstpipe export --format parquet", e.Message);
    }
}
