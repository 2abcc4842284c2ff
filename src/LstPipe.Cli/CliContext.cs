using Spectre.Console;

namespace LstPipe.Cli;

/// <summary>Where a CLI run writes: a Spectre console for results, a writer for one-line errors, and whether
/// live progress can be drawn.</summary>
public sealed class CliContext
{
    /// <summary>Results, tables and progress (standard output).</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Plain text output for help and JSON (standard output).</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Error lines (standard error).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Whether standard output is a terminal, so progress bars can be drawn.</summary>
    public bool Interactive { get; init; }

    /// <summary>The command line of this run, recorded in provenance.</summary>
    public string CommandLine { get; init; } = "lstpipe";

    /// <summary>The context of the running process.</summary>
    public static CliContext ForProcess(string[] args)
    {
        var interactive = !System.Console.IsOutputRedirected;
        return new CliContext
        {
            Console = interactive ? AnsiConsole.Console : PlainConsole(System.Console.Out),
            Output = System.Console.Out,
            Error = System.Console.Error,
            Interactive = interactive,
            CommandLine = CommandLineOf(args),
        };
    }

    /// <summary>A context that writes into the given writers (used by tests and embedding).</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error, string[] args) => new()
    {
        Console = PlainConsole(output),
        Output = output,
        Error = error,
        Interactive = false,
        CommandLine = CommandLineOf(args),
    };

    /// <summary>Width of tables when output goes to a file or pipe.</summary>
    public const int PlainWidth = 120;

    /// <summary>Runs <paramref name="work"/> under a progress bar when the console is interactive, plainly otherwise.
    /// The work reports through the callback it is given: a fraction done in [0, 1] and, optionally, a new label.</summary>
    public T WithProgress<T>(string label, Func<Action<double, string?>, T> work)
    {
        if (!Interactive)
        {
            return work((_, _) => { });
        }

        return Console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(p =>
            {
                var task = p.AddTask(label, maxValue: 1);
                return work((fraction, text) =>
                {
                    task.Value = fraction;
                    if (text is not null)
                    {
                        task.Description = text;
                    }
                });
            });
    }

    private static IAnsiConsole PlainConsole(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = PlainWidth;
        return console;
    }

    private static string CommandLineOf(string[] args) =>
        "lstpipe " + string.Join(' ', args.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? "\"" + a + "\"" : a));
}
