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
    public void Float32_convolutions_of_every_channel_count_agree_with_float64_on_this_cpu()
    {
        TorchSetup.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        foreach (var channels in new[] { 8, 10, 16, 24, 40 })
        {
            var x = randn(2, channels, 48, 48);
            var w = randn(channels, channels, 3, 3) * 0.1;
            for (var k = 0; k < 5; k++)
            {
                var single = nn.functional.conv2d(x, w, padding: [1, 1]);
                var exact = nn.functional.conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), padding: [1, 1]);
                var diff = (single.to(ScalarType.Float64) - exact).abs().max().item<double>();
                Assert.True(diff < 1e-4, $"{channels} channels: float32 off float64 by {diff} (oneDNN held to " +
                    $"{TorchSetup.OneDnnIsa(Core.Native.CpuFeatures.Current) ?? "nothing"})");
            }
        }
    }

    [Fact]
    public void Nnpack_is_off_so_no_single_threaded_convolution_asks_for_it_again()
    {
        TorchSetup.EnsureLoaded();
        Assert.False(NnpackSwitch.IsOn() ?? true, "libtorch_cpu was not found among the loaded libraries, or NNPACK is on");
    }

    [Fact]
    public void OneDnn_is_held_to_sse41_on_amd_processors_with_avx512_only()
    {
        var amd = new Core.Native.CpuFeatures("AMD EPYC 9B14", new HashSet<string> { "avx2", "avx512f", "avx512_bf16" }, "AuthenticAMD");
        Assert.Equal("SSE41", TorchSetup.OneDnnIsa(amd));
        Assert.False(amd.NativeBf16);
        Assert.Null(TorchSetup.OneDnnIsa(amd with { Flags = new HashSet<string> { "avx2" } }));
        var intel = amd with { Vendor = "GenuineIntel", Model = "Intel(R) Xeon(R) Platinum 8481C" };
        Assert.Null(TorchSetup.OneDnnIsa(intel));
        Assert.True(intel.NativeBf16);
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

    /// <summary>
    /// Native memory is the process's anonymous resident memory after a collection that gives the managed heap's free
    /// memory back (the GC keeps a budget that follows the L3 cache: 90 MB here with a 260 MB L3, which the process's
    /// working set counted). libtorch's one-time caches fill during the first thousand iterations (10 MB here); a leak
    /// keeps growing, so the second thousand is what must stay flat (0.1-1.4 MB here; 6 MB with 4 KB leaked an
    /// iteration).
    /// </summary>
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

        Iterate(200);
        var start = NativeBytes();
        Iterate(1000);
        var warmed = NativeBytes();
        Iterate(1000);
        var (first, second) = ((warmed - start) / 1e6, (NativeBytes() - warmed) / 1e6);
        Assert.True(second < 4, $"native memory grew by {first:F1} MB over 1000 iterations, then {second:F1} MB over the next 1000: a leak");
    }

    /// <summary>Anonymous resident memory (<c>RssAnon</c>) after an aggressive, compacting collection.</summary>
    private static long NativeBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) << 10;
    }
}
