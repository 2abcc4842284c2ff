using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using LstPipe.Cli.Commands;
using LstPipe.Core;
using LstPipe.Core.Errors;

namespace LstPipe.Cli;

/// <summary>Builds the <c>lstpipe</c> command tree and runs it, turning every failure into one line on standard
/// error and an exit code: 0 success, 1 data error, 2 usage error, 130 interrupted, 143 stopped by SIGTERM.</summary>
public static class CliApp
{
    /// <summary>Exit code of an interrupted run.</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code of a run stopped by SIGTERM (<see cref="Signals"/>).</summary>
    public const int Terminated = 143;

    /// <summary>The one line of an interrupted run.</summary>
    internal const string InterruptedMessage = "interrupted; no partial output was kept";

    /// <summary><c>--verbose</c>: stack traces on errors.</summary>
    internal static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print stack traces with errors",
        Recursive = true,
    };

    /// <summary>Runs the CLI with the given arguments.</summary>
    public static int Run(string[] args, CliContext? context = null, CancellationToken cancellationToken = default)
    {
        context ??= CliContext.ForProcess(args);
        var root = BuildRoot(context);
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        var verbose = parse.GetValue(Verbose);
        var unknown = UnknownOption(parse, args);
        if (unknown is not null || (parse.Errors.Count > 0 && parse.Action is ParseErrorAction))
        {
            var command = parse.CommandResult.Command;
            var path = command == root ? "lstpipe" : "lstpipe " + command.Name;
            var error = unknown is not null ? $"unknown option {unknown}"
                : (parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized",
                    StringComparison.Ordinal)) ?? parse.Errors[0]).Message;
            context.Error.WriteLine($"lstpipe: {error} (see '{path} --help')");
            return UsageException.Code;
        }

        Raster.Gdal.RasterDataset.RetryLog = line => context.Error.WriteLine("warning: " + line);
        try
        {
            var config = new InvocationConfiguration
            {
                Output = context.Output,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return parse.InvokeAsync(config, cancellationToken).GetAwaiter().GetResult();
        }
        catch (LstPipeException e)
        {
            return Report(context, e, e.Message, e.ExitCode, verbose);
        }
        catch (Exception e) when (e is OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            return Report(context, e, InterruptedMessage, Interrupted, verbose);
        }
        catch (Exception e) when (WriteFailure.Classify(null, e) is { } failed)
        {
            return Report(context, e, failed.Message, failed.ExitCode, verbose);
        }
        catch (Exception e)
        {
            var message = $"unexpected {e.GetType().Name}: {Brief(e.Message)} (rerun with --verbose for the stack trace)";
            return Report(context, e, message, DataException.Code, verbose);
        }
    }

    /// <summary>A token before any <c>--</c> that looks like an option (<c>--name</c>) but that the parser took as an
    /// argument or left unmatched: System.CommandLine hands <c>--sise</c> to a command's file arguments.</summary>
    private static string? UnknownOption(ParseResult parse, string[] args)
    {
        var end = Array.IndexOf(args, "--");
        var options = end < 0 ? args : args[..end];
        return parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value)
            .Concat(parse.UnmatchedTokens)
            .Where(v => v.Length > 2 && v.StartsWith("--", StringComparison.Ordinal) && options.Contains(v))
            .Select(v => v.Split('=')[0])
            .FirstOrDefault();
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand(
            "lstpipe: build, check and regenerate GrokLST-style land-surface-temperature downscaling datasets, " +
            "and train the models that use them.");
        root.Options.Add(Verbose);
        root.Subcommands.Add(InfoCommand.Create(context));
        root.Subcommands.Add(SynthCommand.Create(context));
        root.Subcommands.Add(SearchCommand.Create(context));
        root.Subcommands.Add(IngestCommand.Create(context));
        root.Subcommands.Add(CropCommand.Create(context));
        root.Subcommands.Add(AdoptCommand.Create(context));
        root.Subcommands.Add(SplitCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(TestCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(DegradeCommand.Create(context));
        root.Subcommands.Add(ConvertCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(RunCommand.CreateStatus(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        return root;
    }

    private static int Report(CliContext context, Exception e, string message, int code, bool verbose)
    {
        context.Error.WriteLine("lstpipe: " + OneLine(message));
        if (verbose)
        {
            context.Error.WriteLine(e.ToString());
        }

        return code;
    }

    /// <summary>The first line of a foreign exception's message (libtorch appends its C++ stack), at most 200 characters.</summary>
    internal static string Brief(string text)
    {
        var first = text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var native = first.IndexOf(" Exception raised from ", StringComparison.Ordinal);
        first = native > 0 ? first[..native] : first;
        return first.Length <= 200 ? first : first[..197] + "...";
    }

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The tool version shown by <c>--version</c>.</summary>
    public static string Version => ToolInfo.Version;
}
