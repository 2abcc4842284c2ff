using Google.Protobuf;
using LstPipe.Core.Errors;
using LstPipe.Inference.Contracts;
using LstPipe.Models;
using LstPipe.Onnx;
using LstPipe.Training;
using Xunit.Abstractions;

namespace LstPipe.Inference.Tests;

/// <summary>ONNX models written by <c>lstpipe convert</c>, run by ONNX Runtime in predict: the same whole-scene LST as
/// TorchSharp for every model kind, the same contract checks with the same messages, and every refusal one short error
/// naming the file.</summary>
[Collection(SeededTorch.Name)]
public class OnnxDownscalerTests(ITestOutputHelper output)
{
    [Fact]
    public void Whole_scene_predictions_of_every_model_kind_equal_torchsharps()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 192, 32, "1,4");
        foreach (var name in ModelSpec.Names)
        {
            var (best, onnx) = TestRuns.TrainedAndConverted(dir, ds, name, 4, name);
            var o = new PredictOptions
            {
                Checkpoint = best,
                Lst = dir.File("scene"),
                Guidance = dir.File("scene"),
                Output = dir.File(name + "-torch.tif"),
                Window = 64,
                Overlap = 16,
                BatchSize = 2,
                Threads = 1,
            };
            var torch = Predictor.Run(o);
            var ort = Predictor.Run(o with { Checkpoint = onnx, Output = dir.File(name + "-onnx.tif") });
            var (a, b) = (PredictorTests.Read(torch.Output), PredictorTests.Read(ort.Output));
            var diff = a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));
            output.WriteLine($"{name}: whole scene, ONNX Runtime - TorchSharp at most {diff:E2} K ({a.Length} px, {a.Min():0.0}-{a.Max():0.0} K)");
            Assert.True(diff < 1e-3, $"{name}: ONNX Runtime and TorchSharp differ by {diff} K on the whole scene");
            Assert.Equal(torch.ValidPixels, ort.ValidPixels);
            Assert.Equal(torch.ConsistencyBefore, ort.ConsistencyBefore, 1e-4);
            Assert.True(a.Distinct().Count() > a.Length / 4, $"{name}: the prediction varies");
        }
    }

    [Fact]
    public void An_onnx_model_is_refused_what_its_checkpoint_is_refused_with_the_same_message()
    {
        using var dir = new TempDir();
        var ds = TestRuns.MakeDataset(dir, 96, 32, "1,4");
        var (best, onnx) = TestRuns.TrainedAndConverted(dir, ds, "m", 2);
        using (var model = Downscalers.Open(onnx, "cpu", Precision.Fp32, 1))
        {
            Assert.Equal(("mocolsk", "card"), (model.Spec.Name, model.Contract!.Normalization));
            Assert.StartsWith("ONNX Runtime 1.32", model.Engine, StringComparison.Ordinal);
        }

        var names = DataContract.GrokLst(4).ChannelNames;
        var wrong = new PredictOptions
        {
            Checkpoint = best,
            Lst = dir.File("scene"),
            Guidance = dir.File("scene"),
            Output = dir.File("o.tif"),
            GuidanceBands = [.. names.Skip(1), "nir2"],
        };
        var fromCheckpoint = Assert.Throws<UsageException>(() => Predictor.Run(wrong));
        var fromOnnx = Assert.Throws<UsageException>(() => Predictor.Run(wrong with { Checkpoint = onnx }));
        Assert.Equal(fromCheckpoint.Message.Replace(best, "MODEL"), fromOnnx.Message.Replace(onnx, "MODEL"));
        Assert.Contains("nir2", fromOnnx.Message);
        Assert.False(File.Exists(dir.File("o.tif")));

        var bf16 = Assert.Throws<UsageException>(() => Downscalers.Open(onnx, "cpu", Precision.Bf16, 1));
        Assert.Contains("--precision bf16: " + onnx + " is an ONNX model", bf16.Message);
        Assert.Contains("--device cuda: " + onnx, Assert.Throws<UsageException>(() => Downscalers.Open(onnx, "cuda", Precision.Fp32, 1)).Message);
        Assert.StartsWith(onnx + ": an ONNX model runs in predict and test only", Assert.Throws<UsageException>(() => Downscaler.Load(onnx)).Message);
    }

    public static TheoryData<string, string> Damage => new()
    {
        { "garbage", "not an ONNX model ONNX Runtime loads" },
        { "no-metadata", "has no lstpipe.model in its metadata; it was not written by 'lstpipe convert'" },
        { "contract-disagrees", "its lstpipe.contract metadata disagrees with the model (x8, 10 channels; the model is x4 with 10)" },
        { "no-size-multiple", "has no valid lstpipe.size_multiple in its metadata" },
        { "renamed-input", "its graph has no float input 'hr_guidance' of B x 10 x H x W" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_damaged_onnx_model_is_one_short_data_error_naming_the_file(string damage, string message)
    {
        using var dir = new TempDir();
        using var d = Downscaler.Create(new TrainOptions { Dataset = "unused", Output = "unused", NumFeats = 8, NResblocks = 1, Reduction = 4 }.Spec,
            Normalization.GrokLst(4), DataContract.GrokLst(4));
        var m = OnnxExport.Build(d);
        var meta = m.MetadataProps;
        switch (damage)
        {
            case "no-metadata": meta.Clear(); break;
            case "contract-disagrees":
                var c = meta.Single(p => p.Key == DataContract.MetadataKey);
                c.Value = c.Value.Replace("\"scale\": 4", "\"scale\": 8", StringComparison.Ordinal);
                break;
            case "no-size-multiple": meta.Remove(meta.Single(p => p.Key == OnnxDownscaler.SizeMultipleKey)); break;
            case "renamed-input":
                m.Graph.Input[1].Name = "guidance";
                foreach (var node in m.Graph.Node)
                {
                    for (var i = 0; i < node.Input.Count; i++)
                    {
                        node.Input[i] = node.Input[i] == OnnxDownscaler.GuidanceInput ? "guidance" : node.Input[i];
                    }
                }

                break;
        }

        var path = dir.File(damage + ".onnx");
        File.WriteAllBytes(path, damage == "garbage" ? "not a protobuf at all"u8.ToArray() : m.ToByteArray());
        var e = Assert.Throws<DataException>(() => Downscalers.Open(path, "cpu", Precision.Fp32, 1));
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains(message, e.Message);
        Assert.True(e.Message.Length < 300 && !e.Message.Contains('\n'), e.Message);
    }
}
