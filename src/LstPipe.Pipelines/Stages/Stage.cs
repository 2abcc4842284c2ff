using System.Security.Cryptography;
using System.Text;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Pipelines.Recipes;

namespace LstPipe.Pipelines.Stages;

/// <summary>What a stage runs with: the recipe, the command recorded in what it writes, and the execution choices of
/// the run.</summary>
/// <param name="Recipe">The pipeline recipe.</param>
/// <param name="Command">The command line recorded in outputs.</param>
/// <param name="Device">Where networks run.</param>
public sealed record StageContext(PipelineRecipe Recipe, string Command, string Device)
{
    /// <summary>Receives progress lines (asset fetches, network retries).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// The contract every pipeline stage keeps: its inputs (values and checksums, hashed into the fingerprint), what it
/// needs first, where its output goes, how it runs whole, and, for a stage whose work divides into units (assembly,
/// export, test), how a shard runs its share into a staging folder that a whole run then gathers. The runner, the
/// Slurm executor and <c>status</c> iterate stages through it.
/// </summary>
/// <param name="Id"><c>ingest:REGION</c>, <c>crop:REGION</c>, <c>assemble</c>, <c>split</c>, <c>export</c>,
/// <c>train</c> or <c>test</c>.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Region">Its region, for per-region stages.</param>
/// <param name="Needs">Ids of the stages it reads.</param>
/// <param name="Output">The folder (or file) it writes.</param>
/// <param name="Inputs">Everything its output depends on, by name.</param>
public abstract class Stage(string Id, StageKind Kind, string? Region, IReadOnlyList<string> Needs, string Output,
    IReadOnlyDictionary<string, string> Inputs)
{
    /// <summary>The stage's id.</summary>
    public string Id { get; } = Id;

    /// <summary>Its kind (what <c>--stages</c> selects).</summary>
    public StageKind Kind { get; } = Kind;

    /// <summary>Its region, for per-region stages; null for dataset-wide ones.</summary>
    public string? Region { get; } = Region;

    /// <summary>Ids of the stages it reads.</summary>
    public IReadOnlyList<string> Needs { get; } = Needs;

    /// <summary>The folder (or file) it writes.</summary>
    public string Output { get; } = Output;

    /// <summary>Everything its output depends on, by name.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; } = Inputs;

    /// <summary>SHA-256 of the inputs in name order.</summary>
    public string Fingerprint { get; } = Hash(Inputs);

    /// <summary>Whether shards can do its units apart (<see cref="RunShard"/>).</summary>
    public virtual bool Divisible => false;

    /// <summary>Runs the stage whole, taking the units shards staged.</summary>
    /// <returns>What the stage's processor returned (its result record), for the caller to show.</returns>
    public abstract object Run(StageContext context, StagedUnits staged);

    /// <summary>Runs shard <paramref name="shard"/>'s units into <paramref name="staging"/>.</summary>
    /// <returns>Units staged.</returns>
    public virtual int RunShard(StageContext context, Shard shard, StagedUnits staging) =>
        throw new InvalidOperationException($"{Id} is one unit of work");

    private static string Hash(IReadOnlyDictionary<string, string> inputs)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('\0').Append(v).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
