using LstPipe.Core.Errors;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Parquet;
using LstPipe.Dataset.Tiles;

namespace LstPipe.Dataset.Tests.Tiles;

public class TileSourceTests
{
    [Fact]
    public void Parquet_shards_whose_nir_and_ndvi_columns_hold_each_other_are_refused_when_read_back()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 128, 128, seed: 2);
        CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64 });
        var shard = ParquetExporter.Run(new ExportOptions { Dataset = dir.File("ds") }).Shards.Single();
        var swapped = dir.File("swapped/part-00000.parquet");
        Directory.CreateDirectory(dir.File("swapped"));
        using (var reader = ParquetFileReader.Open(shard))
        {
            var schema = ParquetExporter.Schema(DatasetFolder.Load(dir.File("ds")).Card.Guidance.Select(g => g.Name));
            using var writer = ParquetFileWriter.Create(swapped, schema, new ParquetWriterOptions { Metadata = reader.Metadata });
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var rowGroup = g;
                writer.WriteRowGroup([.. schema.Select(c => new ColumnValues(c,
                    reader.ReadColumn(rowGroup, c.Name switch { "nir" => "ndvi", "ndvi" => "nir", var n => n }).Values))]);
            }

            writer.Commit();
        }

        using var source = TileSource.OpenParquet(dir.File("swapped"));
        var e = Assert.Throws<DataException>(() => source.Read(0, "30m"));
        Assert.StartsWith($"{swapped} (tile 0 at 30m): 'nir' and 'ndvi' look swapped: 'ndvi' is not (nir - red) / (nir + red)", e.Message, StringComparison.Ordinal);
    }

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
