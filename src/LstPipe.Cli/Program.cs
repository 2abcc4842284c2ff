using LstPipe.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return CliApp.Run(args, cancellationToken: cancel.Token);
