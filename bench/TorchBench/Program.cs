using System.Diagnostics;
using System.Globalization;
using LstPipe.Models;
using static TorchSharp.torch;

// usage: TorchBench THREADS                 -> one JSON line: conv forward+backward ms (median of 10), tiny-op us per call
//        TorchBench train THREADS HR STEPS [cpu|cuda] [BATCH] -> one JSON line: median MoCoLSK x4 training step
//        TorchBench predict THREADS HR STEPS WIDTH PRECISION BATCH -> one JSON line: MoCoLSK x4 windows per second
//        TorchBench onnx THREADS HR STEPS WIDTH BATCH -> JSON lines: MoCoLSK x4 through TorchSharp fp32/bf16 and ONNX Runtime
//        TorchBench cuda-check [PARQUET_DATASET]     -> JSON lines: CPU-vs-CUDA parity per model, a short GPU training run
if (args.Length > 0 && args[0] == "train")
{
    TrainStep.Run(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
        TorchSetup.ParseDevice(args.Length > 4 ? args[4] : "cpu"), args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1);
    return 0;
}

if (args.Length > 0 && args[0] == "predict")
{
    PredictThroughput.Run(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
        int.Parse(args[3], CultureInfo.InvariantCulture), args[4], args[5], int.Parse(args[6], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length > 0 && args[0] == "onnx")
{
    OnnxThroughput.Run(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
        int.Parse(args[3], CultureInfo.InvariantCulture), args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length > 0 && args[0] == "cuda-check")
{
    return CudaCheck.Run(args.Length > 1 ? args[1] : null);
}

var threads = int.Parse(args.Length > 0 ? args[0] : "1", CultureInfo.InvariantCulture);
TorchSetup.Threads = threads;
manual_seed(0);
using var x = randn(4, 64, 128, 128);
using var w = randn([64, 64, 3, 3], requires_grad: true);
using var b = randn([64], requires_grad: true);

double ConvStep()
{
    var sw = Stopwatch.StartNew();
    using var scope = NewDisposeScope();
    var y = nn.functional.conv2d(x, w, b, padding: [1, 1]);
    y.mean().backward();
    w.grad!.zero_();
    b.grad!.zero_();
    return sw.Elapsed.TotalMilliseconds;
}

for (var i = 0; i < 3; i++)
{
    ConvStep();
}

var conv = Enumerable.Range(0, 10).Select(_ => ConvStep()).Order().ToArray();

using var a = randn(1);
double TinyBlock(int n)
{
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        using var c = a + a;
    }

    return sw.Elapsed.TotalMilliseconds * 1000 / n;
}

TinyBlock(2000);
var tiny = Enumerable.Range(0, 7).Select(_ => TinyBlock(10_000)).Order().ToArray();
Console.WriteLine(FormattableString.Invariant($"{{\"tool\": \"lstpipe\", \"threads\": {threads}, \"conv_ms\": {conv[conv.Length / 2]:0.00}, \"tiny_us\": {tiny[tiny.Length / 2]:0.00}}}"));
return 0;
