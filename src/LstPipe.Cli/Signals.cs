using System.Globalization;
using System.Runtime.InteropServices;
using LstPipe.Core.Threading;

namespace LstPipe.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for the <c>lstpipe</c> process: the first cancels the running command
/// (<see cref="Interruption"/>), which unwinds, removes what it staged and its lock, and exits 130 (SIGINT) or 143
/// (SIGTERM). A command still running <see cref="Grace"/> after the signal, or a second signal, ends the process at
/// once, after removing what it staged and its lock (<see cref="Interruption.Abandon"/>).
/// </summary>
internal sealed class Signals : IDisposable
{
    /// <summary>How long a command has to unwind after the first signal.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1.5);

    private readonly PosixSignalRegistration[] _registrations;
    private readonly ManualResetEventSlim _finished = new();

    private Signals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Starts handling the signals, for the life of the process.</summary>
    public static Signals Install() => new();

    /// <summary>The exit status for what the command returned: 128 + the signal's number once one was received.</summary>
    public int ExitCode(int returned)
    {
        _finished.Set();
        return Interruption.Signal != 0 && returned == CliApp.Interrupted ? Interruption.ExitCode : returned;
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = (context.Signal == PosixSignal.SIGTERM ? CliApp.Terminated : CliApp.Interrupted) - 128;
        if (!Interruption.Request(number))
        {
            Interruption.Abandon(Interruption.ExitCode, "lstpipe: interrupted twice; stopped at once; no partial output was kept");
        }

        new Thread(() =>
        {
            if (!_finished.Wait(Grace))
            {
                Interruption.Abandon(Interruption.ExitCode, string.Create(CultureInfo.InvariantCulture, $"lstpipe: interrupted; " +
                    $"stopped at once, as the command had not ended {Grace.TotalSeconds} s later; no partial output was kept"));
            }
        })
        { IsBackground = true, Name = "lstpipe interrupt grace" }.Start();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var r in _registrations)
        {
            r.Dispose();
        }
    }
}
