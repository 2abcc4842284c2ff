using System.Globalization;
using System.Text.Json.Serialization;
using LstPipe.Core.Errors;
using LstPipe.Core.Options;

namespace LstPipe.Training;

/// <summary>The options of <c>lstpipe train</c> and of a recipe's <c>train:</c> section; defaults are GrokLST's
/// recipe. The record is the only declaration of these options (<see cref="OptionSchema{T}"/>).</summary>
public sealed record TrainOptions
{
    /// <summary>Model name: <c>mocolsk</c>, <c>srcnn</c>, <c>djf</c> or <c>fdsr</c>.</summary>
    [Option("model", "Model: mocolsk, srcnn, djf or fdsr", Alias = "-m", Choices = ["mocolsk", "srcnn", "djf", "fdsr"])]
    public string Model { get; init; } = "mocolsk";

    /// <summary>Upscaling factor (2, 4 or 8); the LR input is the dataset's scale of that factor.</summary>
    [Option("scale", "Upscaling factor: 2, 4 or 8", Alias = "-s", Min = 2, Max = 8)]
    public int Scale { get; init; } = 4;

    /// <summary>Dataset folder.</summary>
    [Option("dataset", "Dataset folder (made by crop and split)", Alias = "-d", Scope = OptionScope.CommandLine)]
    public string Dataset { get; init; } = "";

    /// <summary>Run folder.</summary>
    [Option("out", "Run folder", Alias = "-o", Scope = OptionScope.CommandLine)]
    public string Output { get; init; } = "";

    /// <summary>Tile format: <c>mat</c> or <c>parquet</c>.</summary>
    [Option("format", "Read tiles from mat or parquet", Choices = ["mat", "parquet"])]
    public string Format { get; init; } = "mat";

    /// <summary>Split file trained on (<c>split/NAME.txt</c>).</summary>
    [Option("train-split", "Split trained on (trainval reproduces the paper)")]
    public string TrainSplit { get; init; } = "train";

    /// <summary>Split file validated on.</summary>
    [Option("val-split", "Split validated on (test reproduces the paper)")]
    public string ValSplit { get; init; } = "val";

    /// <summary>Iterations in all.</summary>
    [Option("iterations", "Iterations in all", Min = 1)]
    public int Iterations { get; init; } = 10_000;

    /// <summary>Cosine-restart periods (iterations each), summing to <see cref="Iterations"/>; null: four equal
    /// periods (<see cref="Schedule"/>).</summary>
    [Option("periods", "Cosine-restart periods: 4x2500 or 2500,2500,... (default: 4 equal periods)", Parser = typeof(PeriodsParser))]
    public IReadOnlyList<long>? Periods { get; init; }

    /// <summary>Peak weight of each period; null: all 1.</summary>
    [Option("restart-weights", "Peak weight of each period, comma-separated (default all 1)", Parser = typeof(WeightsParser))]
    public IReadOnlyList<double>? RestartWeights { get; init; }

    /// <summary>AdamW learning rate.</summary>
    [Option("lr", "AdamW learning rate (GrokLST: 1e-4)")]
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>AdamW weight decay.</summary>
    [Option("weight-decay", "AdamW weight decay", Min = 0)]
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>Floor of the schedule.</summary>
    [Option("eta-min", "Schedule floor", Min = 0)]
    public double EtaMin { get; init; } = 1e-7;

    /// <summary>Validate (and checkpoint) every this many iterations.</summary>
    [Option("val-every", "Validate and checkpoint every N iterations", Min = 1)]
    public int ValidateEvery { get; init; } = 1000;

    /// <summary>Seed of the initialization and the data order.</summary>
    [Option("seed", "Seed of initialization and data order")]
    public ulong Seed { get; init; }

    /// <summary>Feature width.</summary>
    [Option("num-feats", "Feature width", Min = 1, Max = 4096)]
    public int NumFeats { get; init; } = 32;

    /// <summary>RCABs per residual group.</summary>
    [Option("n-resblocks", "RCABs per residual group", Min = 1, Max = 64)]
    public int NResblocks { get; init; } = 4;

    /// <summary>Channel-attention reduction.</summary>
    [Option("reduction", "Channel-attention reduction", Min = 1)]
    public int Reduction { get; init; } = 16;

    /// <summary>Let the dynamic MLP train with per-sample kernels.</summary>
    [Option("train-dynamic-mlp", "Let the dynamic MLP train with per-sample kernels (not in the original)")]
    public bool TrainDynamicMlp { get; init; }

    /// <summary>Normalization constants: <c>card</c> (the dataset's statistics) or <c>groklst</c> (the paper's).</summary>
    [Option("normalization", "Constants: card (the dataset's statistics) or groklst (the paper's published " +
        "ones)", Choices = ["card", "groklst"])]
    public string Normalization { get; init; } = "card";

    /// <summary>Training protocol: <c>default</c> (train on train, select on val) or <c>groklst</c> (the paper's: train
    /// on trainval, validate and select on test).</summary>
    [Option("protocol", "default (train on train, select on val) or groklst (train on trainval, validate and select on test)",
        Choices = ["default", "groklst"])]
    public string Protocol { get; init; } = "default";

    /// <summary>Tiles per forward pass, a real mini-batch; MoCoLSK gates each tile with its own kernel, so the gradient
    /// is the mean of the tiles' gradients, as GrokLST's 4 GPUs x 1 tile made it.</summary>
    [Option("batch-size", "Tiles per forward pass (a mini-batch; each tile keeps its own MoCoLSK kernel; GrokLST: 4 GPUs x 1)",
        Min = 1, Max = 64)]
    public int BatchSize { get; init; } = 1;

    /// <summary>Forward passes whose gradients are averaged into one optimizer step (gradient accumulation): an
    /// iteration sees <see cref="BatchSize"/> x this many tiles.</summary>
    [Option("accumulate", "Forward passes of --batch-size tiles averaged into one optimizer step (gradient accumulation)",
        Min = 1, Max = 64)]
    public int Accumulate { get; init; } = 1;

    /// <summary>Weights to start from instead of a seeded initialization (fine-tuning): an lstpipe checkpoint or a
    /// GrokLST <c>.pth</c>, whose data contract must fit the dataset; its normalization is kept.</summary>
    [Option("init", "Start from these weights (an lstpipe checkpoint or a GrokLST .pth) to fine-tune; its data contract must " +
        "fit the dataset, and its normalization is kept", Scope = OptionScope.CommandLine)]
    public string? Init { get; init; }

    /// <summary>The network these options ask for (its channels and LST z-score come from the data).</summary>
    [JsonIgnore]
    public Models.ModelSpec Spec => new()
    {
        Name = Model,
        MoCoLsk = new Models.MoCoLsk.MoCoLskOptions
        {
            Scale = Scale,
            NumFeats = NumFeats,
            NResblocks = NResblocks,
            Reduction = Reduction,
            TrainDynamicMlp = TrainDynamicMlp,
        },
    };

    /// <summary>Tiles per iteration: <see cref="BatchSize"/> x <see cref="Accumulate"/>.</summary>
    [JsonIgnore]
    public int TilesPerIteration => BatchSize * Accumulate;

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c> (an execution choice: a resumed run takes the one
    /// given now).</summary>
    [Option("device", "Run the network on cpu or cuda (cuda needs a CUDA libtorch)", Scope = OptionScope.CommandLine)]
    public string Device { get; init; } = "cpu";

    /// <summary>libtorch threads; null: <c>LSTPIPE_THREADS</c> or all cores.</summary>
    [Option("threads", "libtorch threads (default: LSTPIPE_THREADS or all cores)", Min = 1, Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public int? Threads { get; init; }

    /// <summary>Replace a non-empty run folder (how the run was started, not what shapes it: not in config.json).</summary>
    [Option("force", "Replace a non-empty run folder", Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool Force { get; init; }

    /// <summary>Continue the run in <see cref="Output"/> from its last checkpoint (not in config.json).</summary>
    [Option("resume", "Continue the run in --out from its last checkpoint", Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool Resume { get; init; }

    /// <summary>Print the parameter counts and, with a dataset, time a step and estimate the run, then stop.</summary>
    [Option("dry-run", "Print the model's parameter counts, time a training step here and estimate the run's duration and peak " +
        "memory, then stop",
        Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public bool DryRun { get; init; }

    /// <summary>Without a terminal, a progress line every this many iterations; 0: every 30 s, at each validation and
    /// at the end.</summary>
    [Option("log-every", "Without a terminal, print a progress line every N iterations (0: every 30 s, at each validation and at the end)",
        Min = 0, Scope = OptionScope.CommandLine)]
    [JsonIgnore]
    public int LogEvery { get; init; }

    /// <summary>The command line, recorded in config.json.</summary>
    public string Command { get; init; } = "lstpipe train";

    /// <summary>The cosine-restart periods the run follows: <see cref="Periods"/>, or four equal periods (one under
    /// 4 iterations), the last taking the remainder.</summary>
    [JsonIgnore]
    public IReadOnlyList<long> Schedule => Periods ?? EqualPeriods(Iterations);

    /// <summary>Options that only the run's first start may set: a resumed run keeps its config.json.</summary>
    public static IReadOnlyList<string> FixedByRun { get; } = OptionSchema<TrainOptions>.Options
        .Where(o => o.Declaration.Scope == OptionScope.Both || o.Name is "dataset" or "force" or "dry-run" or "init").Select(o
            => o.CommandLineName).ToArray();

    /// <summary>Four equal periods (one under 4 iterations), the last taking the remainder.</summary>
    public static IReadOnlyList<long> EqualPeriods(int iterations)
    {
        var n = iterations >= 4 ? 4 : 1;
        var p = Enumerable.Repeat((long)(iterations / n), n).ToArray();
        p[^1] += iterations - p.Sum();
        return p;
    }

    /// <summary>The splits a protocol trains and validates on: <c>groklst</c> takes trainval and test and refuses splits
    /// given beside it.</summary>
    /// <param name="givenSplit">How the caller names a split given explicitly (<c>--train-split</c>,
    /// <c>r.yaml:12: train.val_split</c>), or null when none was.</param>
    /// <exception cref="UsageException">A split given beside <c>--protocol groklst</c>.</exception>
    public TrainOptions WithProtocolSplits(string? givenSplit)
    {
        if (Protocol != "groklst")
        {
            return this;
        }

        return givenSplit is null
            ? this with { TrainSplit = "trainval", ValSplit = "test" }
            : throw new UsageException($"{givenSplit}: --protocol groklst trains on trainval and validates on test; leave the " +
                $"splits out, or use --protocol default");
    }

    /// <summary>Checks what the options' declarations cannot (combinations, the device) and returns them.</summary>
    /// <exception cref="UsageException">A value is out of range or inconsistent.</exception>
    public TrainOptions Validate()
    {
        OptionSchema<TrainOptions>.Check(this);
        if (!(LearningRate > 0))
        {
            throw new UsageException($"--lr {LearningRate}: use a positive learning rate (GrokLST uses 1e-4)");
        }

        if (Scale is not (2 or 4 or 8))
        {
            throw new UsageException($"--scale {Scale}: use 2, 4 or 8");
        }

        if (Schedule.Sum() != Iterations)
        {
            throw new UsageException($"--periods sum to {Schedule.Sum()} but --iterations is {Iterations}; make them agree (for " +
                $"example --periods 4x{Iterations / 4})");
        }

        if (RestartWeights is { } w && w.Count != Schedule.Count)
        {
            throw new UsageException($"--restart-weights gives {w.Count} weights for {Schedule.Count} periods; give one per period");
        }

        if (Device != "cpu")
        {
            Models.TorchSetup.ParseDevice(Device);
        }

        return this;
    }

    /// <summary>Reads <c>2500,2500,2500,2500</c> or <c>4x2500</c>.</summary>
    public sealed class PeriodsParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text)
        {
            var inv = CultureInfo.InvariantCulture;
            var x = text.Split('x');
            if (x.Length == 2 && int.TryParse(x[0], inv, out var n) && long.TryParse(x[1], inv, out var p) && n > 0 && p > 0)
            {
                return (IReadOnlyList<long>)Enumerable.Repeat(p, n).ToArray();
            }

            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            return parts.All(s => long.TryParse(s, inv, out var v) && v > 0)
                ? parts.Select(s => long.Parse(s, inv)).ToArray()
                : throw new FormatException("use a list of positive iteration counts (2500,2500) or NxP (4x2500)");
        }

        /// <inheritdoc/>
        public string Format(object value) => string.Join(",", (IReadOnlyList<long>)value);
    }

    /// <summary>Reads <c>1,0.5,0.5,0.5</c>.</summary>
    public sealed class WeightsParser : IOptionParser
    {
        /// <inheritdoc/>
        public object? Parse(string text)
        {
            var values = text.Split(',', StringSplitOptions.TrimEntries)
                .Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture,
                    out var v) && v >= 0 ? v : double.NaN).ToArray();
            return values.Any(double.IsNaN)
                ? throw new FormatException("use a comma-separated list of non-negative numbers, one per period (1,0.5,0.5,0.5)")
                : (IReadOnlyList<double>)values;
        }

        /// <inheritdoc/>
        public string Format(object value) =>
            string.Join(",", ((IReadOnlyList<double>)value).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }
}
