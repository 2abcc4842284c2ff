using Google.Protobuf;
using LstPipe.Models.MoCoLsk;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LstPipe.Onnx.Tests;

/// <summary>The parts of MoCoLSK's graph whose errors a whole network's output hides (the generated kernel gates
/// features through a sigmoid, so a wrong token moves the LST by less than a millikelvin): the adaptive-pool tokens and
/// the MoCoLSK block alone, on sizes no pool divides and non-square maps, against TorchSharp at float32 rounding.</summary>
[Collection(SeededTorch.Name)]
public class MoCoLskEmitterTests
{
    /// <summary>Runs a graph with ONNX Runtime on (name, values, shape) inputs and returns its one output.</summary>
    internal static float[] Run(GraphBuilder g, string output, params (string Name, Tensor Value)[] inputs)
    {
        foreach (var (name, value) in inputs)
        {
            g.Graph.Input.Add(GraphBuilder.Value(name, value.shape.Select(d => (object?)null).ToArray()));
        }

        g.Graph.Output.Add(GraphBuilder.Value(output));
        using var session = new InferenceSession(OnnxExport.Model(g.Graph).ToByteArray());
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Value.contiguous().data<float>().ToArray(), i.Value.shape)).ToList();
        try
        {
            using var outputs = session.Run(new RunOptions(), inputs.Select(i => i.Name).ToArray(), values, [output]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private static double MaxRelative(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(v => Math.Abs((double)v));
        return expected.Zip(actual).Max(p => Math.Abs((double)p.First - p.Second)) / scale;
    }

    [Theory]
    [InlineData(12, 12)]
    [InlineData(20, 14)]
    [InlineData(7, 31)]
    [InlineData(5, 6)]
    public void Tokens_are_pytorchs_adaptive_pools_for_any_height_and_width(int h, int w)
    {
        manual_seed(1);
        var x = randn(2, 3, h, w);
        var expected = cat([.. new long[] { 1, 2, 3, 6 }.Select(p => F.adaptive_avg_pool2d(x, p).reshape(2, 3, -1))], 2).permute(0, 2, 1);
        var g = new GraphBuilder("tokens");
        var emitter = new MoCoLskEmitter(g, new MoCoLskOptions()) { Grid = "x" };
        var tokens = Run(g, emitter.Tokens("x"), ("x", x));
        Assert.True(MaxRelative(expected.contiguous().data<float>().ToArray(), tokens) < 1e-6, $"{h} x {w}");
    }

    [Theory]
    [InlineData(false, 20, 14)]
    [InlineData(true, 20, 14)]
    [InlineData(false, 9, 9)]
    public void The_mocolsk_block_gates_each_sample_with_its_own_generated_kernel(bool batchMean, int h, int w)
    {
        manual_seed(2);
        using var block = new DynamicLsk(8, 3, trainDynamicMlp: false, batchMeanKernel: batchMean);
        block.eval();
        var lst = randn(3, 8, h, w) * 2;
        var gui = randn(3, 8, h, w);
        using var noGrad = no_grad();
        var expected = block.call(lst, gui).contiguous().data<float>().ToArray();
        var g = new GraphBuilder("block");
        var emitter = new MoCoLskEmitter(g, new MoCoLskOptions { NumFeats = 8 }) { Grid = "gui" };
        var actual = Run(g, emitter.Lsk(block, "dlsk", "lst", "gui"), ("lst", lst), ("gui", gui));
        Assert.True(MaxRelative(expected, actual) < 1e-5, $"batch mean {batchMean}, {h} x {w}: {MaxRelative(expected, actual)}");

        var alone = block.call(lst.narrow(0, 1, 1), gui.narrow(0, 1, 1)).contiguous().data<float>().ToArray();
        var second = expected.AsSpan(alone.Length, alone.Length).ToArray();
        Assert.Equal(!batchMean, MaxRelative(alone, second) < 1e-5);
    }
}
