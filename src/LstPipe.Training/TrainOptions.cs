using System.Globalization;
using System.Text.Json.Serialization;
using LstPipe.Core.Errors;

namespace LstPipe.Training;

/// <summary>The validated options of <c>lstpipe train</c>; defaults are GrokLST's recipe.</summary>
public sealed record TrainOptions
{
    /// <summary>Model name: <c>mocolsk</c>, <c>srcnn</c>, <c>djf</c> or <c>fdsr</c>.</summary>
    public string Model { get; init; } = "mocolsk";

    /// <summary>Upscaling factor (2, 4 or 8); the LR input is the dataset's scale of that factor.</summary>
    public int Scale { get; init; } = 4;

    /// <summary>Dataset folder.</summary>
    public required string Dataset { get; init; }

    /// <summary>Run folder.</summary>
    public required string Output { get; init; }

    /// <summary>Tile format: <c>mat</c> or <c>parquet</c>.</summary>
    public string Format { get; init; } = "mat";

    /// <summary>Split file trained on (<c>split/NAME.txt</c>).</summary>
    public string TrainSplit { get; init; } = "train";

    /// <summary>Split file validated on.</summary>
    public string ValSplit { get; init; } = "val";

    /// <summary>Iterations in all.</summary>
    public int Iterations { get; init; } = 10_000;

    /// <summary>Cosine-restart periods (iterations each); they must sum to <see cref="Iterations"/>.</summary>
    public IReadOnlyList<long> Periods { get; init; } = [2500, 2500, 2500, 2500];

    /// <summary>Peak weight of each period.</summary>
    public IReadOnlyList<double>? RestartWeights { get; init; }

    /// <summary>AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>Floor of the schedule.</summary>
    public double EtaMin { get; init; } = 1e-7;

    /// <summary>Validate (and checkpoint) every this many iterations.</summary>
    public int ValidateEvery { get; init; } = 1000;

    /// <summary>Seed of the initialization and the data order.</summary>
    public ulong Seed { get; init; }

    /// <summary>Feature width.</summary>
    public int NumFeats { get; init; } = 32;

    /// <summary>Normalization constants: <c>card</c> (the dataset's statistics) or <c>groklst</c> (the paper's).</summary>
    public string Normalization { get; init; } = "card";

    /// <summary>Training protocol: <c>default</c> (train on train, select on val) or <c>groklst</c> (the paper's: train
    /// on trainval, validate and select on test).</summary>
    public string Protocol { get; init; } = "default";

    /// <summary>Tiles per iteration: the gradient is the mean over this many tiles (GrokLST's configs: 4 GPUs x 1).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>RCABs per residual group.</summary>
    public int NResblocks { get; init; } = 4;

    /// <summary>Channel-attention reduction.</summary>
    public int Reduction { get; init; } = 16;

    /// <summary>Let the dynamic MLP train with per-sample kernels.</summary>
    public bool TrainDynamicMlp { get; init; }

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c> (an execution choice: a resumed run takes the one
    /// given now).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Replace a non-empty run folder (how the run was started, not what shapes it: not in config.json).</summary>
    [JsonIgnore]
    public bool Force { get; init; }

    /// <summary>Continue the run in <see cref="Output"/> from its last checkpoint (not in config.json).</summary>
    [JsonIgnore]
    public bool Resume { get; init; }

    /// <summary>The command line, recorded in config.json.</summary>
    public string Command { get; init; } = "lstpipe train";

    /// <summary>Parses <c>1,0.5,0.5,0.5</c>.</summary>
    /// <exception cref="UsageException">The text is not a list of non-negative numbers.</exception>
    public static IReadOnlyList<double> ParseRestartWeights(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : double.NaN).ToArray();
        return values.Any(double.IsNaN)
            ? throw new UsageException($"--restart-weights '{text}': use a comma-separated list of non-negative numbers, one per period (1,0.5,0.5,0.5)")
            : values;
    }

    /// <summary>Four equal cosine-restart periods (one under 4 iterations), the last taking the remainder: the default
    /// schedule for a given iteration count.</summary>
    public static IReadOnlyList<long> EqualPeriods(int iterations)
    {
        var n = iterations >= 4 ? 4 : 1;
        var p = Enumerable.Repeat((long)(iterations / n), n).ToArray();
        p[^1] += iterations - p.Sum();
        return p;
    }

    /// <summary>Parses <c>2500,2500,2500,2500</c> or <c>4x2500</c>.</summary>
    /// <exception cref="UsageException">The text is not a list of positive integers.</exception>
    public static IReadOnlyList<long> ParsePeriods(string text)
    {
        var inv = CultureInfo.InvariantCulture;
        var x = text.Split('x');
        if (x.Length == 2 && int.TryParse(x[0], inv, out var n) && long.TryParse(x[1], inv, out var p) && n > 0 && p > 0)
        {
            return Enumerable.Repeat(p, n).ToArray();
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.All(s => long.TryParse(s, inv, out var v) && v > 0)
            ? parts.Select(s => long.Parse(s, inv)).ToArray()
            : throw new UsageException($"--periods '{text}': use a list of positive iteration counts (2500,2500) or NxP (4x2500)");
    }

    /// <summary>Checks the options and returns them.</summary>
    /// <exception cref="UsageException">A value is out of range or inconsistent.</exception>
    public TrainOptions Validate()
    {
        if (!Models.ModelSpec.Names.Contains(Model))
        {
            throw new UsageException($"--model {Model}: trainable models are {string.Join(", ", Models.ModelSpec.Names)} (bicubic is the baseline 'lstpipe test' reports)");
        }

        if (Scale is not (2 or 4 or 8))
        {
            throw new UsageException($"--scale {Scale}: use 2, 4 or 8");
        }

        if (Format is not ("mat" or "parquet"))
        {
            throw new UsageException($"--format {Format}: use mat or parquet");
        }

        if (BatchSize is < 1 or > 64)
        {
            throw new UsageException($"--batch-size {BatchSize}: use 1 to 64 tiles per iteration (GrokLST's configs: 4 GPUs x 1 tile)");
        }

        if (Normalization is not ("card" or "groklst"))
        {
            throw new UsageException($"--normalization {Normalization}: use card (the dataset's statistics) or groklst (the paper's constants)");
        }

        if (Iterations < 1)
        {
            throw new UsageException($"--iterations {Iterations}: use 1 or more");
        }

        if (ValidateEvery < 1)
        {
            throw new UsageException($"--val-every {ValidateEvery}: use 1 or more iterations between validations");
        }

        if (Periods.Sum() != Iterations)
        {
            throw new UsageException($"--periods sum to {Periods.Sum()} but --iterations is {Iterations}; make them agree (for example --periods 4x{Iterations / 4})");
        }

        if (RestartWeights is { } w && w.Count != Periods.Count)
        {
            throw new UsageException("--restart-weights needs one weight per period");
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new UsageException($"--lr {LearningRate}: use a positive learning rate (GrokLST uses 1e-4)");
        }

        if (!(WeightDecay >= 0) || !(EtaMin >= 0))
        {
            throw new UsageException(WeightDecay >= 0 ? $"--eta-min {EtaMin}: use 0 or more" : $"--weight-decay {WeightDecay}: use 0 or more");
        }

        if (Device != "cpu")
        {
            Models.TorchSetup.ParseDevice(Device);
        }

        return this;
    }
}
