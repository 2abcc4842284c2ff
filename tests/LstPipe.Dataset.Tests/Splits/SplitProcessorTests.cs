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
        Assert.Throws<UsageException>(() => SplitOptions.ParseStrategy("geographic"));
    }
}
