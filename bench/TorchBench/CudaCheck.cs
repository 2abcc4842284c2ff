using System.Diagnostics;
using System.Globalization;
using LstPipe.Inference;
using LstPipe.Models;
using LstPipe.Models.MoCoLsk;
using LstPipe.Training;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Checks the CUDA path where a CUDA libtorch is linked: each model's forward, L1 loss and gradients on the GPU against
/// the same network on the CPU (gradients within 1e-2 relative: cuDNN convolutions use TF32 by default; the AdamW
/// step's difference is reported, not judged, since Adam's first step amplifies the sign of near-zero gradients), then
/// (given a Parquet dataset) a short training run with <c>Device = cuda</c> beside the same run on the CPU, whose
/// checkpoint is re-loaded on the CPU. Prints JSON lines; exits non-zero past tolerance.
/// </summary>
internal static class CudaCheck
{
    public static int Run(string? dataset)
    {
        if (!TorchSetup.CudaIsAvailable)
        {
            Console.Error.WriteLine($"libtorch {TorchSetup.Version} has no CUDA or sees no GPU (build with -p:LstPipeTorch=cuda)");
            return 2;
        }

        var ok = true;
        foreach (var name in new[] { "mocolsk", "fdsr", "djf" })
        {
            ok &= Parity(name);
        }

        if (dataset is not null)
        {
            ok &= TrainOnGpu(dataset);
        }

        return ok ? 0 : 1;
    }

    private static bool Parity(string name)
    {
        manual_seed(3);
        var spec = new ModelSpec { Name = name, MoCoLsk = new MoCoLskOptions { Scale = 4, NumFeats = 8, NResblocks = 1, Reduction = 4, LstMean = 300, LstStd = 10 } };
        using var cpu = spec.Create();
        using var gpu = spec.Create();
        gpu.LoadStrict(cpu.state_dict(), "cpu");
        gpu.to(CUDA);
        var before = cpu.parameters().Select(Downscaler.ToArray).ToArray();
        using var lr = randn(2, 1, 16, 16) * 5.0 + 300.0;
        using var gui = randn(2, 10, 64, 64);
        using var hr = randn(2, 1, 64, 64) * 5.0 + 300.0;
        var c = Step(cpu, lr, gui, hr);
        var g = Step(gpu, lr.to(CUDA), gui.to(CUDA), hr.to(CUDA));
        var outDiff = c.Output.Zip(g.Output).Max(p => Math.Abs((double)p.First - p.Second));
        var lossRel = Math.Abs(c.Loss - g.Loss) / Math.Abs(c.Loss);
        var gradRel = RelativeL2(c.Grads.SelectMany(x => x), g.Grads.SelectMany(x => x));
        var after = (Cpu: cpu.parameters().Select(Downscaler.ToArray).ToArray(), Gpu: gpu.parameters().Select(Downscaler.ToArray).ToArray());
        var stepRel = RelativeL2(Delta(before, after.Cpu), Delta(before, after.Gpu));
        var onGpu = gpu.parameters().All(p => p.device_type == DeviceType.CUDA);
        var ok = onGpu && outDiff < 0.01 && lossRel < 1e-4 && gradRel < 1e-2;
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"check\": \"parity\", \"model\": \"{name}\", \"params_on_gpu\": {onGpu.ToString().ToLowerInvariant()}, \"output_max_abs_K\": {outDiff:0.000000}, \"loss_rel\": {lossRel:0.0e0}, \"grad_rel_l2\": {gradRel:0.0e0}, \"adamw_step_rel_l2\": {stepRel:0.0e0}, \"ok\": {ok.ToString().ToLowerInvariant()}}}"));
        return ok;
    }

    private static (float[] Output, double Loss, float[][] Grads) Step(DownscalingNetwork net, Tensor lr, Tensor gui, Tensor hr)
    {
        using var optimizer = optim.AdamW(net.parameters(), lr: 1e-3, weight_decay: 1e-5);
        using var scope = NewDisposeScope();
        var y = net.call(lr, gui);
        var loss = nn.functional.l1_loss(y, hr);
        loss.backward();
        var grads = net.parameters().Select(p => p.grad is { } gr ? Downscaler.ToArray(gr) : new float[p.numel()]).ToArray();
        optimizer.step();
        return (Downscaler.ToArray(y), loss.item<float>(), grads);
    }

    private static IEnumerable<float> Delta(float[][] before, float[][] after) =>
        before.Zip(after).SelectMany(p => p.First.Zip(p.Second, (b, a) => a - b));

    private static double RelativeL2(IEnumerable<float> reference, IEnumerable<float> other)
    {
        var (num, den) = (0.0, 0.0);
        foreach (var (r, o) in reference.Zip(other))
        {
            num += ((double)r - o) * ((double)r - o);
            den += (double)r * r;
        }

        return Math.Sqrt(num / Math.Max(den, 1e-300));
    }

    private static bool TrainOnGpu(string dataset)
    {
        var results = new List<(string Device, double Rmse, double Seconds)>();
        foreach (var device in new[] { "cuda", "cpu" })
        {
            var run = Path.Combine(Path.GetTempPath(), "lstpipe-cuda-check-" + device);
            var sw = Stopwatch.StartNew();
            var r = Trainer.Run(new TrainOptions
            {
                Dataset = dataset,
                Output = run,
                Format = "parquet",
                Model = "mocolsk",
                Scale = 4,
                NumFeats = 8,
                NResblocks = 1,
                Reduction = 4,
                Iterations = 200,
                Periods = [200],
                LearningRate = 1e-3,
                ValidateEvery = 100,
                Device = device,
                Force = true,
            });
            results.Add((device, r.BestRmse, sw.Elapsed.TotalSeconds));
            using var back = Downscaler.Load(Path.Combine(run, "best.safetensors"));
            if (back.Net.parameters().Any(p => p.device_type != DeviceType.CPU))
            {
                return false;
            }
        }

        var (gpu, cpu) = (results[0], results[1]);
        var ok = Math.Abs(gpu.Rmse - cpu.Rmse) < 0.1 * cpu.Rmse;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"check\": \"train\", \"cuda_best_rmse\": {gpu.Rmse:0.0000}, \"cpu_best_rmse\": {cpu.Rmse:0.0000}, \"cuda_s\": {gpu.Seconds:0.0}, \"cpu_s\": {cpu.Seconds:0.0}, \"ok\": {ok.ToString().ToLowerInvariant()}}}"));
        return ok;
    }
}
