using System.Runtime.ExceptionServices;
using LstPipe.Core.Errors;

namespace LstPipe.Core.Threading;

/// <summary><see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> that rethrows the failure itself
/// instead of an <see cref="AggregateException"/>, so one-line <see cref="LstPipeException"/> messages reach the user.</summary>
public static class Parallelism
{
    /// <summary>Runs <paramref name="body"/> for each index in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static void For(int from, int to, int maxDegree, CancellationToken cancellationToken, Action<int> body)
    {
        try
        {
            Parallel.For(from, to, new ParallelOptions { MaxDegreeOfParallelism = maxDegree, CancellationToken = cancellationToken }, body);
        }
        catch (AggregateException e)
        {
            var inner = e.Flatten().InnerExceptions;
            var chosen = inner.FirstOrDefault(x => x is LstPipeException)
                ?? inner.FirstOrDefault(x => x is OperationCanceledException)
                ?? inner[0];
            ExceptionDispatchInfo.Capture(chosen).Throw();
        }
    }
}
