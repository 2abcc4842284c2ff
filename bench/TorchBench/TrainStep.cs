using System.Diagnostics;
using System.Globalization;
using LstPipe.Models.MoCoLsk;
using LstPipe.Torch;
using LstPipe.Torch.Optim;
using static LstPipe.Torch.NN.Functional;

/// <summary>One MoCoLSK x4 training step (forward, L1, backward, AdamW) timed like bench/train/mocolsk_reference.py.</summary>
internal static class TrainStep
{
    public static void Run(int threads, int hr, int steps, DeviceType device)
    {
        Torch.NumThreads = threads;
        Torch.ManualSeed(0);
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 4 });
        net.To(device);
        using var optimizer = new AdamW(net.Parameters(), lr: 1e-4, weightDecay: 1e-5);
        using var lr = (Torch.Randn([1, 1, hr / 4, hr / 4]) * 5.0 + 290.0).To(device).DetachFromDisposeScope();
        using var gui = Torch.Randn([1, 10, hr, hr]).To(device).DetachFromDisposeScope();
        using var target = (Torch.Randn([1, 1, hr, hr]) * 5.0 + 290.0).To(device).DetachFromDisposeScope();
        var times = new List<double>();
        for (var i = 0; i <= steps; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var scope = Torch.NewDisposeScope())
            {
                var loss = L1Loss(net.Forward(lr, gui), target);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
                loss.Item();
            }

            times.Add(sw.Elapsed.TotalSeconds);
        }

        var sorted = times.Skip(1).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"tool\": \"lstpipe\", \"device\": \"{device.ToString().ToLowerInvariant()}\", \"threads\": {threads}, \"step_s\": {sorted[sorted.Length / 2]:0.0000}, \"params\": {net.ParameterCount}}}"));
    }
}
