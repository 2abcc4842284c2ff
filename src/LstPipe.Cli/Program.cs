using LstPipe.Cli;
using LstPipe.Core.Threading;

using var signals = Signals.Install();
return signals.ExitCode(CliApp.Run(args, cancellationToken: Interruption.Token));
