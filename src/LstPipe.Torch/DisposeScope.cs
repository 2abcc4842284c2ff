namespace LstPipe.Torch;

/// <summary>
/// Frees every tensor created on this thread while the scope is the innermost one, when the scope is disposed.
/// Training loops create one per iteration so that intermediate results never wait for the garbage collector.
/// Keep a result alive past the scope with <see cref="MoveToOuter"/> or <see cref="Tensor.DetachFromDisposeScope"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? _current;

    private readonly DisposeScope? _outer;
    private readonly List<Tensor> _tensors = [];
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>The innermost scope of this thread, or null.</summary>
    public static DisposeScope? Current => _current;

    /// <summary>Tensors currently owned.</summary>
    public int Count => _tensors.Count(t => t.Scope == this && !t.IsDisposed);

    internal void Add(Tensor t)
    {
        t.Scope = this;
        _tensors.Add(t);
    }

    /// <summary>Hands a tensor to the enclosing scope (or to no scope) and returns it.</summary>
    public Tensor MoveToOuter(Tensor t)
    {
        if (t.Scope == this)
        {
            t.Scope = null;
            _outer?.Add(t);
        }

        return t;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var t in _tensors)
        {
            if (t.Scope == this)
            {
                t.Dispose();
            }
        }

        _tensors.Clear();
        if (_current == this)
        {
            _current = _outer;
        }
    }
}
