using System.Diagnostics;
using System.Globalization;
using LstPipe.Torch;
using static LstPipe.Torch.NN.Functional;

// usage: TorchBench THREADS                 -> one JSON line: conv forward+backward ms (median of 10), tiny-op us per call
//        TorchBench train THREADS HR STEPS [cpu|cuda] -> one JSON line: median MoCoLSK x4 training step (default width, batch 1)
//        TorchBench cuda-check [PARQUET_DATASET]     -> JSON lines: CPU-vs-CUDA parity per model, a short GPU training run
if (args.Length > 0 && args[0] == "train")
{
    TrainStep.Run(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
        Torch.ParseDevice(args.Length > 4 ? args[4] : "cpu"));
    return 0;
}

if (args.Length > 0 && args[0] == "cuda-check")
{
    return CudaCheck.Run(args.Length > 1 ? args[1] : null);
}

var threads = int.Parse(args.Length > 0 ? args[0] : "1", CultureInfo.InvariantCulture);
Torch.NumThreads = threads;
Torch.ManualSeed(0);
using var x = Torch.Randn([4, 64, 128, 128]).DetachFromDisposeScope();
using var w = Torch.Randn([64, 64, 3, 3], requiresGrad: true).DetachFromDisposeScope();
using var b = Torch.Randn([64], requiresGrad: true).DetachFromDisposeScope();

double ConvStep()
{
    var sw = Stopwatch.StartNew();
    using var scope = Torch.NewDisposeScope();
    var y = Conv2d(x, w, b, padding: 1);
    y.Mean().Backward();
    w.ZeroGrad();
    b.ZeroGrad();
    return sw.Elapsed.TotalMilliseconds;
}

for (var i = 0; i < 3; i++)
{
    ConvStep();
}

var conv = Enumerable.Range(0, 10).Select(_ => ConvStep()).Order().ToArray();

using var a = Torch.Randn([1]).DetachFromDisposeScope();
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
