using System.Diagnostics;
using System.Globalization;
using LstPipe.Models;
using LstPipe.Models.MoCoLsk;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>One MoCoLSK x4 training step (forward, L1, backward, AdamW) on a batch, each sample gated by its own kernel,
/// timed like bench/train/mocolsk_reference.py.</summary>
internal static class TrainStep
{
    public static void Run(int threads, int hr, int steps, Device device, int batch = 1)
    {
        TorchSetup.Threads = threads;
        manual_seed(0);
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 4 });
        net.to(device);
        using var optimizer = optim.AdamW(net.parameters(), lr: 1e-4, weight_decay: 1e-5);
        using var lr = (randn(batch, 1, hr / 4, hr / 4) * 5.0 + 290.0).to(device);
        using var gui = randn(batch, 10, hr, hr).to(device);
        using var target = (randn(batch, 1, hr, hr) * 5.0 + 290.0).to(device);
        var times = new List<double>();
        for (var i = 0; i <= steps; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                var loss = nn.functional.l1_loss(net.call(lr, gui), target);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                loss.item<float>();
            }

            times.Add(sw.Elapsed.TotalSeconds);
        }

        var sorted = times.Skip(1).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"tool\": \"lstpipe\", \"device\": \"{device.type.ToString().ToLowerInvariant()}\", \"threads\": {threads}, \"batch\": {batch}, \"step_s\": {sorted[sorted.Length / 2]:0.0000}, \"params\": {net.ParameterCount}}}"));
    }
}
