using LstPipe.Core.Errors;
using LstPipe.Core.Options;
using LstPipe.Figures;

namespace LstPipe.Training.Reports;

/// <summary>The options of <c>lstpipe report</c>; the only declaration of them.</summary>
public sealed record ReportOptions
{
    /// <summary>The dataset folder described.</summary>
    [Option("dataset", "Dataset folder (made by crop, or adopted)", Positional = true, Required = true, Scope = OptionScope.CommandLine)]
    public string Dataset { get; init; } = "";

    /// <summary>The HTML file written; null: <see cref="DefaultOutput"/>. Never inside the dataset, which the report
    /// reads and leaves as it is.</summary>
    [Option("out", "HTML file to write (default: DATASET.report.html beside the dataset, never inside it)", Alias = "-o",
        Scope = OptionScope.CommandLine)]
    public string? Output { get; init; }

    /// <summary>A run folder of <c>lstpipe train</c> whose training curve and test metrics the page adds, or null.</summary>
    [Option("run", "A run folder of 'lstpipe train': adds its training curve and the metrics of 'lstpipe test'",
        Scope = OptionScope.CommandLine)]
    public string? Run { get; init; }

    /// <summary>Sample tiles drawn at every scale.</summary>
    [Option("samples", "Sample tiles drawn at every scale", Min = 0, Max = 12, Scope = OptionScope.CommandLine)]
    public int Samples { get; init; } = 3;

    /// <summary>Tiles per split read for the histograms and statistics (evenly spread through the split).</summary>
    [Option("tiles-per-split", "Tiles per split read for the histograms and statistics", Min = 1, Max = 10_000,
        Scope = OptionScope.CommandLine)]
    public int TilesPerSplit { get; init; } = 32;

    /// <summary>The vertical scale of the training curve.</summary>
    [Option("curve-scale", "Training curve's loss axis: auto (log when the loss falls tenfold), linear or log",
        Scope = OptionScope.CommandLine)]
    public CurveScale CurveScale { get; init; } = CurveScale.Auto;

    /// <summary>The command line, shown at the foot of the page.</summary>
    public string Command { get; init; } = "";

    /// <summary>The file written when no <see cref="Output"/> is given: <c>DATASET.report.html</c> beside the dataset
    /// folder (not in it: the dataset is the report's input).</summary>
    public static string DefaultOutput(string dataset)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(dataset);
        var name = Path.GetFileName(trimmed);
        var folder = name is "" or "." or ".." ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataset)) : trimmed;
        return folder + ".report.html";
    }

    /// <summary>The command that writes the report of <paramref name="dataset"/> (with a run's curve and metrics).</summary>
    public static string CommandFor(string dataset, string? run = null) =>
        $"lstpipe report {Quoted(dataset)}{(run is null ? "" : " --run " + Quoted(run))} " +
        $"--out {Quoted(DefaultOutput(dataset))}";

    /// <summary>The output file.</summary>
    public string OutputPath => Output ?? DefaultOutput(Dataset);

    /// <summary>Checks the values.</summary>
    /// <exception cref="UsageException">A value is out of range, or the run folder is missing.</exception>
    public ReportOptions Validate()
    {
        OptionSchema<ReportOptions>.Check(this);
        if (Run is { } run && !Directory.Exists(run))
        {
            throw new UsageException($"{run}: no such run folder (--run takes the folder 'lstpipe train --out' wrote)");
        }

        if (!OutputPath.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            && !OutputPath.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--out {OutputPath}: the report is an HTML page; name it NAME.html");
        }

        return this;
    }

    private static string Quoted(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '\\')
        ? $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'"
        : path;
}

/// <summary>What <c>lstpipe report</c> wrote.</summary>
/// <param name="Output">The HTML file.</param>
/// <param name="Images">Images inlined.</param>
/// <param name="Maps">Scenes drawn on the split map (0 for an adopted dataset, which has no tile geometry).</param>
/// <param name="Bytes">The page's size.</param>
/// <param name="RunMismatch">Why the run shown was not trained on this dataset (flagged at the top of the page), or
/// null.</param>
public sealed record ReportResult(string Output, int Images, int Maps, long Bytes, string? RunMismatch = null);
