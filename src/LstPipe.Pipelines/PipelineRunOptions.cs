using LstPipe.Core.Errors;
using LstPipe.Core.Options;
using LstPipe.Core.Resilience;
using LstPipe.Core.Threading;
using LstPipe.Pipelines.Stages;

namespace LstPipe.Pipelines;

/// <summary>The options of <c>lstpipe run</c>: how to run a recipe (what it builds is the recipe's); every one is an
/// execution choice, so none is a recipe key. The only declaration of them.</summary>
public sealed record PipelineRunOptions
{
    /// <summary>The pipeline recipe file.</summary>
    [Option("recipe", "Pipeline recipe (pipelines/NAME.yaml)", Positional = true, Required = true, Scope = OptionScope.CommandLine)]
    public string Recipe { get; init; } = "";

    /// <summary>Only these regions' ingest and crop (dataset-wide stages are left out); null for all.</summary>
    [Option("region", "Only these regions' ingest and crop (repeatable)", Alias = "-r", Scope = OptionScope.CommandLine)]
    public IReadOnlyList<string>? Regions { get; init; }

    /// <summary>Only these kinds of stage; null for all.</summary>
    [Option("stages", "Only these stages: ingest,crop,split,export,train,test (default " +
        "all)", Parser = typeof(StagesParser), Scope = OptionScope.CommandLine)]
    public IReadOnlyList<StageKind>? Stages { get; init; }

    /// <summary>Only this shard of the work: the regions' stages of every Nth region, and every Nth unit of the
    /// dataset-wide stages whose inputs are up to date, staged for an unsharded run to gather.</summary>
    [Option("shard", "Only shard i of N (i/N): every Nth region, and every Nth unit of assembly, export and test, staged; an " +
        "unsharded run then gathers",
        Parser = typeof(ShardParser), Scope = OptionScope.CommandLine)]
    public Shard? Shard { get; init; }

    /// <summary>Redo the selected stages even when they are up to date.</summary>
    [Option("force", "Redo the selected stages even when up to date", Scope = OptionScope.CommandLine)]
    public bool Force { get; init; }

    /// <summary>Search again for the regions given as STAC queries, in place of the items pinned by an earlier run.</summary>
    [Option("requery", "Search the STAC API again for regions given as queries (default: the items an earlier run pinned)",
        Scope = OptionScope.CommandLine)]
    public bool Requery { get; init; }

    /// <summary>Where the train and test stages run their network.</summary>
    [Option("device", "Run the network of the train and test stages on cpu or cuda", Scope = OptionScope.CommandLine)]
    public string Device { get; init; } = "cpu";

    /// <summary><c>local</c>, or <c>slurm</c> (array jobs chained with afterok, on shared storage).</summary>
    [Option("executor", "local, or slurm (array jobs chained with afterok, on shared " +
        "storage)", Choices = ["local", "slurm"], Scope = OptionScope.CommandLine)]
    public string Executor { get; init; } = "local";

    /// <summary>Extra <c>sbatch</c> arguments for every job.</summary>
    [Option("sbatch-arg", "Extra sbatch argument for every job (repeatable), e.g. " +
        "--sbatch-arg=--partition=cpu", Scope = OptionScope.CommandLine)]
    public IReadOnlyList<string> SbatchArguments { get; init; } = [];

    /// <summary>Slurm array tasks for the dataset-wide stages.</summary>
    [Option("tasks", "Slurm array tasks for the dataset-wide stages (assembly, export, test); 1 runs them in one job", Min = 1,
        Scope = OptionScope.CommandLine)]
    public int Tasks { get; init; } = 4;

    /// <summary>Retries of a Slurm client call that fails transiently.</summary>
    [Option("retries", "Retries of a Slurm client call that fails transiently (time-outs, busy " +
        "controller)", Min = 0, Scope = OptionScope.CommandLine)]
    public int Retries { get; init; } = RetryPolicy.Default.Attempts;

    /// <summary>Seconds before the first retry; each further one doubles it.</summary>
    [Option("retry-delay", "Seconds before the first retry; each further one doubles it", Min = 0, Scope = OptionScope.CommandLine)]
    public double RetryDelay { get; init; } = RetryPolicy.Default.Delay.TotalSeconds;

    /// <summary>Where the output folder is served (an absolute URL, or an absolute path written as a <c>file:</c> URL):
    /// the catalog's asset hrefs become this base followed by the file's path under the output folder, so the catalog
    /// can be written and published apart from the data; null: the catalog lies beside the data (it must hold the
    /// output folder) and every href is relative.</summary>
    [Option("catalog-href-base", "Absolute URL (or path) where the output folder is served; the STAC catalog's assets point " +
        "there, so the catalog can be published apart from the data (default: relative hrefs, the catalog beside the data)",
        Parser = typeof(HrefBaseParser), Scope = OptionScope.CommandLine)]
    public string? CatalogHrefBase { get; init; }

    /// <summary>Reads an absolute URL (<c>https://host/data/x</c>) or an absolute path, without a trailing slash.</summary>
    public sealed class HrefBaseParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text)
        {
            var t = text.Trim();
            if (Path.IsPathFullyQualified(t))
            {
                return new Uri(Path.GetFullPath(t)).AbsoluteUri.TrimEnd('/');
            }

            return Uri.TryCreate(t, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1 && uri.IsWellFormedOriginalString()
                ? uri.AbsoluteUri.TrimEnd('/')
                : throw new FormatException($"'{text}' is not an absolute URL or path; use one such as " +
                    $"https://example.org/data/NAME or /srv/data/NAME");
        }

        /// <inheritdoc/>
        public string Format(object value) => (string)value;
    }

    /// <summary>Reads <c>ingest,crop,split</c>.</summary>
    public sealed class StagesParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text) =>
            (IReadOnlyList<StageKind>)text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
                Enum.TryParse<StageKind>(s, ignoreCase: true, out var k) && !int.TryParse(s, out _)
                    ? k
                    : throw new FormatException($"'{s}' is not a stage; use " +
                        $"{string.Join(",", Enum.GetNames<StageKind>().Select(n => n.ToLowerInvariant()))}"))
                .ToArray();

        /// <inheritdoc/>
        public string Format(object value) => string.Join(",",
            ((IReadOnlyList<StageKind>)value).Select(k => k.ToString().ToLowerInvariant()));
    }

    /// <summary>Reads <c>i/N</c>.</summary>
    public sealed class ShardParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text)
        {
            try
            {
                return LstPipe.Core.Threading.Shard.Parse(text);
            }
            catch (UsageException)
            {
                throw new FormatException("use i/N with 0 <= i < N (for example 0/4)");
            }
        }

        /// <inheritdoc/>
        public string Format(object value) => ((LstPipe.Core.Threading.Shard)value).ToString();
    }
}
