using System.Globalization;
using Polly;
using Polly.Retry;

namespace LstPipe.Core.Resilience;

/// <summary>How often and how patiently to retry an operation that fails transiently.</summary>
/// <param name="Attempts">Retries after the first try (0: none).</param>
/// <param name="Delay">The first delay; each further one doubles it.</param>
public sealed record RetryPolicy(int Attempts, TimeSpan Delay)
{
    /// <summary>The default for cluster tools and network reads: 5 retries from 2 s (2, 4, 8, 16, 32 s).</summary>
    public static RetryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(2));

    /// <summary>No retry.</summary>
    public static RetryPolicy None { get; } = new(0, TimeSpan.Zero);
}

/// <summary>
/// Polly resilience pipelines for where lstpipe meets systems that fail transiently (the Slurm client tools, network
/// storage and GDAL's <c>/vsicurl/</c> and <c>/vsis3/</c>): bounded retries with exponential back-off, one log line per
/// retry, and only for results or exceptions that the caller classifies as transient; a data error goes through at
/// once.
/// </summary>
public static class Retries
{
    /// <summary>A pipeline that retries results for which <paramref name="transient"/> gives a reason.</summary>
    /// <param name="what">Names the operation in the log line (<c>sbatch</c>, a file).</param>
    /// <param name="transient">The reason a result is worth another try, or null when it is final.</param>
    /// <param name="policy">Attempts and delays.</param>
    /// <param name="log">Receives one line per retry.</param>
    public static ResiliencePipeline<T> ForResults<T>(string what, Func<T, string?> transient, RetryPolicy policy, Action<string>? log) =>
        ForOutcomes<T>(what, (r, _) => r is { } result ? transient(result) : null, policy, log);

    /// <summary>A pipeline that retries results and exceptions for which <paramref name="transient"/> gives a reason
    /// (a network call: an HTTP 429 or 5xx response, or a time-out), waiting what <paramref name="delay"/> asks where it
    /// asks something (a server's <c>Retry-After</c>) and the policy's back-off otherwise.</summary>
    public static ResiliencePipeline<T> ForOutcomes<T>(string what, Func<T?, Exception?, string?> transient, RetryPolicy policy,
        Action<string>? log, Func<T, TimeSpan?>? delay = null)
    {
        if (policy.Attempts <= 0)
        {
            return ResiliencePipeline<T>.Empty;
        }

        var options = Configure<RetryStrategyOptions<T>, T>(new RetryStrategyOptions<T>(),
            o => transient(o.Result, o.Exception), what, policy, log);
        if (delay is not null)
        {
            options.DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? delay(r) : null);
        }

        return new ResiliencePipelineBuilder<T>().AddRetry(options).Build();
    }

    /// <summary>A pipeline that retries exceptions for which <paramref name="transient"/> gives a reason.</summary>
    public static ResiliencePipeline ForExceptions(string what, Func<Exception, string?> transient, RetryPolicy policy,
        Action<string>? log) =>
        policy.Attempts <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(Configure<RetryStrategyOptions, object>(new RetryStrategyOptions(),
                o => o.Exception is { } e ? transient(e) : null, what, policy, log)).Build();

    private static TOptions Configure<TOptions, T>(TOptions options, Func<Outcome<T>, string?> reason, string what,
        RetryPolicy policy, Action<string>? log)
        where TOptions : RetryStrategyOptions<T>
    {
        options.ShouldHandle = args => ValueTask.FromResult(reason(args.Outcome) is not null);
        options.MaxRetryAttempts = policy.Attempts;
        options.Delay = policy.Delay;
        options.BackoffType = DelayBackoffType.Exponential;
        options.UseJitter = false;
        options.OnRetry = args =>
        {
            log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"{what}: transient failure ({reason(args.Outcome)}); retry {args.AttemptNumber + 1} of {policy.Attempts} in " +
                    $"{args.RetryDelay.TotalSeconds:0.##} s"));
            return default;
        };
        return options;
    }
}
