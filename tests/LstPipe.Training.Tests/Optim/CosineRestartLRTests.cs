using LstPipe.Training.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Training.Tests.Optim;

public class CosineRestartLRTests
{
    private static optim.Optimizer Optimizer() => optim.AdamW([new Parameter(zeros(2))], lr: 1);

    [Fact]
    public void Equal_periods_and_unit_weights_follow_pytorch_warm_restarts_step_by_step()
    {
        using var opt = Optimizer();
        var s = new CosineRestartLR(opt, 1e-4, [5, 5, 5], [1, 1, 1], 1e-7);
        for (var i = 0; i < 15; i++)
        {
            var t = i % 5;
            var expected = 1e-7 + (1e-4 - 1e-7) * (1 + Math.Cos(Math.PI * t / 5)) / 2;
            Assert.Equal(expected, opt.ParamGroups.First().LearningRate, 15);
            s.step();
        }
    }

    [Fact]
    public void A_period_with_restart_weight_w_starts_at_w_times_the_base_as_mmengine()
    {
        using var opt = Optimizer();
        var s = new CosineRestartLR(opt, 1e-4, [2500, 2500, 2500, 2500], [1, 0.5, 0.5, 0.5], 1e-7);
        Assert.Equal(1e-4, s.At(0), 15);
        Assert.Equal(0.5e-4, s.At(2500), 15);
        Assert.Equal(1e-7 + (0.5e-4 - 1e-7) / 2, s.At(2500 + 1250), 15);
        Assert.Equal(1e-7, s.At(10_000), 15);
        Assert.Throws<ArgumentException>(() => new CosineRestartLR(opt, 1, [1, 2], [1], 0));
    }

    [Fact]
    public void A_schedule_made_for_a_resumed_iteration_sets_that_iterations_rate()
    {
        using var opt = Optimizer();
        var s = new CosineRestartLR(opt, 1e-3, [10], [1], 0, iteration: 7);
        Assert.Equal(s.At(7), opt.ParamGroups.First().LearningRate, 15);
        s.step();
        Assert.Equal(s.At(8), s.LearningRate, 15);
    }
}
