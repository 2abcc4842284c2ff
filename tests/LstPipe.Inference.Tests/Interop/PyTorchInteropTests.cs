using System.Globalization;
using LstPipe.Inference;
using LstPipe.Models.Checkpoints;
using LstPipe.Training;
using static TorchSharp.torch;

namespace LstPipe.Inference.Tests.Interop;

/// <summary>Checkpoints cross to and from PyTorch 1.13 under /usr/bin/python3, with the reference MoCoLSK of
/// bench/train/mocolsk_reference.py: ours load there strictly, and GrokLST-toolkit <c>.pth</c> files load here.</summary>
[Collection(SeededTorch.Name)]
public class PyTorchInteropTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Inference.Tests", "Interop", "pytorch_interop.py");

    private static ProcessResult Python(params string[] args)
    {
        var r = Processes.Run("/usr/bin/python3", [Script, .. args]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return r;
    }

    private static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Runs the network here and the reference there on the same inputs; the largest difference in K.</summary>
    private static double MaxDifference(TempDir dir, Downscaler model, string weights)
    {
        manual_seed(11);
        var o = model.Spec.MoCoLsk;
        var lr = (randn(1, 1, 32 / o.Scale, 32 / o.Scale) * 5 + 290).DetachFromDisposeScope();
        var gui = randn(1, o.GuidanceChannels, 32, 32).DetachFromDisposeScope();
        SafeTensors.Save(dir.File("io.safetensors"), new Dictionary<string, Tensor> { ["input.lr_lst"] = lr, ["input.hr_guidance"] = gui });
        Python("forward", weights, dir.File("io.safetensors"), $"{o.Scale}", $"{o.NumFeats}", $"{o.NResblocks}", $"{o.Reduction}", Inv(o.LstMean), Inv(o.EffectiveLstStd));
        var (reference, _) = SafeTensors.Load(dir.File("io.safetensors.out.safetensors"));
        model.Net.eval();
        using var noGrad = no_grad();
        var ours = Downscaler.ToArray(model.Net.call(lr, gui));
        var theirs = Downscaler.ToArray(reference["output.sr_lst"]);
        Assert.Equal(theirs.Length, ours.Length);
        return ours.Zip(theirs).Max(p => Math.Abs((double)p.First - p.Second));
    }

    [Fact]
    public void A_checkpoint_trained_here_loads_strictly_into_pytorch_and_gives_the_same_lst()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 192, 32);
        var run = Trainer.Run(TestRuns.Small(ds, dir.File("run"), 4, 4));
        var best = Path.Combine(run.Run, "best.safetensors");
        using var model = Downscaler.Load(best);
        var diff = MaxDifference(dir, model, best);
        Assert.True(diff < 1e-3, $"PyTorch and lstpipe differ by {diff} K");
    }

    [Theory]
    [InlineData("mmagic")]
    [InlineData("plain")]
    public void A_pytorch_pth_from_grokLst_loads_with_its_model_inferred_and_gives_the_reference_lst(string kind)
    {
        using var dir = new TempDir();
        var pth = dir.File($"model-{kind}.pth");
        Python("pth", pth, kind, "4", "8", "1", "4", "282.51", "14.68", "5");
        using var model = Downscaler.Load(pth);
        var o = model.Spec.MoCoLsk;
        Assert.Equal(("mocolsk", 4, 8, 1, 4, 4, 10), (model.Spec.Name, o.Scale, o.NumFeats, o.NResblocks, o.Reduction, o.NumStages, o.GuidanceChannels));
        Assert.Equal((282.51, 14.68), (model.Normalization.LstMean, model.Normalization.LstStd));
        Assert.Equal(("published", "SDGSAT-1 TIS", 30.0, 10), (model.Contract!.Truth.Method, model.Contract.Truth.Sensor, model.Contract.TruthResolutionMetres, model.Contract.Guidance.Count));

        var (expected, _) = SafeTensors.Load(pth + ".safetensors");
        var state = model.Net.state_dict();
        Assert.Equal(expected.Keys.Order(), state.Keys.Order());
        foreach (var (name, t) in expected)
        {
            Assert.True(Downscaler.ToArray(t).SequenceEqual(Downscaler.ToArray(state[name])), name + " differs from the .pth");
        }

        var diff = MaxDifference(dir, model, pth + ".safetensors");
        Assert.True(diff < 1e-3, $"PyTorch and lstpipe differ by {diff} K");
    }

    [Fact]
    public void Predict_with_an_mmagic_pth_gives_the_reference_output_on_a_georeferenced_scene()
    {
        using var dir = new TempDir();
        var pth = dir.File("model-mmagic.pth");
        Python("pth", pth, "mmagic", "4", "8", "1", "4", "282.51", "14.68", "5");
        var norm = Normalization.GrokLst(4);
        manual_seed(12);
        var lr = (randn(1, 1, 8, 8) * 5 + 290).DetachFromDisposeScope();
        var gui = Consistent(randn(1, 10, 32, 32) * 0.3, norm).DetachFromDisposeScope();
        SafeTensors.Save(dir.File("io.safetensors"), new Dictionary<string, Tensor> { ["input.lr_lst"] = lr, ["input.hr_guidance"] = gui });
        Python("forward", pth + ".safetensors", dir.File("io.safetensors"), "4", "8", "1", "4", "282.51", "14.68");
        var (reference, _) = SafeTensors.Load(dir.File("io.safetensors.out.safetensors"));

        var crs = LstPipe.Raster.Gdal.Crs.FromEpsg(32650).Wkt;
        var hrGrid = new Core.Units.RasterGrid(crs, Core.Units.GeoTransform.NorthUp(500000, 4000000, 30), 32, 32);
        var lrGrid = hrGrid.Coarsen(new Core.Units.ScaleFactor(4));
        var raw = Downscaler.ToArray(gui);
        for (var c = 0; c < 10; c++)
        {
            for (var i = 0; i < 32 * 32; i++)
            {
                raw[(c * 1024) + i] = (float)((raw[(c * 1024) + i] * norm.GuidanceDivisor[c]) + norm.GuidanceShift[c]);
            }
        }

        using (var w = LstPipe.Raster.Gdal.GeoTiffWriter.Create(dir.File("guidance.tif"), hrGrid, 10, LstPipe.Raster.Gdal.RasterDataType.Float32, -9999,
                   Raster.Scenes.GuidanceChannel.GrokLstNames))
        {
            for (var c = 0; c < 10; c++)
            {
                w.Write(c + 1, hrGrid.Extent, raw.AsSpan(c * 1024, 1024).ToArray());
            }

            w.Commit();
        }

        using (var w = LstPipe.Raster.Gdal.GeoTiffWriter.Create(dir.File("lr.tif"), lrGrid, 1, LstPipe.Raster.Gdal.RasterDataType.Float32, -9999))
        {
            w.Write(1, lrGrid.Extent, Downscaler.ToArray(lr));
            w.Commit();
        }

        var r = Predictor.Run(new PredictOptions { Checkpoint = pth, Lst = dir.File("lr.tif"), Guidance = dir.File("guidance.tif"), Output = dir.File("sr.tif"), Window = 32, Overlap = 0, Consistency = ConsistencyMode.None });
        Assert.Null(r.Warped);
        using var sr = LstPipe.Raster.Gdal.RasterDataset.Open(dir.File("sr.tif"));
        var ours = new float[32 * 32];
        sr.GetBand(1).Read(sr.Extent, ours);
        var diff = ours.Zip(Downscaler.ToArray(reference["output.sr_lst"])).Max(p => Math.Abs((double)p.First - p.Second));
        Assert.True(diff < 1e-3, $"predict with the .pth and the PyTorch reference differ by {diff} K");
    }

    /// <summary>Normalized guidance whose ndvi and ndwi are their formulas of its nir, red and green, as predict's guidance
    /// checks require of real data.</summary>
    private static Tensor Consistent(Tensor gui, Normalization norm)
    {
        var shift = tensor(norm.GuidanceShift.Select(v => (float)v).ToArray()).view(1, 10, 1, 1);
        var div = tensor(norm.GuidanceDivisor.Select(v => (float)v).ToArray()).view(1, 10, 1, 1);
        var phys = gui.mul(div).add(shift);
        var (green, red, nir) = (phys[.., 3], phys[.., 4], phys[.., 6]);
        phys[.., 8] = (nir - red) / (nir + red);
        phys[.., 9] = (green - nir) / (green + nir);
        return phys.sub(shift).div(div);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_a_data_error_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x.pth"), "not a zip or a pickle");
        var e = Assert.Throws<Core.Errors.DataException>(() => Downscaler.Load(dir.File("x.pth")));
        Assert.StartsWith(dir.File("x.pth") + ": not a PyTorch checkpoint", e.Message, StringComparison.Ordinal);
    }
}
