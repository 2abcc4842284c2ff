using LstPipe.Core.Errors;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Mat;

namespace LstPipe.Dataset.Tests.Crop;

/// <summary>A dataset never claims a finer truth than its LST's native resolution unless told to, and says so.</summary>
public class TruthModeTests
{
    private static float Value(int x, int y, int band) => band == 0
        ? 280 + 0.05f * x - 0.03f * y + 2 * MathF.Sin(x * 0.37f) * MathF.Cos(y * 0.23f)
        : band * 10 + 0.01f * x + MathF.Sin((x + band) * (y + 1) * 0.01f);

    private static string LandsatLike(TempDir dir, double native = 100) =>
        TestScenes.Custom(dir.File("scene"), "tirs-like", 512, 384, Value, nativeResolution: native);

    [Fact]
    public void A_scene_whose_lst_is_coarser_than_its_grid_is_refused_naming_both_resolutions_and_the_ways_forward()
    {
        using var dir = new TempDir();
        var scene = LandsatLike(dir);
        var e = Assert.Throws<UsageException>(() => CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 32 }));
        Assert.Equal(
            $"{scene}: its LST is natively 100 m, so 30 m truth would be resampled, not measured; crop with --truth native (base 120 m: 120/240/480/960 m, guidance averaged onto it) or --truth resampled (keeps 30 m; the card records truthResampledFrom: 100)",
            e.Message);
        Assert.Equal(2, e.ExitCode);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void Native_truth_is_the_scene_averaged_to_120_m_and_the_coarser_levels_are_its_block_means()
    {
        using var dir = new TempDir();
        var scene = LandsatLike(dir);
        var result = CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 32, Truth = TruthMode.Native, Workers = 2 });
        var card = result.Card;
        Assert.Equal(["120m", "240m", "480m", "960m"], card.Scales.Select(s => s.Label));
        Assert.Equal(120, card.BaseResolutionMetres);
        Assert.Equal(30, card.TruthCoarsenedFrom);
        Assert.Null(card.TruthResampledFrom);
        Assert.Equal(7 * 5, card.TileCount);
        CropProcessorTests.VerifyWithScipy(dir.File("ds"));

        // Tile 8 is tile row 1, column 1: base-grid origin (16, 16), scene pixels from (64, 64).
        var truth = MatFile.Read(DatasetLayout.LstPath(dir.File("ds"), "120m", 8), "data");
        var nir = MatFile.Read(DatasetLayout.GuidancePath(dir.File("ds"), "120m", 8), "g7");
        for (var r = 0; r < 32; r += 5)
        {
            for (var c = 0; c < 32; c += 3)
            {
                double lst = 0, g = 0;
                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        lst += Value(64 + 4 * c + j, 64 + 4 * r + i, 0);
                        g += Value(64 + 4 * c + j, 64 + 4 * r + i, 7);
                    }
                }

                Assert.Equal(lst / 16, truth[r, c], 1e-3);
                Assert.Equal(g / 16, nir[r, c], 1e-4);
            }
        }

        var coarse = MatFile.Read(DatasetLayout.LstPath(dir.File("ds"), "240m", 8), "data");
        for (var r = 0; r < 16; r++)
        {
            for (var c = 0; c < 16; c++)
            {
                var mean = ((double)truth[2 * r, 2 * c] + truth[2 * r, 2 * c + 1] + truth[2 * r + 1, 2 * c] + truth[2 * r + 1, 2 * c + 1]) / 4;
                Assert.Equal(mean, coarse[r, c], 1e-4);
            }
        }
    }

    [Theory]
    [InlineData(60, 2, "60m")]
    [InlineData(70, 4, "120m")]
    [InlineData(120, 4, "120m")]
    public void The_native_base_is_the_first_power_of_two_scale_at_or_above_the_sensor(double native, int factor, string label)
    {
        using var dir = new TempDir();
        var scene = LandsatLike(dir, native);
        var card = CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 16, Truth = TruthMode.Native, Workers = 2 }).Card;
        Assert.Equal(label, card.Scales[0].Label);
        Assert.Equal(30.0 * factor, card.BaseResolutionMetres);
    }

    [Fact]
    public void Resampled_truth_is_built_on_the_grid_and_the_card_says_from_what()
    {
        using var dir = new TempDir();
        var scene = LandsatLike(dir);
        var card = CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64, Truth = TruthMode.Resampled, Workers = 2 }).Card;
        Assert.Equal(30, card.BaseResolutionMetres);
        Assert.Equal(100, card.TruthResampledFrom);
        Assert.Contains("\"truthResampledFrom\": 100", File.ReadAllText(Path.Combine(dir.File("ds"), DatasetLayout.CardFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scene_native_at_its_grid_needs_no_flag()
    {
        using var dir = new TempDir();
        var scene = LandsatLike(dir, native: 30);
        var card = CropProcessor.Run(new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 64, Workers = 2 }).Card;
        Assert.Null(card.TruthResampledFrom);
        Assert.Null(card.TruthCoarsenedFrom);
        Assert.Equal("30m", card.Scales[0].Label);
    }
}

/// <summary>A resumed crop takes only the scenes it began with.</summary>
public class ResumeChecksumTests
{
    [Fact]
    public void A_scene_changed_since_the_interrupted_crop_is_refused_on_resume()
    {
        using var dir = new TempDir();
        var scene = TestScenes.Synthetic(dir.File("scene"), 512, 256, seed: 2);
        using var cts = new CancellationTokenSource();
        var options = new CropOptions { Scenes = [scene], Output = dir.File("ds"), TileSize = 32, Workers = 1 };
        Assert.Throws<CropInterruptedException>(() => CropProcessor.Run(options, new Inline(p =>
        {
            if (p.TilesWritten > 20)
            {
                cts.Cancel();
            }
        }), cts.Token));

        var lst = Path.Combine(scene, "lst.tif");
        File.SetLastWriteTimeUtc(lst, DateTime.UtcNow);
        using (var f = new FileStream(lst, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Seek(-1, SeekOrigin.End);
            var b = f.ReadByte();
            f.Seek(-1, SeekOrigin.End);
            f.WriteByte((byte)(b ^ 1));
        }

        var e = Assert.Throws<DataException>(() => CropProcessor.Run(new CropOptions { Output = dir.File("ds"), Resume = true }));
        Assert.StartsWith(Path.Combine(scene, "lst.tif") + ": changed since the interrupted crop began", e.Message, StringComparison.Ordinal);
    }

    private sealed class Inline(Action<CropProgress> report) : IProgress<CropProgress>
    {
        public void Report(CropProgress value) => report(value);
    }
}
