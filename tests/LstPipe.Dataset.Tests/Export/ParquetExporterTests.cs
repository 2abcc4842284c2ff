using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Mat;
using LstPipe.Dataset.Parquet;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Dataset.Tests.Export;

public class ParquetExporterTests
{
    /// <summary>Every row of every shard, read by DuckDB and by Parquet.Net, must equal the MAT files float for float.</summary>
    private static void VerifyWithIndependentReaders(string dataset, ParquetExportResult result)
    {
        var (card, _) = DatasetFolder.Load(dataset);
        var bands = new[] { "lst" }.Concat(card.Guidance.Select(g => g.Name)).ToArray();
        var expected = new Dictionary<(int, string), Dictionary<string, string>>();
        for (var t = 0; t < card.TileCount; t++)
        {
            foreach (var scale in card.Scales)
            {
                var arrays = MatFile.Read(DatasetLayout.GuidancePath(dataset, scale.Label, t)).ToDictionary(a => a.Name, a => a.Values);
                arrays["lst"] = MatFile.Read(DatasetLayout.LstPath(dataset, scale.Label, t), "data").Values;
                expected[(t, scale.Label)] = bands.ToDictionary(b => b, b => ParquetReaders.Digest(arrays[b]));
            }
        }

        foreach (var reader in ParquetReaders.All)
        {
            var rows = 0;
            foreach (var shard in result.Shards)
            {
                using var doc = ParquetReaders.Read(reader, shard);
                var root = doc.RootElement;
                rows += root.GetProperty("rows").GetInt32();
                var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray();
                Assert.Equal(ParquetExporter.Schema(card.Guidance.Select(g => g.Name)).Select(c => c.Name), columns);
                Assert.Contains(ParquetExporter.CardKey, root.GetProperty("metadataKeys").EnumerateArray().Select(k => k.GetString()));
                if (reader == "duckdb")
                {
                    var types = root.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("type").GetString());
                    Assert.All(bands, b => Assert.Equal("FLOAT[]", types[b]));
                    Assert.Equal("DOUBLE[]", types["geotransform"]);
                }

                foreach (var row in root.GetProperty("digests").EnumerateArray())
                {
                    var key = (row.GetProperty("tile_index").GetInt32(), row.GetProperty("scale").GetString()!);
                    var scale = card.Scales.First(s => s.Label == key.Item2);
                    Assert.Equal(scale.TileSize * scale.TileSize, row.GetProperty("length").GetInt32());
                    Assert.Equal(scale.ResolutionMetres, row.GetProperty("geotransform")[1].GetDouble());
                    foreach (var b in bands)
                    {
                        Assert.True(expected[key][b] == row.GetProperty("arrays").GetProperty(b).GetString(), $"{reader}: tile {key} band {b} differs from its MAT file");
                    }
                }
            }

            Assert.Equal(card.TileCount * card.Scales.Count, rows);
        }
    }

    [Theory]
    [InlineData(ParquetCodec.Zstd, true)]
    [InlineData(ParquetCodec.Gzip, true)]
    [InlineData(ParquetCodec.Zstd, false)]
    [InlineData(ParquetCodec.Uncompressed, false)]
    public void Synthetic_shards_read_the_same_in_duckdb_parquet_net_and_our_reader(ParquetCodec codec, bool byteStreamSplit)
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 256, 192, seed: 4);
        CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64 });
        var result = ParquetExporter.Run(new ExportOptions
        {
            Dataset = dir.File("ds"),
            Codec = codec,
            Encoding = byteStreamSplit ? "byte-stream-split" : "plain",
            ShardSizeMb = 1,
            TilesPerRowGroup = 4,
        });
        Assert.True(result.Shards.Count > 1, "a 1 MB shard limit splits this dataset");
        Assert.All(result.Shards, s => Assert.Matches(@"part-\d{5}\.parquet$", s));
        VerifyWithIndependentReaders(dir.File("ds"), result);

        using var reader = ParquetFileReader.Open(result.Shards[0]);
        var card = DatasetCard.FromJson(reader.Metadata[ParquetExporter.CardKey], "footer");
        Assert.Equal(35, card.TileCount);
        var lst = (float[][])reader.ReadColumn(0, "lst").Values;
        var scales = (string[])reader.ReadColumn(0, "scale").Values;
        Assert.Equal(["30m", "60m", "120m", "240m"], scales[..4]);
        Assert.Equal(MatFile.Read(DatasetLayout.LstPath(dir.File("ds"), "120m", 0), "data").Values, lst[2]);
    }

    [SharedDataFact]
    public void Real_landsat7_tiles_read_the_same_in_duckdb_and_parquet_net()
    {
        using var dir = new TempDir();
        var scene = Talca(dir.File("talca"));
        var crop = CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 128, MaxNoData = 0.2 });
        Assert.True(crop.Card.TileCount > 0);
        var result = ParquetExporter.Run(new ExportOptions { Dataset = dir.File("ds") });
        VerifyWithIndependentReaders(dir.File("ds"), result);
    }

    [Fact]
    public void Parts_staged_by_shards_are_the_parts_of_a_whole_export_byte_for_byte()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 256, 192, seed: 4);
        CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64 });
        var options = new ExportOptions { Dataset = dir.File("ds"), ShardSizeMb = 1, TilesPerRowGroup = 2 };
        var whole = ParquetExporter.Run(options);
        var (card, _) = DatasetFolder.Load(dir.File("ds"));
        Assert.Equal(4, ParquetExporter.TilesPerPart(card, options));
        Assert.Equal(9, whole.Shards.Count);
        var expected = TestScenes.Hashes(whole.Folder);

        var staging = new Core.IO.StagedUnits(dir.File("staging"));
        Assert.Equal(5, ParquetExporter.Stage(options, new Core.Threading.Shard(0, 2), staging));
        Assert.Equal(["part-00000.parquet", "part-00002.parquet", "part-00004.parquet", "part-00006.parquet", "part-00008.parquet"],
            Directory.GetFiles(dir.File("staging")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var rewritten = File.GetLastWriteTimeUtc(staging.PathOf("part-00002.parquet"));
        Assert.Equal(5, ParquetExporter.Stage(options, new Core.Threading.Shard(0, 2), staging));
        Assert.Equal(rewritten, File.GetLastWriteTimeUtc(staging.PathOf("part-00002.parquet")));
        Directory.Delete(whole.Folder, recursive: true);
        var gathered = ParquetExporter.Run(options, staged: staging);
        Assert.Equal(expected, TestScenes.Hashes(gathered.Folder));
        Assert.Empty(Directory.GetFiles(dir.File("staging")));
    }

    [Fact]
    public void Exporting_an_incomplete_folder_is_a_usage_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        Assert.Throws<Core.Errors.UsageException>(() => ParquetExporter.Run(new ExportOptions { Dataset = dir.Path }));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    /// <summary>A scene from the real Landsat 7 Talca product: band 6 (thermal, digital numbers) as the LST layer,
    /// SRTM elevation, four optical bands and NDVI; SLC-off gaps stay nodata.</summary>
    private static string Talca(string folder)
    {
        using var l7 = RasterDataset.Open(RepoPaths.Data("landsat7-talca", "L7_Talca.tif"));
        using var dem = RasterDataset.Open(RepoPaths.Data("landsat7-talca", "DEM_Talca.tif"));
        var channels = new[] { "dem", "blue", "green", "red", "nir", "ndvi" }.Select(n => GuidanceChannel.GrokLst.First(c => c.Name == n)).ToArray();
        var grid = l7.Grid;
        using var writer = SceneWriter.Create(folder, grid, channels);
        float[] Band(RasterDataset ds, int b)
        {
            var v = new float[grid.Width * grid.Height];
            var valid = new byte[v.Length];
            ds.GetBand(b).Read(ds.Extent, v, valid);
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = valid[i] == 1 ? v[i] : (float)SceneFolder.NoData;
            }

            return v;
        }

        float[] Scaled(int b) => [.. Band(l7, b).Select(v => v == SceneFolder.NoData ? v : v / 255)];
        var red = Scaled(3);
        var nir = Scaled(4);
        var ndvi = red.Zip(nir, (r, n) => r == SceneFolder.NoData || n == SceneFolder.NoData || r + n == 0 ? (float)SceneFolder.NoData : (n - r) / (n + r)).ToArray();
        writer.Lst.Write(1, grid.Extent, Band(l7, 6).Select(v => v == SceneFolder.NoData || v <= 0 ? (float)SceneFolder.NoData : 200 + v / 2).ToArray());
        float[][] guidance = [Band(dem, 1), Scaled(1), Scaled(2), red, nir, ndvi];
        for (var b = 0; b < guidance.Length; b++)
        {
            writer.Guidance!.Write(b + 1, grid.Extent, guidance[b]);
        }

        return writer.Commit(writer.Manifest("talca-l7-2013046", new SceneProvenance { Sensor = "Landsat 7 ETM+ (digital numbers / 255)" }, l7.Crs?.Epsg)).Directory;
    }
}
