using System.Text.Json;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Models;
using LstPipe.Models.Checkpoints;
using LstPipe.Models.MoCoLsk;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LstPipe.Onnx.Tests;

/// <summary>Models written as ONNX: ONNX's own checker accepts them (python3-onnx 1.12), and ONNX Runtime computes what
/// TorchSharp computes on the same batch, for every model kind.</summary>
[Collection(SeededTorch.Name)]
public class OnnxExportTests(ITestOutputHelper output)
{
    private static readonly string Checker = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Onnx.Tests", "onnx_check.py");

    /// <summary>The checker's summary of a model file (fails the test when the checker refuses it).</summary>
    internal static JsonElement Check(string path)
    {
        var r = Processes.Run("/usr/bin/python3", [Checker, path]);
        Assert.True(r.ExitCode == 0, $"onnx.checker refused {path}: {r.StdErr}");
        return JsonDocument.Parse(r.StdOut).RootElement;
    }

    internal static Downscaler Seeded(string name, int scale, int width = 8, int blocks = 1, int reduction = 4, long seed = 5)
    {
        manual_seed(seed);
        var spec = new ModelSpec { Name = name, MoCoLsk = new MoCoLskOptions { Scale = scale, NumFeats = width, NResblocks = blocks, Reduction = reduction } };
        return Downscaler.Create(spec, Normalization.GrokLst(scale), DataContract.GrokLst(scale));
    }

    /// <summary>A batch of distinct samples: LR around 290 K with structure, guidance of unit scale.</summary>
    internal static TileBatch Batch(int count, int hr, int scale, int channels = 10, long seed = 9)
    {
        manual_seed(seed);
        var lr = (randn(count, 1, hr / scale, hr / scale) * 6 + 290).data<float>().ToArray();
        var gui = randn(count, channels, hr, hr).data<float>().ToArray();
        return new TileBatch(Enumerable.Range(0, count).ToArray(), hr / scale, hr, channels, lr, gui, []);
    }

    internal static double MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));
    }

    [Theory]
    [InlineData("mocolsk", 2, 20, 8)]
    [InlineData("mocolsk", 4, 28, 8)]
    [InlineData("mocolsk", 8, 40, 8)]
    [InlineData("mocolsk", 4, 20, 32)]
    [InlineData("srcnn", 4, 20, 8)]
    [InlineData("djf", 2, 22, 8)]
    [InlineData("fdsr", 4, 24, 8)]
    [InlineData("fdsr", 8, 40, 8)]
    public void The_checker_accepts_the_graph_and_onnx_runtime_gives_torchsharps_lst(string name, int scale, int hr, int width)
    {
        using var dir = new TempDir();
        using var model = width == 32 ? Seeded(name, scale, 32, 4, 16) : Seeded(name, scale);
        var path = dir.File("m.onnx");
        OnnxExport.Write(model, path);
        var summary = Check(path);
        Assert.Equal(8, summary.GetProperty("ir_version").GetInt32());
        Assert.Equal(17, summary.GetProperty("opset").GetProperty("").GetInt32());
        Assert.Equal("[\"batch\",1,\"lr_height\",\"lr_width\"]", summary.GetProperty("inputs").GetProperty("lr_lst").GetRawText().Replace(" ", ""));
        Assert.Equal("[\"batch\",10,\"height\",\"width\"]", summary.GetProperty("inputs").GetProperty("hr_guidance").GetRawText().Replace(" ", ""));

        using var onnx = OnnxDownscaler.Load(path, threads: 1);
        Assert.Equal((model.Spec, model.Normalization.LstStd, model.SizeMultiple), (onnx.Spec, onnx.Normalization.LstStd, onnx.SizeMultiple));
        model.Net.eval();
        var batch = Batch(3, hr, scale);
        var expected = model.Predict(batch);
        var actual = onnx.Predict(batch);
        var diff = MaxDifference(expected, actual);
        output.WriteLine($"{name} x{scale} width {width}, {hr} px: ONNX Runtime - TorchSharp at most {diff:E2} K over {expected.Min():0.00}-{expected.Max():0.00} K");
        Assert.True(diff < 1e-3, $"{name} x{scale}: ONNX Runtime and TorchSharp differ by {diff} K");
        Assert.True(expected.Distinct().Count() > expected.Length / 2, "the outputs vary");
    }

    [Theory]
    [InlineData("mmagic", 4, 8, 1, 4, 32)]
    [InlineData("plain", 8, 8, 1, 4, 48)]
    [InlineData("plain", 2, 32, 4, 16, 20)]
    public void A_model_converted_from_a_grokLst_pth_gives_the_pytorch_references_lst(string kind, int scale, int width, int blocks,
        int reduction, int hr)
    {
        using var dir = new TempDir();
        var script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Inference.Tests", "Interop", "pytorch_interop.py");
        var std = Normalization.GrokLst(scale).LstStd.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string[] config = [$"{scale}", $"{width}", $"{blocks}", $"{reduction}", "282.51", std];
        var pth = dir.File($"model-{kind}.pth");
        var made = Processes.Run("/usr/bin/python3", [script, "pth", pth, kind, .. config, "7"]);
        Assert.True(made.ExitCode == 0, made.StdErr);
        var batch = Batch(1, hr, scale, seed: 21);
        SafeTensors.Save(dir.File("io.safetensors"), new Dictionary<string, Tensor>
        {
            ["input.lr_lst"] = tensor(batch.Lr, [1, 1, hr / scale, hr / scale]),
            ["input.hr_guidance"] = tensor(batch.Guidance, [1, 10, hr, hr]),
        });
        var forward = Processes.Run("/usr/bin/python3", [script, "forward", pth + ".safetensors", dir.File("io.safetensors"), .. config]);
        Assert.True(forward.ExitCode == 0, forward.StdErr);
        var (reference, _) = SafeTensors.Load(dir.File("io.safetensors.out.safetensors"));

        using (var model = Downscaler.Load(pth))
        {
            Assert.Equal((scale, width), (model.Spec.MoCoLsk.Scale, model.Spec.MoCoLsk.NumFeats));
            OnnxExport.Write(model, dir.File("m.onnx"));
        }

        Check(dir.File("m.onnx"));
        using var onnx = OnnxDownscaler.Load(dir.File("m.onnx"), threads: 1);
        Assert.Equal("published", onnx.Contract!.Truth.Method);
        var diff = MaxDifference(Downscaler.ToArray(reference["output.sr_lst"]), onnx.Predict(batch));
        output.WriteLine($"{kind} x{scale} width {width}: ONNX Runtime - PyTorch at most {diff:E2} K");
        Assert.True(diff < 1e-3, $"the ONNX model and the PyTorch reference differ by {diff} K");
    }
}
