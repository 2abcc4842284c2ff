using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Mat;
using LstPipe.Raster.Scenes;

namespace LstPipe.Dataset.Tests.Crop;

public class CropProcessorTests
{
    private static CropOptions Small(string output, params string[] scenes) =>
        new() { Scenes = scenes, Output = output, TileSize = 64, Workers = 2 };

    internal static void VerifyWithScipy(string dataset)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Crop", "verify_groklst.py");
        var r = Processes.Run("/usr/bin/python3", [script, dataset]);
        Assert.True(r.ExitCode == 0, "independent check failed: " + r.StdErr + r.StdOut);
        Assert.StartsWith("ok ", r.StdOut.Trim());
    }

    [Fact]
    public void A_synthetic_scene_becomes_a_dataset_that_scipy_numpy_and_gdal_confirm()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 448, 384);
        var result = CropProcessor.Run(Small(dir.File("ds"), scene));
        Assert.Equal(13 * 11, result.Card.TileCount);
        Assert.Equal(["30m", "60m", "120m", "240m"], result.Card.Scales.Select(s => s.Label));
        Assert.Equal([64, 32, 16, 8], result.Card.Scales.Select(s => s.TileSize));
        Assert.False(File.Exists(Path.Combine(dir.File("ds"), DatasetLayout.StateFileName)));
        VerifyWithScipy(dir.File("ds"));

        var st30 = result.Card.StatisticsOf("30m", "lst");
        var st240 = result.Card.StatisticsOf("240m", "lst");
        Assert.Equal(st30.Mean, st240.Mean, 1e-4);
        Assert.True(st240.Std < st30.Std && st240.Max <= st30.Max && st240.Min >= st30.Min);
    }

    [Fact]
    public void Tile_k_at_60m_is_the_2x2_block_mean_of_tile_k_at_30m()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 256, 192, seed: 3);
        CropProcessor.Run(Small(dir.File("ds"), scene));
        foreach (var k in new[] { 0, 7, 20 })
        {
            var fine = MatFile.Read(DatasetLayout.LstPath(dir.File("ds"), "30m", k), "data");
            var coarse = MatFile.Read(DatasetLayout.LstPath(dir.File("ds"), "60m", k), "data");
            for (var r = 0; r < 32; r++)
            {
                for (var c = 0; c < 32; c++)
                {
                    var mean = ((double)fine[2 * r, 2 * c] + fine[2 * r, 2 * c + 1] + fine[2 * r + 1, 2 * c] + fine[2 * r + 1, 2 * c + 1]) / 4;
                    Assert.Equal(mean, coarse[r, c], 1e-4);
                }
            }
        }
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 192, 192);
        CropProcessor.Run(Small(dir.File("a"), scene));
        CropProcessor.Run(Small(dir.File("b"), scene) with { Workers = 1 });
        Assert.Equal(TestScenes.Hashes(dir.File("a")), TestScenes.Hashes(dir.File("b")));
    }

    [Fact]
    public void Appending_a_scene_equals_cropping_both_at_once()
    {
        using var dir = new TempDir();
        var a = TestScenes.Synthetic(dir.File("a"), 192, 160, seed: 1);
        var b = TestScenes.Synthetic(dir.File("b"), 160, 192, seed: 2);
        CropProcessor.Run(Small(dir.File("both"), a, b));
        CropProcessor.Run(Small(dir.File("grown"), a));
        var appended = CropProcessor.Run(Small(dir.File("grown"), b) with { Append = true });

        var both = TestScenes.Hashes(dir.File("both"));
        var grown = TestScenes.Hashes(dir.File("grown"));
        both.Remove(DatasetLayout.CardFileName);
        grown.Remove(DatasetLayout.CardFileName);
        Assert.Equal(both, grown);

        var card = DatasetCard.FromJson(File.ReadAllText(Path.Combine(dir.File("both"), DatasetLayout.CardFileName)), "both");
        Assert.Equal(card.TileCount, appended.Card.TileCount);
        Assert.Equal(JsonSerializer.Serialize(card.Statistics), JsonSerializer.Serialize(appended.Card.Statistics));
        Assert.Equal([0, card.Scenes[1].FirstTile], appended.Card.Scenes.Select(s => s.FirstTile));
        Assert.Equal(2, appended.Card.Provenance.Commands.Count);
    }

    /// <summary>A crop of <paramref name="scene"/> into <paramref name="output"/> cancelled after its third tile row.</summary>
    private static void Interrupt(string output, string scene)
    {
        using var cts = new CancellationTokenSource();
        var progress = new Inline(p =>
        {
            if (p.RowsDone == 3)
            {
                cts.Cancel();
            }
        });
        Assert.Throws<CropInterruptedException>(() => CropProcessor.Run(Small(output, scene), progress, cts.Token));
    }

    [Fact]
    public void An_interrupted_crop_resumes_to_the_same_bytes()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 320, 320);
        CropProcessor.Run(Small(dir.File("whole"), scene));

        Interrupt(dir.File("cut"), scene);
        Assert.True(File.Exists(Path.Combine(dir.File("cut"), DatasetLayout.StateFileName)));
        Assert.False(File.Exists(Path.Combine(dir.File("cut"), DatasetLayout.CardFileName)));
        Assert.Throws<UsageException>(() => CropProcessor.Run(Small(dir.File("cut"), scene)));

        var resumed = CropProcessor.Run(new CropOptions { Output = dir.File("cut"), Resume = true, Workers = 1 });
        Assert.True(resumed.ReusedFiles > 0);
        Assert.Equal(TestScenes.Hashes(dir.File("whole")), TestScenes.Hashes(dir.File("cut")));
    }

    [Fact]
    public void Tiles_damaged_after_the_interruption_are_rewritten_on_resume()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 320, 320);
        CropProcessor.Run(Small(dir.File("whole"), scene));
        Interrupt(dir.File("cut"), scene);
        var flipped = Path.Combine(dir.File("cut"), "30m", "lst", "00001.mat");
        var bytes = File.ReadAllBytes(flipped);
        bytes[bytes.Length / 2] ^= 0x04;
        File.WriteAllBytes(flipped, bytes);
        var truncated = Path.Combine(dir.File("cut"), "120m", "guidance", "00002.mat");
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..100]);

        var resumed = CropProcessor.Run(new CropOptions { Output = dir.File("cut"), Resume = true, Workers = 1 });
        Assert.Equal(TestScenes.Hashes(dir.File("whole")), TestScenes.Hashes(dir.File("cut")));
        Assert.Equal(2, resumed.RewrittenFiles);
        Assert.Equal(Path.Combine("30m", "lst", "00001.mat"), resumed.FirstRewritten);
        Assert.True(resumed.ReusedFiles > 0);
    }

    [Fact]
    public void A_resume_finds_relative_scene_paths_from_the_folder_they_were_given_in()
    {
        using var dir = new TempDir();
        TestScenes.Synthetic(dir.File("scene"), 256, 256);
        using var cts = new CancellationTokenSource();
        var options = new CropOptions { Scenes = ["scene"], Output = dir.File("ds"), TileSize = 64, WorkingDirectory = dir.Path };
        Assert.Throws<CropInterruptedException>(() => CropProcessor.Run(options, new Inline(p =>
        {
            if (p.RowsDone == 2)
            {
                cts.Cancel();
            }
        }), cts.Token));

        Assert.NotEqual(dir.Path, Environment.CurrentDirectory);
        var resumed = CropProcessor.Run(new CropOptions { Output = dir.File("ds"), Resume = true });
        Assert.Equal("scene", resumed.Card.Scenes[0].Path);
        Assert.Equal(49, resumed.Card.TileCount);
    }

    [Fact]
    public void Tiles_touching_nodata_are_skipped_and_counted()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Custom(dir.File("hole"), "hole", 256, 256,
            (x, y, b) => b == 0 && x is >= 64 and < 128 && y is >= 64 and < 128 ? float.NaN : 280 + b + 0.01f * x);
        var r = CropProcessor.Run(Small(dir.File("ds"), scene));
        Assert.Equal(49 - 9, r.Card.TileCount);
        Assert.Equal(9, r.Card.Scenes[0].SkippedNoData);
        VerifyWithScipy(dir.File("ds"));

        var lenient = CropProcessor.Run(Small(dir.File("ds2"), scene) with { MaxNoData = 0.25 });
        Assert.Equal(49 - 5, lenient.Card.TileCount);
        VerifyWithScipy(dir.File("ds2"));
    }

    [Fact]
    public void A_scene_of_nodata_fails_and_leaves_no_output()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Custom(dir.File("nan"), "nan", 128, 128, (_, _, b) => b == 0 ? float.NaN : 1f);
        var e = Assert.Throws<DataException>(() => CropProcessor.Run(Small(dir.File("ds"), scene)));
        Assert.Contains("mostly nodata", e.Message);
        Assert.Contains(scene, e.Message);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Theory]
    [InlineData(500, 0.5, "not divisible by 8")]
    [InlineData(512, 1.0, "outside [0, 1)")]
    [InlineData(512, -0.1, "--overlap -0.1: use 0 or more")]
    [InlineData(512, 0.3, "step of 358.4 px")]
    [InlineData(4096, 0.5, "smaller than one 4096 px tile")]
    public void Bad_tiling_is_a_usage_error_and_writes_nothing(int size, double overlap, string message)
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 128, 128);
        var e = Assert.Throws<UsageException>(() => CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = size, Overlap = overlap }));
        Assert.Contains(message, e.Message);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void Scenes_with_different_channels_cannot_share_a_dataset()
    {
        using var dir = new TempDir();
        var a = TestScenes.Synthetic(dir.File("a"), 128, 128);
        var b = TestScenes.Custom(dir.File("b"), "b", 128, 128, (_, _, b) => b == 0 ? 290f : 0.1f, [GuidanceChannel.GrokLst[0], GuidanceChannel.GrokLst[8]]);
        var e = Assert.Throws<DataException>(() => CropProcessor.Run(Small(dir.File("ds"), a, b)));
        Assert.Contains("[dem,ndvi] differ", e.Message);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void An_existing_folder_is_refused_unless_forced_and_append_checks_compatibility()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 128, 128);
        Directory.CreateDirectory(dir.File("ds"));
        File.WriteAllText(Path.Combine(dir.File("ds"), "mine.txt"), "keep");
        var e = Assert.Throws<UsageException>(() => CropProcessor.Run(Small(dir.File("ds"), scene)));
        Assert.Contains("--force", e.Message);
        Assert.True(File.Exists(Path.Combine(dir.File("ds"), "mine.txt")));

        CropProcessor.Run(Small(dir.File("ds"), scene) with { Force = true });
        Assert.False(File.Exists(Path.Combine(dir.File("ds"), "mine.txt")));
        var other = TestScenes.Synthetic(dir.File("other"), 128, 128, seed: 5);
        var mismatch = Assert.Throws<UsageException>(() => CropProcessor.Run(Small(dir.File("ds"), other) with { Append = true, TileSize = 32 }));
        Assert.Contains("--size 64", mismatch.Message);
        var twice = Assert.Throws<UsageException>(() => CropProcessor.Run(Small(dir.File("ds"), scene) with { Append = true }));
        Assert.Contains("already in the dataset", twice.Message);
    }

    private sealed class Inline(Action<CropProgress> action) : IProgress<CropProgress>
    {
        public void Report(CropProgress value) => action(value);
    }
}
