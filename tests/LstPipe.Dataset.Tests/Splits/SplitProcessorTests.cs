using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Splits;

namespace LstPipe.Dataset.Tests.Splits;

/// <summary>One small two-scene dataset shared by the split tests.</summary>
public sealed class SplitDatasetFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public SplitDatasetFixture()
    {
        var a = TestScenes.Synthetic(_dir.File("a"), 576, 448, seed: 1);
        var b = TestScenes.Synthetic(_dir.File("b"), 448, 384, seed: 2);
        CropProcessor.Run(new CropOptions { Scenes = [a, b], Output = _dir.File("ds"), TileSize = 64, Scales = [new(1), new(2)] });
    }

    public string Dataset => _dir.File("ds");

    public void Dispose() => _dir.Dispose();
}

public class SplitProcessorTests(SplitDatasetFixture fixture) : IClassFixture<SplitDatasetFixture>
{
    private string SplitFile(string name) => Path.Combine(fixture.Dataset, DatasetLayout.SplitFolder, name);

    private int[] Read(string name) => File.ReadAllLines(SplitFile(name)).Select(int.Parse).ToArray();

    private (int[] Train, int[] Val, int[] Test, int[] TrainVal) ReadAll() => (Read("train.txt"), Read("val.txt"), Read("test.txt"), Read("trainval.txt"));

    [Fact]
    public void Random_split_is_a_seeded_partition_in_the_GrokLst_format()
    {
        var report = SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Seed = 7 });
        var (train, val, test, trainval) = ReadAll();
        var n = report.Tiles;
        Assert.Equal(Enumerable.Range(0, n), train.Concat(val).Concat(test).Order());
        Assert.Equal(SplitRatio.GrokLst.Allocate(n), new[] { train.Length, val.Length, test.Length });
        Assert.Equal(train.Concat(val).Order(), trainval);
        Assert.All(new[] { train, val, test }, s => Assert.Equal(s.Order(), s));
        var first = File.ReadAllBytes(SplitFile("test.txt"));

        SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Seed = 8 });
        Assert.NotEqual(first, File.ReadAllBytes(SplitFile("test.txt")));
        SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Seed = 7 });
        Assert.Equal(first, File.ReadAllBytes(SplitFile("test.txt")));
        Assert.True(report.Leakage.TestTilesSharingPixelsWithTrainval > 0, "overlapping tiles leak under a random split");
        Assert.True(report.Leakage.TestPixelFractionSeenInTrainval > 0.5);
    }

    [Fact]
    public void Spatial_split_shares_no_pixel_between_test_and_training()
    {
        var report = SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Strategy = SplitStrategy.Spatial, Seed = 3 });
        var (train, val, test, _) = ReadAll();
        Assert.Equal(0, report.Leakage.TestTilesSharingPixelsWithTrainval);
        Assert.Equal(0, report.Leakage.TestPixelFractionSeenInTrainval);
        Assert.True(report.Dropped > 0);
        Assert.Equal(report.Tiles, train.Length + val.Length + test.Length + report.Dropped);
        Assert.NotEmpty(train);
        Assert.NotEmpty(test);

        var tiles = TileIndex.Read(Path.Combine(fixture.Dataset, DatasetLayout.TilesFileName));
        PixelWindow W(int i) => new(tiles[i].X, tiles[i].Y, tiles[i].Size, tiles[i].Size);
        foreach (var t in test)
        {
            foreach (var o in train.Concat(val))
            {
                Assert.False(tiles[t].Scene == tiles[o].Scene && W(t).Overlaps(W(o)), $"test tile {t} overlaps training tile {o}");
            }
        }

        foreach (var t in val)
        {
            Assert.DoesNotContain(train, o => tiles[t].Scene == tiles[o].Scene && W(t).Overlaps(W(o)));
        }

        using var json = JsonDocument.Parse(File.ReadAllText(SplitFile("report.json")));
        Assert.Equal("spatial", json.RootElement.GetProperty("strategy").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("leakage").GetProperty("testTilesSharingPixelsWithTrainval").GetInt32());
    }

    [Fact]
    public void A_wider_buffer_drops_more_tiles()
    {
        var narrow = SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Strategy = SplitStrategy.Spatial, Block = 3 });
        var wide = SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Strategy = SplitStrategy.Spatial, Block = 3, Buffer = 1 });
        Assert.True(wide.Dropped > narrow.Dropped);
        Assert.Equal(0, wide.Leakage.TestTilesSharingPixelsWithTrainval);
    }

    [Fact]
    public void Bad_datasets_and_options_are_usage_errors()
    {
        using var dir = new TempDir();
        Assert.Throws<UsageException>(() => SplitProcessor.Run(new SplitOptions { Dataset = dir.File("none") }));
        Assert.Contains("not a dataset", Assert.Throws<UsageException>(() => SplitProcessor.Run(new SplitOptions { Dataset = dir.Path })).Message);
        Assert.Throws<UsageException>(() => SplitProcessor.Run(new SplitOptions { Dataset = fixture.Dataset, Buffer = 2 }));
        var strategy = LstPipe.Core.Options.OptionSchema<SplitOptions>.Find("strategy")!;
        Assert.Equal("--strategy geographic: use random or spatial",
            Assert.Throws<UsageException>(() => LstPipe.Core.Options.OptionSchema<SplitOptions>.Parse(strategy, "geographic", "--strategy")).Message);
    }

    private static string SmallDataset(TempDir dir, int size)
    {
        var scene = TestScenes.Synthetic(dir.File("scene"), size, size);
        CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64, Scales = [new(1), new(2)] });
        return dir.File("ds");
    }

    [Fact]
    public void A_small_scene_whose_blocks_leave_val_empty_gets_smaller_blocks_and_says_so()
    {
        using var dir = new TempDir();
        var ds = SmallDataset(dir, 256);
        var r = SplitProcessor.Run(new SplitOptions { Dataset = ds, Strategy = SplitStrategy.Spatial });
        Assert.Equal("blocks of 4 x 4 tiles left val empty; used 3 x 3", r.Note);
        Assert.Equal(3, r.Block);
        Assert.True(r.Train > 0 && r.Val > 0 && r.Test > 0, $"train {r.Train}, val {r.Val}, test {r.Test}");
        Assert.Equal(0, r.Leakage.TestTilesSharingPixelsWithTrainval);
        Assert.Contains("\"note\": \"blocks of 4 x 4", File.ReadAllText(Path.Combine(ds, DatasetLayout.SplitFolder, "report.json")));

        var e = Assert.Throws<UsageException>(() => SplitProcessor.Run(new SplitOptions { Dataset = ds, Strategy = SplitStrategy.Spatial, Block = 4 }));
        Assert.Equal($"--block 4: leaves val empty on {ds} (49 tiles); --block 3 gives every part tiles, or leave --block out to choose it", e.Message);
    }

    [Fact]
    public void A_dataset_too_small_for_any_block_is_refused_naming_the_smallest_that_works_and_nothing_is_written()
    {
        using var dir = new TempDir();
        var ds = SmallDataset(dir, 96);
        var e = Assert.Throws<UsageException>(() => SplitProcessor.Run(new SplitOptions { Dataset = ds, Strategy = SplitStrategy.Spatial }));
        Assert.Contains("4 tiles (1 scene(s), 2 rows) are too few for a spatial 6:1:3 split: val and test stay empty at every block size", e.Message);
        Assert.Contains("the smallest that works is one scene of 4 x 4 tiles (160 x 160 px at --size 64 --overlap 0.5)", e.Message);
        Assert.False(Directory.Exists(Path.Combine(ds, DatasetLayout.SplitFolder)));
        var random = Assert.Throws<UsageException>(() => SplitProcessor.Run(new SplitOptions { Dataset = ds, Ratio = SplitRatio.Parse("8:1:1") }));
        Assert.Contains("4 tiles are too few for a 8:1:1 split (test would be empty); it needs at least 7 tiles", random.Message);
    }
}
