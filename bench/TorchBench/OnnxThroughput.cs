using System.Diagnostics;
using System.Globalization;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Models;
using LstPipe.Models.MoCoLsk;
using LstPipe.Onnx;
using static TorchSharp.torch;

/// <summary>MoCoLSK x4 inference through both engines of <c>lstpipe predict</c>, interleaved in one process so that each
/// sees the same machine: TorchSharp fp32 and bf16 (<see cref="Downscaler"/>) and ONNX Runtime on the graph
/// <c>lstpipe convert</c> writes (<see cref="OnnxDownscaler"/>) in fp32 and with its convolutions dynamically quantized to
/// int8 (<see cref="OnnxInt8"/>), the same weights and BATCH windows of HR x HR; per
/// engine the median seconds per forward, HR megapixels per second, and the RMSE of its output against TorchSharp
/// fp32's (K).</summary>
internal static class OnnxThroughput
{
    public static void Run(int threads, int hr, int steps, string width, int batch)
    {
        TorchSetup.Threads = threads;
        manual_seed(0);
        var options = width == "small" ? new MoCoLskOptions { Scale = 4, NumFeats = 8, NResblocks = 1, Reduction = 4 }
            : new MoCoLskOptions { Scale = 4 };
        var folder = Directory.CreateTempSubdirectory("lstpipe-onnx-bench-").FullName;
        try
        {
            var checkpoint = Path.Combine(folder, "m.safetensors");
            using (var seeded = Downscaler.Create(new ModelSpec { MoCoLsk = options }, Normalization.GrokLst(4), DataContract.GrokLst(4)))
            {
                seeded.Save(checkpoint);
                OnnxExport.Write(seeded, Path.Combine(folder, "m.onnx"));
            }

            OnnxInt8.Quantize(Path.Combine(folder, "m.onnx"), Path.Combine(folder, "m-int8.onnx"));

            var engines = new (string Name, IDownscaler Model)[]
            {
                ("torchsharp-fp32", Downscalers.Open(checkpoint, "cpu", Precision.Fp32, threads)),
                ("onnxruntime-fp32", Downscalers.Open(Path.Combine(folder, "m.onnx"), "cpu", Precision.Fp32, threads)),
                ("torchsharp-bf16", Downscalers.Open(checkpoint, "cpu", Precision.Bf16, threads)),
                ("onnxruntime-int8", Downscalers.Open(Path.Combine(folder, "m-int8.onnx"), "cpu", Precision.Fp32, threads)),
            };
            manual_seed(1);
            var lr = (randn(batch, 1, hr / 4, hr / 4) * 5.0 + 290.0).data<float>().ToArray();
            var gui = randn(batch, 10, hr, hr).data<float>().ToArray();
            var input = new TileBatch(Enumerable.Range(0, batch).ToArray(), hr / 4, hr, 10, lr, gui, []);
            var times = engines.Select(_ => new List<double>()).ToArray();
            var outputs = new float[engines.Length][];
            for (var step = 0; step <= steps; step++)
            {
                for (var e = 0; e < engines.Length; e++)
                {
                    var sw = Stopwatch.StartNew();
                    outputs[e] = engines[e].Model.Predict(input);
                    if (step > 0)
                    {
                        times[e].Add(sw.Elapsed.TotalSeconds);
                    }
                }
            }

            var parameters = ((Downscaler)engines[0].Model).Net.ParameterCount;
            for (var e = 0; e < engines.Length; e++)
            {
                var median = times[e].Order().ElementAt(times[e].Count / 2);
                var rmse = Math.Sqrt(outputs[e].Zip(outputs[0]).Average(p => Math.Pow((double)p.First - p.Second, 2)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"engine\": \"{engines[e].Name}\", \"threads\": {threads}, \"width\": \"{width}\", \"params\": {parameters}, " +
                    $"\"batch\": {batch}, \"hr\": {hr}, \"forward_s\": {median:0.0000}, \"hr_mpx_s\": {batch * hr * hr / 1e6 / median:0.0000}, " +
                    $"\"rmse_vs_fp32_k\": {rmse:0.000000}}}"));
                engines[e].Model.Dispose();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
