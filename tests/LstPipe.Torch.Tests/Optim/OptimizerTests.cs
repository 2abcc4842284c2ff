using LstPipe.Torch.Optim;

namespace LstPipe.Torch.Tests.Optim;

public class OptimizerTests
{
    private static void Run(string name, Func<Tensor[], Optimizer> make)
    {
        using var scope = Torch.NewDisposeScope();
        var p = Golden.Get($"{name}.p0").Clone();
        p.RequiresGrad = true;
        var target = Golden.Get($"{name}.target");
        using var optimizer = make([p]);
        for (var step = 1; step <= 3; step++)
        {
            optimizer.ZeroGrad();
            var loss = (p - target).Pow(2).Sum() + p.Sin().Sum();
            loss.Backward();
            optimizer.Step();
            Golden.AssertClose(Golden.Get($"{name}.step{step}"), p, 1e-6, 1e-7, $"{name} step {step}");
        }
    }

    [Fact]
    public void AdamW_matches_pytorch_for_three_steps() => Run("adamw", ps => new AdamW(ps, lr: 1e-2, weightDecay: 1e-2));

    [Fact]
    public void Adam_with_l2_decay_matches_pytorch() => Run("adam", ps => new Adam(ps, lr: 1e-2, weightDecay: 1e-3));

    [Fact]
    public void Sgd_with_nesterov_momentum_matches_pytorch() => Run("sgd", ps => new Sgd(ps, lr: 1e-2, momentum: 0.9, weightDecay: 1e-3, nesterov: true));

    [Fact]
    public void A_state_dict_resumes_exactly()
    {
        using var scope = Torch.NewDisposeScope();
        var target = Torch.Randn([5]);
        Tensor Loss(Tensor p) => (p - target).Pow(2).Sum();
        var a = Torch.Zeros([5], requiresGrad: true);
        using var oa = new AdamW([a], lr: 0.1);
        for (var i = 0; i < 6; i++)
        {
            oa.ZeroGrad();
            Loss(a).Backward();
            oa.Step();
        }

        var c = Torch.Zeros([5], requiresGrad: true);
        using var oc = new AdamW([c], lr: 0.1);
        for (var i = 0; i < 3; i++)
        {
            oc.ZeroGrad();
            Loss(c).Backward();
            oc.Step();
        }

        var saved = oc.StateDict();
        var d = c.Detach().Clone();
        d.RequiresGrad = true;
        using var od = new AdamW([d], lr: 0.1);
        od.LoadStateDict(saved);
        for (var i = 0; i < 3; i++)
        {
            od.ZeroGrad();
            Loss(d).Backward();
            od.Step();
        }

        Assert.Equal(6, od.Steps);
        Golden.AssertClose(a, d, 0, 0);
    }
}

public class ScheduleTests
{
    [Fact]
    public void Cosine_restarts_with_equal_periods_match_pytorch_warm_restarts()
    {
        var expected = Golden.Get("schedule.cosine_restarts").ToArray<double>();
        var s = new CosineRestartSchedule(1e-4, [5, 5, 5], [1, 1, 1], 1e-7);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], s.At(i), 12);
        }
    }

    [Fact]
    public void Restart_weights_scale_each_period_and_the_rate_ends_at_eta_min()
    {
        var s = new CosineRestartSchedule(1e-4, [2500, 2500, 2500, 2500], [1, 0.5, 0.5, 0.5], 1e-7);
        Assert.Equal(1e-4, s.At(0), 15);
        Assert.Equal(1e-7 + 0.5 * (1e-4 - 1e-7), s.At(2500), 15);
        Assert.Equal(1e-7 + 0.5 * (1e-4 - 1e-7) * 0.5, s.At(2500 + 1250), 15);
        Assert.Equal(1e-7, s.At(10_000), 15);
        Assert.Throws<ArgumentException>(() => new CosineRestartSchedule(1, [1, 2], [1], 0));
        Assert.Equal(0.01, new StepSchedule(1, 10, 0.1).At(25), 12);
    }
}
