namespace LstPipe.Ingest.Stac;

/// <summary>The time limits of one call to an API: the whole call (every page and retry) and each request in it,
/// its answer read whole.</summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _overall;
    private readonly TimeSpan _request;

    /// <summary>Starts the clock.</summary>
    /// <param name="total">How long the whole call may take.</param>
    /// <param name="request">How long one request may take.</param>
    /// <param name="option">The option that sets <paramref name="total"/>, for messages; null when none does.</param>
    public Deadline(TimeSpan total, TimeSpan request, string? option)
    {
        Total = total;
        Option = option;
        _request = request;
        _overall = new CancellationTokenSource(total);
    }

    /// <summary>How long the whole call may take.</summary>
    public TimeSpan Total { get; }

    /// <summary>The option that sets <see cref="Total"/>, or null.</summary>
    public string? Option { get; }

    /// <summary>Cancelled when the whole call is out of time.</summary>
    public CancellationToken Token => _overall.Token;

    /// <summary>Whether the whole call is out of time.</summary>
    public bool Expired => _overall.IsCancellationRequested;

    /// <summary>A source cancelled when one request is out of time, or the whole call is.</summary>
    public CancellationTokenSource ForRequest()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(_overall.Token);
        source.CancelAfter(_request);
        return source;
    }

    /// <inheritdoc/>
    public void Dispose() => _overall.Dispose();
}
