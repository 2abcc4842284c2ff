using LstPipe.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LstPipe.Training.Optim;

/// <summary>
/// TorchSharp's AdamW (decoupled weight decay, no amsgrad), its step computed as TorchSharp 0.107 computes it, with
/// every <see cref="Scalar"/> it hands to libtorch held alive across the native call: TorchSharp's own step makes a
/// temporary scalar per operation, which a garbage collection on another thread (the tile loader) can free while the
/// kernel reads it (<see cref="HeldScalars"/>). State, parameter groups, learning-rate schedules and saved optimizer
/// states are TorchSharp's.
/// </summary>
public sealed class HeldAdamW : AdamW
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public HeldAdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr: lr, weight_decay: weightDecay)
    {
    }

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        if (o.amsgrad == true || o.maximize == true)
        {
            throw new NotSupportedException("HeldAdamW takes neither amsgrad nor maximize");
        }

        var (beta1, beta2, lr) = (o.beta1!.Value, o.beta2!.Value, o.LearningRate!.Value);
        using var decay = (1 - lr * o.weight_decay!.Value).ToScalar();
        using var b1 = beta1.ToScalar();
        using var b2 = beta2.ToScalar();
        using var a1 = (1 - beta1).ToScalar();
        using var a2 = (1 - beta2).ToScalar();
        using var eps = o.eps!.Value.ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            if (param.grad is not { } grad)
            {
                continue;
            }

            state.step += 1;
            param.mul_(decay);
            using var root = Math.Sqrt(1 - Math.Pow(beta2, state.step)).ToScalar();
            using var stepSize = (-(lr / (1 - Math.Pow(beta1, state.step)))).ToScalar();
            state.exp_avg.mul_(b1).add_(grad, alpha: a1);
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, value: a2);
            var denom = (state.exp_avg_sq.sqrt() / root).add_(eps);
            param.addcdiv_(state.exp_avg, denom, value: stepSize);
        }
    }, closure);
}
