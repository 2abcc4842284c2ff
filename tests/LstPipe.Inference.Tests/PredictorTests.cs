using LstPipe.Core.Units;
using LstPipe.Inference;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

using LstPipe.Training;

namespace LstPipe.Inference.Tests;

[Collection(SeededTorch.Name)]
public class PredictorTests
{
    internal static float[] Read(string path)
    {
        using var d = RasterDataset.Open(path);
        var v = new float[d.Width * d.Height];
        d.GetBand(1).Read(d.Extent, v);
        return v;
    }

    [Fact]
    public void A_whole_scene_is_downscaled_on_the_guidance_grid_without_seams_and_with_nodata_kept()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 192, 32);
        var run = Trainer.Run(TestRuns.Small(ds, dir.File("run"), 8, 8));
        var scene = SceneFolder.Open(dir.File("scene"));
        using (var g = scene.OpenGuidance())
        {
            Warper.Warp(scene.LstPath, dir.File("lr.tif"), new WarpOptions { Target = g.Grid.Coarsen(new ScaleFactor(4)), Method = Resampling.Average, Threads = 1 });
        }

        var lr = Read(dir.File("lr.tif"));
        using (var src = RasterDataset.Open(dir.File("lr.tif")))
        using (var w = GeoTiffWriter.Create(dir.File("holed.tif"), src.Grid, 1, RasterDataType.Float32, -9999))
        {
            var holed = lr.ToArray();
            for (var r = 10; r < 12; r++)
            {
                for (var c = 20; c < 23; c++)
                {
                    holed[r * 48 + c] = -9999;
                }
            }

            w.Write(1, src.Extent, holed);
            w.Commit();
        }

        var ckpt = Path.Combine(run.Run, "best.safetensors");
        Predictor.Run(new PredictOptions { Checkpoint = ckpt, Lst = dir.File("lr.tif"), Guidance = scene.GuidancePath, Output = dir.File("tiled.tif"), Window = 64, Overlap = 16 });
        Predictor.Run(new PredictOptions { Checkpoint = ckpt, Lst = dir.File("lr.tif"), Guidance = scene.GuidancePath, Output = dir.File("batched.tif"), Window = 64, Overlap = 16, BatchSize = 8 });
        Predictor.Run(new PredictOptions { Checkpoint = ckpt, Lst = dir.File("lr.tif"), Guidance = scene.GuidancePath, Output = dir.File("whole.tif"), Window = 192, Overlap = 0 });
        Predictor.Run(new PredictOptions { Checkpoint = ckpt, Lst = dir.File("holed.tif"), Guidance = scene.GuidancePath, Output = dir.File("holed-out.tif"), Window = 64, Overlap = 16 });

        Assert.All(new[] { "tiled.tif", "whole.tif", "holed-out.tif" }, f => Assert.Equal("COG", GdalInfo.Layout(dir.File(f))));
        using (var o = RasterDataset.Open(dir.File("tiled.tif")))
        using (var g = scene.OpenGuidance())
        {
            Assert.Equal(g.Grid, o.Grid);
            Assert.Equal(-9999, o.GetBand(1).NoData);
        }

        var tiled = Read(dir.File("tiled.tif"));
        var whole = Read(dir.File("whole.tif"));
        var batched = Read(dir.File("batched.tif"));
        Assert.True(tiled.Zip(batched).Max(p => Math.Abs(p.First - p.Second)) < 1e-3, "eight windows per forward differ from one");
        var truth = Read(scene.LstPath);
        Assert.All(tiled, v => Assert.True(v is > 200 and < 400, $"{v}"));
        var diff = tiled.Zip(whole).Average(p => Math.Abs(p.First - p.Second));
        var error = whole.Zip(truth).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(diff < 0.25 * error + 0.01, $"tiled and whole-scene predictions differ by {diff:0.0000} K on average (model error {error:0.0000} K)");

        double StepAt(int col) => Enumerable.Range(0, 192).Average(r => Math.Abs(tiled[r * 192 + col] - tiled[r * 192 + col - 1]));
        var boundary = new[] { 48, 64, 96, 112, 144 }.Average(StepAt);
        var everywhere = Enumerable.Range(1, 191).Average(StepAt);
        Assert.True(boundary < 2 * everywhere, $"steps at window edges {boundary:0.000} K against {everywhere:0.000} K elsewhere");

        var holedOut = Read(dir.File("holed-out.tif"));
        for (var r = 0; r < 192; r++)
        {
            for (var c = 0; c < 192; c++)
            {
                var inHole = r / 4 is >= 10 and < 12 && c / 4 is >= 20 and < 23;
                Assert.Equal(inHole, holedOut[r * 192 + c] == -9999f);
            }
        }
    }
}
