using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using LstPipe.Core.Native;

namespace LstPipe.Core.Threading;

/// <summary>
/// The process's interrupt (Ctrl-C or SIGTERM), requested once by the CLI's signal handler. Long loops (windows, tiles,
/// batches) call <see cref="ThrowIfRequested"/> and ONNX Runtime runs watch <see cref="Token"/>, so that the command
/// unwinds and its outputs remove what they staged. Whatever leaves something on disk while it works (a staged file or
/// folder, an output's lock) registers its removal with <see cref="OnAbandon"/>, so that a process ended before it
/// could unwind (<see cref="Abandon"/>) removes it all the same.
/// </summary>
public static class Interruption
{
    private static readonly CancellationTokenSource Source = new();
    private static readonly ConcurrentDictionary<long, Action> Removals = new();
    private static long _next;
    private static int _signal;

    /// <summary>Cancelled when an interrupt is requested.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>The signal number requested (2 SIGINT, 15 SIGTERM); 0 while none is.</summary>
    public static int Signal => Volatile.Read(ref _signal);

    /// <summary>The exit status of a process ended by <see cref="Signal"/>: 128 + its number (130 for Ctrl-C, 143 for
    /// SIGTERM).</summary>
    public static int ExitCode => 128 + Signal;

    /// <summary>Requests the interrupt: cancels <see cref="Token"/> (a registration that fails does not stop the
    /// others, nor the request).</summary>
    /// <param name="signal">The signal number that asked for it.</param>
    /// <returns>Whether this was the first request (a second one means: stop now).</returns>
    public static bool Request(int signal)
    {
        if (Interlocked.CompareExchange(ref _signal, signal, 0) != 0)
        {
            return false;
        }

        try
        {
            Source.Cancel();
        }
        catch (AggregateException)
        {
        }

        return true;
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> once an interrupt is requested.</summary>
    public static void ThrowIfRequested() => Source.Token.ThrowIfCancellationRequested();

    /// <summary>Registers what <see cref="Abandon"/> must remove; disposing the registration (when the work is committed
    /// or cleaned up the ordinary way) withdraws it.</summary>
    public static IDisposable OnAbandon(Action remove)
    {
        var id = Interlocked.Increment(ref _next);
        Removals[id] = remove;
        return new Registration(id);
    }

    /// <summary>Runs every registered removal (each once; one that fails does not stop the others), writes
    /// <paramref name="message"/> to standard error and ends the process with <paramref name="exitCode"/> at once,
    /// whatever its other threads are doing.</summary>
    [DoesNotReturn]
    public static void Abandon(int exitCode, string message)
    {
        RemoveAll();
        try
        {
            Console.Error.WriteLine(message);
            Console.Error.Flush();
        }
        catch (IOException)
        {
        }

        NativeMethods.Exit(exitCode);
        throw new UnreachableException();
    }

    /// <summary>Runs and withdraws every registered removal.</summary>
    internal static void RemoveAll()
    {
        foreach (var id in Removals.Keys.Order())
        {
            if (Removals.TryRemove(id, out var remove))
            {
                try
                {
                    remove();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                }
            }
        }
    }

    private sealed class Registration(long id) : IDisposable
    {
        public void Dispose() => Removals.TryRemove(id, out _);
    }
}
