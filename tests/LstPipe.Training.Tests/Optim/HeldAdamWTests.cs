using LstPipe.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Training.Tests.Optim;

[Collection(SeededTorch.Name)]
public class HeldAdamWTests
{
    private static (nn.Module<Tensor, Tensor> Net, Parameter[] Parameters) Net()
    {
        random.manual_seed(7);
        var net = nn.Sequential(nn.Conv2d(2, 4, 3, padding: 1), nn.LeakyReLU(0.2), nn.Conv2d(4, 1, 3, padding: 1));
        return (net, [.. net.parameters()]);
    }

    [Fact]
    public void Steps_equal_torchsharps_adamw_bit_for_bit_through_a_schedule_and_a_saved_state()
    {
        var (ours, oursParams) = Net();
        var (theirs, theirsParams) = Net();
        using var a = new HeldAdamW(oursParams, 1e-2, 1e-4);
        using var b = optim.AdamW(theirsParams, lr: 1e-2, weight_decay: 1e-4);
        var sa = new CosineRestartLR(a, 1e-2, [3, 3], [1, 0.5], 1e-5);
        var sb = new CosineRestartLR(b, 1e-2, [3, 3], [1, 0.5], 1e-5);
        random.manual_seed(11);
        for (var i = 0; i < 6; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(2, 2, 8, 8);
            var target = randn(2, 1, 8, 8);
            foreach (var (net, opt) in new[] { (ours, (optim.Optimizer)a), (theirs, b) })
            {
                opt.zero_grad();
                nn.functional.l1_loss(net.call(x), target).backward();
                opt.step();
            }

            sa.step();
            sb.step();
        }

        foreach (var (p, q) in oursParams.Zip(theirsParams))
        {
            Assert.True(p.eq(q).all().item<bool>(), "a parameter differs from TorchSharp's AdamW after six steps");
        }

        using var saved = new MemoryStream();
        using (var w = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            a.save_state_dict(w);
        }

        saved.Position = 0;
        var (_, restoredParams) = Net();
        using var restored = new HeldAdamW(restoredParams, 1e-2, 1e-4);
        using var r = new BinaryReader(saved);
        restored.load_state_dict(r);
        Assert.Equal(6, ((AdamW.State)restored.state_dict().State[0]).step);
    }
}
