using System.Globalization;

namespace LstPipe.Torch.Optim;

/// <summary>
/// Base of the optimizers: one parameter group with a learning rate a scheduler can change, per-parameter state
/// tensors, and a state dict (tensors named <c>state.INDEX.NAME</c>, the step count as a float64 scalar) that
/// restores an interrupted run exactly.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<(int Index, string Name), Tensor> _state = [];

    /// <summary>Creates the optimizer.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double lr)
    {
        Parameters = parameters.ToArray();
        LearningRate = lr;
        InitialLearningRate = lr;
    }

    /// <summary>The optimized tensors.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The current learning rate.</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate given at construction (a scheduler's base value).</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps taken.</summary>
    public long Steps { get; protected set; }

    /// <summary>Applies one update from the parameters' gradients (parameters without a gradient are skipped).</summary>
    public void Step()
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        Steps++;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            using var grad = p.Grad;
            if (grad is not null)
            {
                Update(i, p, grad);
            }
        }
    }

    /// <summary>Removes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Updates one parameter in place (inside no-grad and a dispose scope).</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor grad);

    /// <summary>A state tensor of a parameter, created as zeros like the parameter on first use.</summary>
    protected Tensor State(int index, string name, Tensor like, bool zeros = true)
    {
        if (!_state.TryGetValue((index, name), out var t))
        {
            t = (zeros ? Torch.Zeros(like.Shape, like.Dtype, device: like.Device) : like.Clone()).DetachFromDisposeScope();
            _state[(index, name)] = t;
        }

        return t;
    }

    /// <summary>Whether a state tensor exists.</summary>
    protected bool HasState(int index, string name) => _state.ContainsKey((index, name));

    /// <summary>State tensors (copies) and the step count.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["steps"] = Torch.FromArray(new[] { (double)Steps }).DetachFromDisposeScope(),
            ["lr"] = Torch.FromArray(new[] { LearningRate }).DetachFromDisposeScope(),
        };
        foreach (var ((i, name), t) in _state)
        {
            d[string.Create(CultureInfo.InvariantCulture, $"state.{i}.{name}")] = t.Clone().DetachFromDisposeScope();
        }

        return d;
    }

    /// <summary>Restores a state saved by <see cref="StateDict"/>, each tensor on its parameter's device.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var t in _state.Values)
        {
            t.Dispose();
        }

        _state.Clear();
        Steps = (long)state["steps"].Item();
        LearningRate = state["lr"].Item();
        foreach (var (key, t) in state)
        {
            var parts = key.Split('.');
            if (parts.Length == 3 && parts[0] == "state")
            {
                var index = int.Parse(parts[1], CultureInfo.InvariantCulture);
                using var onDevice = t.To(t.Dtype, Parameters[index].Device);
                _state[(index, parts[2])] = onDevice.Clone().DetachFromDisposeScope();
            }
        }
    }

    /// <summary>Frees the state tensors.</summary>
    public void Dispose()
    {
        foreach (var t in _state.Values)
        {
            t.Dispose();
        }

        _state.Clear();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Adam (Kingma and Ba) with L2 weight decay added to the gradient, as <c>torch.optim.Adam</c> 1.13.</summary>
public class Adam : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, lr)
    {
        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
    }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator epsilon.</summary>
    public double Eps { get; }

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the decay is decoupled (AdamW) rather than added to the gradient.</summary>
    protected virtual bool Decoupled => false;

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad)
    {
        var expAvg = State(index, "exp_avg", parameter);
        var expAvgSq = State(index, "exp_avg_sq", parameter);
        if (Decoupled)
        {
            parameter.MulInPlace(1 - LearningRate * WeightDecay);
        }
        else if (WeightDecay != 0)
        {
            grad = grad + parameter * WeightDecay;
        }

        expAvg.MulInPlace(Beta1);
        expAvg.AddInPlace(grad, 1 - Beta1);
        expAvgSq.MulInPlace(Beta2);
        expAvgSq.AddcmulInPlace(grad, grad, 1 - Beta2);
        var biasCorrection1 = 1 - Math.Pow(Beta1, Steps);
        var biasCorrection2 = 1 - Math.Pow(Beta2, Steps);
        var stepSize = LearningRate / biasCorrection1;
        var denom = expAvgSq.Sqrt() / Math.Sqrt(biasCorrection2);
        denom.AddInPlace(Eps);
        parameter.AddcdivInPlace(expAvg, denom, -stepSize);
    }
}

/// <summary>AdamW (Loshchilov and Hutter): decoupled weight decay, as <c>torch.optim.AdamW</c> 1.13 (default decay 1e-2).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, lr, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override bool Decoupled => true;
}

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov and weight decay, as <c>torch.optim.SGD</c>.</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        (Momentum, Dampening, WeightDecay, Nesterov) = (momentum, dampening, weightDecay, nesterov);
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Dampening of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad)
    {
        var d = WeightDecay != 0 ? grad + parameter * WeightDecay : grad;
        if (Momentum != 0)
        {
            Tensor buffer;
            if (!HasState(index, "momentum_buffer"))
            {
                buffer = State(index, "momentum_buffer", d, zeros: false);
            }
            else
            {
                buffer = State(index, "momentum_buffer", d);
                buffer.MulInPlace(Momentum);
                buffer.AddInPlace(d, 1 - Dampening);
            }

            d = Nesterov ? d + buffer * Momentum : buffer;
        }

        parameter.AddInPlace(d, -LearningRate);
    }
}
