using LstPipe.Models.MoCoLsk;
using TorchSharp;
using static TorchSharp.torch;

namespace LstPipe.Models.Tests;

[Collection(SeededTorch.Name)]
public class TorchSetupTests
{
    [Fact]
    public void Torchsharp_runs_libtorch_2_10_here()
    {
        TorchSetup.EnsureLoaded();
        Assert.StartsWith("2.10", TorchSetup.Version, StringComparison.Ordinal);
        using var x = ones(2, 3);
        Assert.Equal(6f, x.sum().item<float>());
    }

    [Fact]
    public void Devices_parse_and_cuda_without_a_cuda_build_is_a_usage_error_saying_how_to_get_one()
    {
        Assert.Equal(DeviceType.CPU, TorchSetup.ParseDevice("cpu").type);
        Assert.Contains("use cpu or cuda", Assert.Throws<Core.Errors.UsageException>(() => TorchSetup.ParseDevice("gpu")).Message);
        if (TorchSetup.CudaIsAvailable)
        {
            Assert.Equal(DeviceType.CUDA, TorchSetup.ParseDevice("cuda").type);
        }
        else
        {
            Assert.Contains("-p:LstPipeTorch=cuda", Assert.Throws<Core.Errors.UsageException>(() => TorchSetup.ParseDevice("cuda")).Message);
        }
    }

    [Fact]
    public void The_same_seed_builds_the_same_weights()
    {
        static float[] Weights()
        {
            manual_seed(42);
            using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 2, NumFeats = 8, NResblocks = 1, Reduction = 4 });
            return net.parameters().SelectMany(p => p.detach().cpu().contiguous().data<float>().ToArray()).ToArray();
        }

        Assert.Equal(Weights(), Weights());
    }

    [Fact]
    public void A_thousand_training_iterations_keep_native_memory_flat()
    {
        manual_seed(0);
        using var net = new MoCoLskNet(new MoCoLskOptions { Scale = 2, NumFeats = 8, NResblocks = 1, Reduction = 4, NumStages = 1 });
        using var optimizer = optim.AdamW(net.parameters(), lr: 1e-3);
        using var lr = randn(1, 1, 4, 4) * 3 + 290;
        using var gui = randn(1, 10, 8, 8);
        using var hr = randn(1, 1, 8, 8) * 3 + 290;
        void Iterate(int n)
        {
            for (var i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                var loss = nn.functional.l1_loss(net.call(lr, gui), hr);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }

        Iterate(100);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        Iterate(1000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var growth = process.WorkingSet64 - before;
        Assert.True(growth < 20L << 20, $"RSS grew by {growth >> 20} MB over 1000 iterations");
    }
}
