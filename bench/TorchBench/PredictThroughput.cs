using System.Diagnostics;
using System.Globalization;
using LstPipe.Models;
using LstPipe.Models.MoCoLsk;
using static TorchSharp.torch;

/// <summary>MoCoLSK x4 inference as <c>lstpipe predict</c> runs it (no gradients, the body in fp32 or bf16 with the
/// Kelvin path in fp32, BATCH windows of HR x HR per forward): median seconds per forward and HR megapixels per second.</summary>
internal static class PredictThroughput
{
    public static void Run(int threads, int hr, int steps, string width, string precision, int batch)
    {
        TorchSetup.Threads = threads;
        manual_seed(0);
        var options = width == "small" ? new MoCoLskOptions { Scale = 4, NumFeats = 8, NResblocks = 1, Reduction = 4 }
            : new MoCoLskOptions { Scale = 4 };
        using var net = new MoCoLskNet(options);
        net.eval();
        net.UsePrecision(precision == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32);
        using var noGrad = no_grad();
        using var lr = randn(batch, 1, hr / 4, hr / 4) * 5.0 + 290.0;
        using var gui = randn(batch, 10, hr, hr);
        var times = new List<double>();
        for (var i = 0; i <= steps; i++)
        {
            using var scope = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            net.call(lr, gui).data<float>().ToArray();
            times.Add(sw.Elapsed.TotalSeconds);
        }

        var median = times.Skip(1).Order().ElementAt(steps / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"tool\": \"lstpipe\", \"threads\": {threads}, \"wait\": \"{TorchSetup.WaitPolicy}\", \"width\": \"{width}\", " +
            $"\"params\": {net.ParameterCount}, \"precision\": \"{precision}\", \"batch\": {batch}, \"hr\": {hr}, " +
            $"\"forward_s\": {median:0.0000}, \"hr_mpx_s\": {batch * hr * hr / 1e6 / median:0.0000}}}"));
    }
}
