using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Dataset;
using LstPipe.Dataset.Cards;
using LstPipe.Inference;
using LstPipe.Models;
using LstPipe.Training.Optim;
using static TorchSharp.torch;

namespace LstPipe.Training;
/// <summary>The resumable state of a run (<c>RUN/state.json</c>).</summary>
internal sealed record RunState(int Iteration, double BestRmse, int BestIteration);

/// <summary>
/// Trains a downscaler with GrokLST's recipe (AdamW, cosine restarts, L1 on Kelvin, batch 1), validates every N
/// iterations, keeps <c>best.safetensors</c> by RMSE and <c>last.safetensors</c> with the optimizer state, and
/// writes <c>log.csv</c> and <c>config.json</c>. <c>Resume</c> continues from the last checkpoint and reproduces the
/// loss curve of an uninterrupted run. A new run that fails before its first checkpoint (a tile refused when read)
/// leaves its folder as it was: nothing would be there to resume.
/// </summary>
public static partial class Trainer
{
    /// <summary>Runs (or resumes) training.</summary>
    public static TrainResult Run(TrainOptions options, IProgress<TrainProgress>? progress = null, CancellationToken ct = default)
    {
        var given = options.Output;
        if (given.Length == 0)
        {
            throw new UsageException("train needs --out (the run folder)");
        }

        var state = new RunState(0, double.PositiveInfinity, 0);
        if (options.Resume)
        {
            (options, state) = ReadRun(options);
        }
        else
        {
            options = options.Validate();
        }

        OutputGuard.RefuseOverlap(given, [(options.Dataset, "dataset")]);
        var occupied = File.Exists(Path.Combine(given, "state.json"))
            ? $"{given}: exists and is not empty; choose another --out, pass --force, or --resume it"
            : $"{given}: exists and is not empty, with no checkpoint to resume; choose another --out or pass --force";
        var mode = options.Resume ? OutputMode.Resume : options.Force ? OutputMode.Force : OutputMode.New;
        if (mode == OutputMode.New && Directory.Exists(given) && Directory.EnumerateFileSystemEntries(given).Any())
        {
            throw new UsageException(occupied);
        }

        var (card, norm) = OpenDataset(options);
        var train = TileLoader.ReadSplit(options.Dataset, options.TrainSplit);
        var val = TileLoader.ReadSplit(options.Dataset, options.ValSplit);
        var (model, channels) = options.Init is null || options.Resume
            ? (CreateModel(options, norm, card, options.Resume ? Path.Combine(given, "last.safetensors") : null), null)
            : StartFrom(options, card);
        using var _ = model;
        using var output = OutputTransaction.Folder(given, mode, "lstpipe train", [(options.Dataset, "dataset")], inPlace: true,
            occupied: occupied);
        var run = output.Path;
        var loader = new TileLoader(options.Dataset, options.Format, model.Normalization.WithLabels(Normalization.FromCard(card,
            options.Scale)), channels ?? ResumedChannels(options, model, card));
        using var optimizer = new HeldAdamW(model.Net.parameters(), options.LearningRate, options.WeightDecay);
        var schedule = new CosineRestartLR(optimizer, options.LearningRate, options.Schedule,
            options.RestartWeights ?? options.Schedule.Select(_ => 1.0).ToArray(), options.EtaMin, state.Iteration);
        var log = new TrainLog(Path.Combine(run, "log.csv"));
        if (options.Resume)
        {
            RunFolder.LoadCheckpoint(run, model, optimizer, schedule);
            log.KeepThrough(state.Iteration);
        }
        else
        {
            AtomicFile.WriteAllText(Path.Combine(run, "config.json"), JsonSerializer.Serialize(options, JsonDefaults.Options) + "\n");
            log.KeepThrough(0);
        }

        var speed = new SpeedMeter(options);
        var checkpoints = new CheckpointHook(run, model, optimizer, log, state);
        ITrainHook[] hooks =
        [
            new ValidationHook(options, model, loader, val, speed),
            log,
            checkpoints,
            new ProgressHook(options, progress, speed),
        ];
        var per = options.TilesPerIteration;
        var loop = new TrainingLoop(model, optimizer, schedule, options, hooks, speed);
        int iteration;
        try
        {
            iteration = loop.Run(loader.Batches(train, options.Seed, (long)state.Iteration * per, (long)options.Iterations * per,
                options.BatchSize, ct), state.Iteration, ct);
        }
        finally
        {
            if (File.Exists(Path.Combine(run, "state.json")))
            {
                output.KeepForResume();
            }
        }

        output.Commit();
        return new TrainResult(output.FinalPath, iteration, checkpoints.State.BestRmse, checkpoints.State.BestIteration,
            model.Net.ParameterCount);
    }

    /// <summary>The options and progress of the run to resume, from its <c>config.json</c> and <c>state.json</c>; the
    /// device is the one given now.</summary>
    /// <exception cref="UsageException">The folder holds no checkpoint to resume.</exception>
    private static (TrainOptions Options, RunState State) ReadRun(TrainOptions given)
    {
        var run = given.Output;
        var configPath = Path.Combine(run, "config.json");
        if (!File.Exists(configPath) || !File.Exists(Path.Combine(run, "state.json")))
        {
            var occupied = Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any();
            throw new UsageException(occupied
                ? $"{run}: has no checkpoint to resume (config.json, state.json); start the run again with --force, or choose another --out"
                : $"{run}: not a run folder with a checkpoint (config.json, state.json); start it without --resume");
        }

        var options = JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(configPath), JsonDefaults.Options)!
            with
        { Output = run, Resume = true, Device = given.Device, Threads = given.Threads };
        return (options, JsonSerializer.Deserialize<RunState>(File.ReadAllText(Path.Combine(run, "state.json")), JsonDefaults.Options)!);
    }

    /// <summary>The dataset's card and the normalization the options ask for.</summary>
    /// <exception cref="UsageException">The dataset folder is missing, or the normalization does not fit it.</exception>
    private static (DatasetCard Card, Normalization Norm) OpenDataset(TrainOptions options)
    {
        if (!Directory.Exists(options.Dataset))
        {
            throw new UsageException($"{options.Dataset}: no such dataset folder");
        }

        var card = DatasetFolder.Load(options.Dataset).Card;
        return (card, Normalization.For(card, options.Scale, options.Normalization));
    }

    /// <summary>The seeded network for the options, checked against the dataset's tile size, on its device; a resumed
    /// run that started from given weights (<c>--init</c>) is rebuilt from its last checkpoint, which carries their
    /// configuration and normalization.</summary>
    /// <exception cref="UsageException">The model needs tiles of another size, or the device is unavailable.</exception>
    private static Downscaler CreateModel(TrainOptions options, Normalization norm, DatasetCard card, string? last)
    {
        TorchSetup.EnsureLoaded();
        manual_seed((long)options.Seed);
        var model = options.Init is not null && last is not null
            ? Downscaler.Load(last)
            : Downscaler.Create(options.Spec, norm, Inference.Contracts.DataContract.FromCard(card, options.Scale, options.Normalization,
                options.Dataset));
        return OnDevice(model, options, card);
    }

    /// <summary>The model on the options' device, refused when the dataset's tiles do not fit it.</summary>
    private static Downscaler OnDevice(Downscaler model, TrainOptions options, DatasetCard card)
    {
        try
        {
            if (card.TileSize % model.Net.SizeMultiple != 0)
            {
                throw new UsageException($"--model {model.Spec.Name}: needs tiles whose side is a multiple of " +
                    $"{model.Net.SizeMultiple} px; {options.Dataset} has {card.TileSize} px tiles (crop with another --size)");
            }

            return model.To(TorchSetup.ParseDevice(options.Device));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Validations a run does after iteration <paramref name="iteration"/>: every <c>ValidateEvery</c>
    /// iterations and at the last.</summary>
    internal static int ValidationsAfter(TrainOptions options, int iteration) =>
        iteration >= options.Iterations ? 0
        : (options.Iterations / options.ValidateEvery) - (iteration / options.ValidateEvery)
            + (options.Iterations % options.ValidateEvery == 0 ? 0 : 1);

    /// <summary>L1 on Kelvin of one forward pass: each tile's mean absolute error over its valid pixels (the HR
    /// truth's NaN left out), averaged over the batch, so a batch of B is the mean of B tiles' losses.</summary>
    internal static Tensor Loss(Downscaler model, TileBatch b)
    {
        var shape = new long[] { b.Count, 1, b.HrSize, b.HrSize };
        var prediction = model.Forward(b);
        if (!b.Hr.Any(float.IsNaN))
        {
            return nn.functional.l1_loss(prediction, model.Input(b.Hr, shape));
        }

        var mask = model.Input([.. b.Hr.Select(v => float.IsNaN(v) ? 0f : 1f)], shape);
        var truth = model.Input([.. b.Hr.Select(v => float.IsNaN(v) ? 0f : v)], shape);
        var sums = ((prediction - truth).abs() * mask).sum([1, 2, 3]);
        return (sums / mask.sum([1, 2, 3]).clamp_min(HeldScalars.Of(1.0))).mean();
    }

    /// <summary>Mean RMSE over tiles, in evaluation mode without gradients, <c>batch</c> tiles per forward.</summary>
    internal static double Validate(Downscaler model, TileLoader loader, IReadOnlyList<int> tiles, int batch = 1)
    {
        using var source = loader.Open();
        using var noGrad = no_grad();
        model.Net.eval();
        var rmse = new List<double>();
        foreach (var chunk in tiles.Chunk(batch))
        {
            using var scope = NewDisposeScope();
            var b = TileBatch.Collate([.. chunk.Select(i => loader.Read(source, i))]);
            var sr = Downscaler.ToArray(model.Forward(b));
            var plane = b.HrSize * b.HrSize;
            for (var i = 0; i < b.Count; i++)
            {
                rmse.Add(TileMetrics.Compute(b.HrOf(i), sr.AsSpan(i * plane, plane)).Rmse);
            }
        }

        model.Net.train();
        return rmse.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
    }
}
