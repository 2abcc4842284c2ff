using LstPipe.Core.Errors;
using LstPipe.Training.Figures;

namespace LstPipe.Training.Reports;

/// <summary>The options of <c>lstpipe report</c>.</summary>
public sealed record ReportOptions
{
    /// <summary>The dataset folder described.</summary>
    public required string Dataset { get; init; }

    /// <summary>The HTML file written; null: <see cref="DefaultOutput"/>. Never inside the dataset, which the report
    /// reads and leaves as it is.</summary>
    public string? Output { get; init; }

    /// <summary>A run folder of <c>lstpipe train</c> whose training curve and test metrics the page adds, or null.</summary>
    public string? Run { get; init; }

    /// <summary>Sample tiles drawn at every scale.</summary>
    public int Samples { get; init; } = 3;

    /// <summary>Tiles per split read for the histograms and statistics (evenly spread through the split).</summary>
    public int TilesPerSplit { get; init; } = 32;

    /// <summary>The vertical scale of the training curve.</summary>
    public CurveScale CurveScale { get; init; } = CurveScale.Auto;

    /// <summary>The command line, shown at the foot of the page.</summary>
    public string Command { get; init; } = "";

    /// <summary>The file written when no <see cref="Output"/> is given: <c>DATASET.report.html</c> beside the dataset
    /// folder (not in it: the dataset is the report's input).</summary>
    public static string DefaultOutput(string dataset)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(dataset);
        var name = Path.GetFileName(trimmed);
        return (name is "" or "." or ".." ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataset)) : trimmed) + ".report.html";
    }

    /// <summary>The command that writes the report of <paramref name="dataset"/> (with a run's curve and metrics).</summary>
    public static string CommandFor(string dataset, string? run = null) =>
        $"lstpipe report {Quoted(dataset)}{(run is null ? "" : " --run " + Quoted(run))} --out {Quoted(DefaultOutput(dataset))}";

    /// <summary>The output file.</summary>
    public string OutputPath => Output ?? DefaultOutput(Dataset);

    /// <summary>Checks the values.</summary>
    /// <exception cref="UsageException">A value is out of range, or the run folder is missing.</exception>
    public ReportOptions Validate()
    {
        if (Samples is < 0 or > 12)
        {
            throw new UsageException($"--samples {Samples}: use 0 to 12");
        }

        if (TilesPerSplit is < 1 or > 10_000)
        {
            throw new UsageException($"--tiles-per-split {TilesPerSplit}: use 1 to 10000");
        }

        if (Run is { } run && !Directory.Exists(run))
        {
            throw new UsageException($"{run}: no such run folder (--run takes the folder 'lstpipe train --out' wrote)");
        }

        if (!OutputPath.EndsWith(".html", StringComparison.OrdinalIgnoreCase) && !OutputPath.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--out {OutputPath}: the report is an HTML page; name it NAME.html");
        }

        return this;
    }

    private static string Quoted(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '\\') ? $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'" : path;
}

/// <summary>What <c>lstpipe report</c> wrote.</summary>
/// <param name="Output">The HTML file.</param>
/// <param name="Images">Images inlined.</param>
/// <param name="Maps">Scenes drawn on the split map (0 for an adopted dataset, which has no tile geometry).</param>
/// <param name="Bytes">The page's size.</param>
public sealed record ReportResult(string Output, int Images, int Maps, long Bytes);
