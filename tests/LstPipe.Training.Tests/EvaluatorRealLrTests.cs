using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Dataset;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Splits;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;

namespace LstPipe.Training.Tests;

/// <summary><c>test --lr real</c> on a dataset whose real LR is known: a coarse scene on the x8 level's own grid holding
/// the block means of the truth plus 2 K, with a cloud gap. Bicubic is linear and its weights sum to 1, so on the real
/// LR it must be the simulated bicubic shifted by exactly 2 K, and the bias-matched real LR must score as the simulated.</summary>
[Collection(SeededTorch.Name)]
public class EvaluatorRealLrTests
{
    private const float Offset = 2;

    /// <summary>A 256 px synthetic scene, cropped into 64 px tiles with a real LR at 240 m (x8) made from it.</summary>
    private static string RealDataset(TempDir dir)
    {
        var scene = SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 256, Seed = 3 }.Validate(), dir.File("scene"));
        using (var lst = scene.OpenLst())
        {
            var fine = new float[256 * 256];
            lst.GetBand(1).Read(lst.Extent, fine);
            var coarse = new float[32 * 32];
            for (var i = 0; i < coarse.Length; i++)
            {
                var (y, x) = (i / 32, i % 32);
                var sum = 0.0;
                for (var k = 0; k < 64; k++)
                {
                    sum += fine[((y * 8) + (k / 8)) * 256 + (x * 8) + (k % 8)];
                }

                coarse[i] = x < 12 && y < 12 ? (float)SceneFolder.NoData : (float)(sum / 64) + Offset;
            }

            var t = lst.Grid.Transform;
            var grid = new RasterGrid(lst.Grid.CrsWkt, GeoTransform.NorthUp(t.OriginX, t.OriginY, t.PixelWidth * 8), 32, 32);
            using var writer = SceneWriter.Create(dir.File("coarse"), grid, []);
            writer.Lst.Write(1, grid.Extent, coarse);
            var manifest = writer.Manifest("coarse", new SceneProvenance { Sensor = "test sensor", Acquired = "2021-08-15" }, 32650);
            writer.Commit(manifest with { Lst = manifest.Lst with { NativeResolutionMetres = 250 } });
        }

        CropProcessor.Run(new CropOptions
        {
            Scenes = [dir.File("scene")],
            Output = dir.File("ds"),
            TileSize = 64,
            Workers = 1,
            RealLr = dir.File("coarse"),
        });
        SplitProcessor.Run(new SplitOptions { Dataset = dir.File("ds"), Ratio = SplitRatio.Parse("6:1:3") });
        return dir.File("ds");
    }

    [Fact]
    public void The_real_lr_is_scored_beside_the_simulated_one_and_bias_matching_takes_the_offset_out()
    {
        using var dir = new TempDir();
        var ds = RealDataset(dir);
        var card = DatasetFolder.Load(ds).Card;
        Assert.Equal("240m-real", card.RealLr!.Folder);
        Assert.Equal(Offset, card.RealLr.BiasK, 3);
        var run = Trainer.Run(TestRuns.Small(ds, dir.File("run"), 2, 2) with { Scale = 8 });
        var r = Evaluator.Run(new EvaluateOptions
        {
            Checkpoint = Path.Combine(run.Run, "best.safetensors"),
            Dataset = ds,
            Lr = LrSource.Real,
            MatchBias = true,
            Panels = 1,
        });

        var split = TileLoader.ReadSplit(ds, "test");
        var uncovered = card.RealLr.UncoveredTiles.ToHashSet();
        Assert.Equal(split.Count(t => !uncovered.Contains(t)), r.Tiles);
        Assert.Equal(split.Count(uncovered.Contains), r.Real!.LeftOut);
        Assert.True(r.Real.LeftOut > 0, "the cloud gap should cover some test tiles");
        Assert.EndsWith("metrics-test-real.csv", r.MetricsCsv, StringComparison.Ordinal);
        Assert.Equal(r.Tiles + 1, File.ReadAllLines(r.MetricsCsv).Length);
        Assert.Equal(Offset, r.Real.LrBiasK, 3);

        var (sim, matched) = (r.Real.Simulated, r.Real.Matched!);
        Assert.Equal(sim.Bicubic.Bias + Offset, r.Bicubic.Bias, 3);
        Assert.Equal(sim.Bicubic.Cc, r.Bicubic.Cc, 4);
        Assert.Equal(sim.Bicubic.Rmse, matched.Bicubic.Rmse, 3);
        Assert.Equal(sim.Model.Rmse, matched.Model.Rmse, 3);
        Assert.Equal(sim.Model.Bias, matched.Model.Bias, 3);
        Assert.True(r.Model.Bias > sim.Model.Bias + 1, "the model fed the real LR should carry most of its offset");
        Assert.Equal(File.ReadAllLines(r.MetricsCsv).Select(l => l.Split(',')[0]),
            File.ReadAllLines(sim.MetricsCsv).Select(l => l.Split(',')[0]));
        Assert.Contains(r.Figures, f => Path.GetFileName(f).StartsWith("panel-test-real-", StringComparison.Ordinal));

        // A plain test of the same checkpoint is unchanged by the real level.
        var plain = Evaluator.Run(new EvaluateOptions { Checkpoint = Path.Combine(run.Run, "best.safetensors"), Dataset = ds, Panels = 0 });
        Assert.Equal(split.Count, plain.Tiles);
        Assert.Null(plain.Real);
        Assert.EndsWith("metrics-test.csv", plain.MetricsCsv, StringComparison.Ordinal);

        // Another scale than the real level's, or the Parquet shards, are refused with the fix.
        var x4 = Trainer.Run(TestRuns.Small(ds, dir.File("x4"), 1, 1));
        var e = Assert.Throws<UsageException>(() => Evaluator.Run(new EvaluateOptions
        {
            Checkpoint = Path.Combine(x4.Run, "best.safetensors"),
            Dataset = ds,
            Lr = LrSource.Real,
        }));
        Assert.Contains("stands beside 240m, the x8 input; the checkpoint is an x4 model reading 120m: test an x8 model", e.Message,
            StringComparison.Ordinal);
        var parquet = Assert.Throws<UsageException>(() => Evaluator.Run(new EvaluateOptions
        {
            Checkpoint = Path.Combine(run.Run, "best.safetensors"),
            Dataset = ds,
            Lr = LrSource.Real,
            Format = "parquet",
        }));
        Assert.Contains("--format mat", parquet.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_lr_options_need_a_real_level()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 128, 32);
        var run = Trainer.Run(TestRuns.Small(ds, dir.File("run"), 1, 1));
        var checkpoint = Path.Combine(run.Run, "best.safetensors");
        var none = Assert.Throws<UsageException>(() => Evaluator.Run(new EvaluateOptions
        {
            Checkpoint = checkpoint,
            Dataset = ds,
            Lr = LrSource.Real,
        }));
        Assert.Contains("has no real-LR level; add one with 'lstpipe crop SCENE... --real-lr COARSE_SCENE'", none.Message,
            StringComparison.Ordinal);
        var match = Assert.Throws<UsageException>(() => Evaluator.Run(new EvaluateOptions
        {
            Checkpoint = checkpoint,
            Dataset = ds,
            MatchBias = true,
        }));
        Assert.Contains("--match-bias", match.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_shifts_by_the_mean_difference_over_pixels_valid_in_both()
    {
        float[] real = [301, 303, float.NaN, 310];
        TileLoader.MatchMean(real, [300, 300, 300, float.NaN]);
        Assert.Equal([299, 301, float.NaN, 308], real);
    }
}
