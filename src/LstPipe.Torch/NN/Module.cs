namespace LstPipe.Torch.NN;

/// <summary>
/// A network building block with named parameters, buffers and children, as <c>torch.nn.Module</c>: names are
/// dotted paths (<c>body.0.weight</c>) so state dicts match PyTorch's. Parameters and buffers belong to the module
/// (no dispose scope frees them) and are released by <see cref="Dispose"/>.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor? Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor? Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];

    /// <summary>Whether the module is in training mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers a parameter (a leaf that requires grad) under a name; null registers an absent one.</summary>
    protected Tensor? RegisterParameter(string name, Tensor? value)
    {
        if (value is not null)
        {
            value.DetachFromDisposeScope();
            value.RequiresGrad = true;
        }

        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a buffer (state that is saved but not trained).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        value.DetachFromDisposeScope();
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>Direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>All parameters with dotted names, depth first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters)
        {
            if (p is not null)
            {
                yield return (prefix + name, p);
            }
        }

        foreach (var (name, child) in _children)
        {
            foreach (var item in child.NamedParameters(prefix + name + "."))
            {
                yield return item;
            }
        }
    }

    /// <summary>All buffers with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers)
        {
            if (b is not null)
            {
                yield return (prefix + name, b);
            }
        }

        foreach (var (name, child) in _children)
        {
            foreach (var item in child.NamedBuffers(prefix + name + "."))
            {
                yield return item;
            }
        }
    }

    /// <summary>All parameters.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Number of parameter elements.</summary>
    public long ParameterCount => Parameters().Sum(p => p.NumEl);

    /// <summary>Parameters then buffers by dotted name (the tensors themselves, not copies).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (n, p) in NamedParameters())
        {
            d[n] = p;
        }

        foreach (var (n, b) in NamedBuffers())
        {
            d[n] = b;
        }

        return d;
    }

    /// <summary>Copies values into the parameters and buffers by name.</summary>
    /// <param name="state">Tensors by dotted name.</param>
    /// <param name="strict">Require exactly the module's names.</param>
    /// <returns>Names the module has that the state lacks, and names the state has that the module lacks.</returns>
    /// <exception cref="ArgumentException">Strict loading found missing or unexpected names, or a shape differs.</exception>
    public (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
        {
            throw new ArgumentException($"state dict does not match the module: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        }

        foreach (var (name, target) in own)
        {
            if (state.TryGetValue(name, out var source))
            {
                if (!source.Shape.SequenceEqual(target.Shape))
                {
                    throw new ArgumentException($"{name}: shape [{string.Join(", ", source.Shape)}] does not match the module's [{string.Join(", ", target.Shape)}]");
                }

                using var converted = source.To(target.Dtype, target.Device);
                target.CopyInPlace(converted);
            }
        }

        return (missing, unexpected);
    }

    /// <summary>The device of the parameters (the CPU for a module without any).</summary>
    public DeviceType Device => Parameters().FirstOrDefault()?.Device ?? DeviceType.Cpu;

    /// <summary>Moves every parameter and buffer, the children's too, to a device in place (the tensors keep their
    /// identity, so optimizers built on them stay valid), as <c>torch.nn.Module.to</c>; gradients are dropped.</summary>
    public Module To(DeviceType device)
    {
        foreach (var t in NamedParameters().Select(p => p.Parameter).Concat(NamedBuffers().Select(b => b.Buffer)))
        {
            t.ZeroGrad();
            if (t.Device != device)
            {
                using var moved = t.To(device);
                t.SetData(moved);
            }
        }

        return this;
    }

    /// <summary>Training mode on this module and its children.</summary>
    public Module Train(bool on = true)
    {
        IsTraining = on;
        foreach (var (_, c) in _children)
        {
            c.Train(on);
        }

        return this;
    }

    /// <summary>Evaluation mode.</summary>
    public Module Eval() => Train(false);

    /// <summary>Removes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Frees parameters and buffers, and the children's.</summary>
    public void Dispose()
    {
        foreach (var (_, p) in _parameters)
        {
            p?.Dispose();
        }

        foreach (var (_, b) in _buffers)
        {
            b?.Dispose();
        }

        foreach (var (_, c) in _children)
        {
            c.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>A module with one tensor in and one out.</summary>
public abstract class Layer : Module
{
    /// <summary>Computes the output.</summary>
    public abstract Tensor Forward(Tensor input);
}
