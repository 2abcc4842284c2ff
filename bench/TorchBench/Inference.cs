using System.Diagnostics;
using System.Globalization;
using LstPipe.Models;
using LstPipe.Models.MoCoLsk;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>MoCoLSK x4 inference (no gradients) at fp32 and with the network and inputs cast to bfloat16: median
/// seconds per window and the largest output difference from fp32, in K.</summary>
internal static class Inference
{
    public static void Run(int threads, int hr, int steps)
    {
        TorchSetup.Threads = threads;
        manual_seed(0);
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 4 });
        net.eval();
        using var noGrad = no_grad();
        using var lr = randn(1, 1, hr / 4, hr / 4) * 5.0 + 290.0;
        using var gui = randn(1, 10, hr, hr);
        (double Seconds, float[] Output) Time(ScalarType type)
        {
            var times = new List<double>();
            float[] output = [];
            for (var i = 0; i <= steps; i++)
            {
                using var scope = NewDisposeScope();
                var sw = Stopwatch.StartNew();
                var y = net.call(lr.to(type), gui.to(type)).to(ScalarType.Float32);
                output = y.data<float>().ToArray();
                times.Add(sw.Elapsed.TotalSeconds);
            }

            return (times.Skip(1).Order().ElementAt(steps / 2), output);
        }

        var fp32 = Time(ScalarType.Float32);
        net.to(ScalarType.BFloat16);
        var bf16 = Time(ScalarType.BFloat16);
        var diff = fp32.Output.Zip(bf16.Output).Max(p => Math.Abs(p.First - p.Second));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"tool\": \"lstpipe\", \"threads\": {threads}, \"hr\": {hr}, \"fp32_s\": {fp32.Seconds:0.000}, \"bf16_s\": {bf16.Seconds:0.000}, \"bf16_max_abs_diff_K\": {diff:0.000}}}"));
    }
}
