using System.Diagnostics;
using LstPipe.Models.Baselines;
using LstPipe.Models.MoCoLsk;
using static TorchSharp.torch;

namespace LstPipe.Models.Tests;

/// <summary>
/// The forwards pass libtorch no temporary <c>Scalar</c> that a garbage collection on another thread could free
/// mid-call (<see cref="HeldScalars"/>). Before they held theirs, two threads of small forwards beside a thread that
/// collects in a loop failed with "Expected false to be true" (c10/core/Scalar.h) 3 to 10 times in 5 s on 2 cores;
/// this test failed in 2 of 4 runs then, so it catches a temporary that comes back in about half of the runs. MoCoLSK
/// and FDSR have every kind of op the networks share (SRCNN and DJF only the z-score and its inverse, and slow
/// convolutions). Runs alone (its collections would pause the other classes).
/// </summary>
[Collection(SeededTorch.Name)]
public class HeldScalarsTests
{
    [Fact]
    public void Forwards_survive_collections_on_another_thread()
    {
        TorchSetup.EnsureLoaded();
        DownscalingNetwork[] nets =
        [
            new MoCoLskNet(new MoCoLskOptions { Scale = 4, NumFeats = 8, NResblocks = 1, NumStages = 1, Reduction = 4 }),
            new Fdsr(4, 10, 282.5, 14.7),
        ];
        using var lst = rand(1, 1, 8, 8) * 10 + 280;
        using var guidance = rand(1, 10, 32, 32);
        var errors = new List<string>();
        var stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            var workers = Enumerable.Range(0, 2).Select(_ => new Thread(() => Run(nets, lst, guidance, errors))).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
            Array.ForEach(nets, n => n.Dispose());
        }

        Assert.Empty(errors);
    }

    private static void Run(DownscalingNetwork[] nets, Tensor lst, Tensor guidance, List<string> errors)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            var net = nets[i % nets.Length];
            try
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                _ = net.call(lst, guidance);
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add($"{net.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }
        }
    }
}
