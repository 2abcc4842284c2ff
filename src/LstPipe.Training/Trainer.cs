using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Dataset;
using LstPipe.Dataset.Cards;
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
/// loss curve of an uninterrupted run.
/// </summary>
public static class Trainer
{
    /// <summary>Builds the model for the options and returns its parameter count without training.</summary>
    public static long CountParameters(TrainOptions o, int guidanceChannels = 10)
    {
        var norm = new Normalization(o.Scale, "", "", 282.51, 14.7, Enumerable.Repeat(0.0, guidanceChannels).ToArray(),
            Enumerable.Repeat(1.0, guidanceChannels).ToArray(), "z-score");
        using var d = Downscaler.Create(o.Validate(), norm, null);
        return d.Net.ParameterCount;
    }

    /// <summary>Times a training step and a validation forward on a dataset's tiles on this machine (values of the
    /// right shapes, so nothing is read; each the median of <see cref="TimedRuns"/> after one warm-up) and estimates the
    /// whole run from them.</summary>
    /// <param name="options">The run as it would start (model, width, scale, iterations, validation interval, device).</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="UsageException">The dataset or its validation split is missing, or the options are invalid.</exception>
    public static TrainEstimate Estimate(TrainOptions options)
    {
        options = options.Validate();
        var (card, norm) = OpenDataset(options);
        var validationTiles = TileLoader.ReadSplit(options.Dataset, options.ValSplit).Count;
        using var model = CreateModel(options, norm, card);
        var hr = card.TileSize;
        var lr = hr / options.Scale;
        var sample = new TileSample(-1, lr, hr, Enumerable.Repeat((float)norm.LstMean, lr * lr).ToArray(),
            new float[norm.GuidanceShift.Count * hr * hr], Enumerable.Repeat((float)norm.LstMean, hr * hr).ToArray());
        using var optimizer = optim.AdamW(model.Net.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var baseline = PeakResidentBytes();
        var step = WarmMedian(() =>
        {
            using (NewDisposeScope())
            {
                var l1 = Loss(model, sample);
                optimizer.zero_grad();
                l1.backward();
                optimizer.step();
            }
        });
        model.Net.eval();
        var forward = WarmMedian(() =>
        {
            using (NewDisposeScope())
            using (no_grad())
            {
                model.Forward(sample).Dispose();
            }
        });
        var validations = ValidationsAfter(options, 0);
        var total = TimeSpan.FromSeconds((step * options.Iterations) + (forward * validationTiles * validations));
        return new TrainEstimate(hr, lr, model.Net.ParameterCount, TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(forward),
            validationTiles, validations, total, PeakResidentBytes(), baseline);
    }

    /// <summary>Runs <paramref name="work"/> once to warm up (allocations, kernel selection), then
    /// <see cref="TimedRuns"/> times; the median of those, in seconds.</summary>
    private static double WarmMedian(Action work)
    {
        work();
        var times = new double[TimedRuns];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            work();
            times[i] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    /// <summary>Timed runs after the warm-up in <see cref="Estimate"/>.</summary>
    public const int TimedRuns = 3;

    /// <summary>The process's peak resident memory so far (<c>VmHWM</c>), or 0 where /proc does not say.</summary>
    internal static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:",
            StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line[6..].Trim().Split(' ')[0], NumberStyles.None,
            CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }

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
        var loader = new TileLoader(options.Dataset, options.Format, norm);
        using var model = CreateModel(options, norm, card);
        using var output = OutputTransaction.Folder(given, mode, "lstpipe train", [(options.Dataset, "dataset")], inPlace: true,
            keepOnFailure: true, occupied: occupied);
        var run = output.Path;
        using var optimizer = optim.AdamW(model.Net.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var schedule = new CosineRestartLR(optimizer, options.LearningRate, options.Schedule,
            options.RestartWeights ?? options.Schedule.Select(_ => 1.0).ToArray(), options.EtaMin, state.Iteration);
        var log = new List<string>();
        var logPath = Path.Combine(run, "log.csv");
        if (options.Resume)
        {
            RunFolder.LoadCheckpoint(run, model, optimizer, schedule);
            log.AddRange(File.ReadAllLines(logPath).Skip(1).Where(l => int.Parse(l.Split(',')[0],
                CultureInfo.InvariantCulture) <= state.Iteration));
        }
        else
        {
            AtomicFile.WriteAllText(Path.Combine(run, "config.json"), JsonSerializer.Serialize(options, JsonDefaults.Options) + "\n");
        }

        RunFolder.WriteLog(logPath, log);
        var speed = new SpeedMeter(options);
        var iteration = state.Iteration;
        double? lastVal = null;
        var batch = options.BatchSize;
        using (var samples = loader.Stream(train, options.Seed, (long)iteration * batch, (long)options.Iterations * batch,
            ct).GetEnumerator())
        {
            while (iteration < options.Iterations)
            {
                ct.ThrowIfCancellationRequested();
                speed.StepStarted();
                double loss = 0;
                var lr = schedule.LearningRate;
                optimizer.zero_grad();
                var complete = true;
                for (var k = 0; k < batch && complete; k++)
                {
                    complete = samples.MoveNext();
                    if (!complete)
                    {
                        break;
                    }

                    using var scope = NewDisposeScope();
                    var s = samples.Current;
                    var l1 = Loss(model, s);
                    (batch == 1 ? l1 : l1 / batch).backward();
                    var value = l1.item<float>();
                    if (!double.IsFinite(value))
                    {
                        throw new DataException(string.Create(CultureInfo.InvariantCulture,
                            $"{options.Dataset}: the training loss became {value} at iteration {iteration + 1} (tile " +
                                $"{s.Index}); check the tiles for non-finite values or lower --lr (the run keeps its last checkpoint)"));
                    }

                    loss += value / batch;
                }

                if (!complete)
                {
                    break;
                }

                optimizer.step();

                schedule.step();

                iteration++;
                speed.StepDone();
                double? valRmse = null;
                if (iteration % options.ValidateEvery == 0 || iteration == options.Iterations)
                {
                    valRmse = Validate(model, loader, val);
                    speed.ValidationDone();
                    lastVal = valRmse;
                    if (valRmse < state.BestRmse)
                    {
                        state = state with { BestRmse = valRmse.Value, BestIteration = iteration };
                        RunFolder.Save(model, Path.Combine(run, "best.safetensors"), iteration);
                    }
                }

                var row = string.Create(CultureInfo.InvariantCulture,
                    $"{iteration},{loss:R},{lr:R},{(valRmse is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "")}");
                log.Add(row);
                if (valRmse is not null)
                {
                    state = state with { Iteration = iteration };
                    RunFolder.Checkpoint(run, model, optimizer, state, log);
                }
                else
                {
                    File.AppendAllText(logPath, row + "\n");
                }

                progress?.Report(new TrainProgress(iteration, options.Iterations, loss, lr, lastVal, valRmse is not null,
                    speed.IterationsPerSecond, speed.Remaining(iteration)));
            }
        }

        output.Commit();
        return new TrainResult(output.FinalPath, iteration, state.BestRmse, state.BestIteration, model.Net.ParameterCount);
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

    /// <summary>The seeded network for the options, checked against the dataset's tile size, on its device.</summary>
    /// <exception cref="UsageException">The model needs tiles of another size, or the device is unavailable.</exception>
    private static Downscaler CreateModel(TrainOptions options, Normalization norm, DatasetCard card)
    {
        TorchSetup.EnsureLoaded();
        manual_seed((long)options.Seed);
        var model = Downscaler.Create(options, norm, Contracts.DataContract.FromCard(card, options.Scale, options.Normalization,
            options.Dataset));
        try
        {
            if (card.TileSize % model.Net.SizeMultiple != 0)
            {
                throw new UsageException($"--model {options.Model}: needs tiles whose side is a multiple of " +
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

    /// <summary>L1 on Kelvin; over the valid pixels only where the HR truth has nodata (NaN).</summary>
    internal static Tensor Loss(Downscaler model, TileSample s)
    {
        var shape = new long[] { 1, 1, s.HrSize, s.HrSize };
        var prediction = model.Forward(s);
        if (!s.Hr.Any(float.IsNaN))
        {
            return nn.functional.l1_loss(prediction, model.Input(s.Hr, shape));
        }

        var mask = s.Hr.Select(v => float.IsNaN(v) ? 0f : 1f).ToArray();
        var truth = model.Input([.. s.Hr.Select(v => float.IsNaN(v) ? 0f : v)], shape);
        return ((prediction - truth).abs() * model.Input(mask, shape)).sum() / Math.Max(1.0, mask.Sum());
    }

    /// <summary>Mean RMSE over tiles, in evaluation mode without gradients.</summary>
    internal static double Validate(Downscaler model, TileLoader loader, IReadOnlyList<int> tiles)
    {
        using var source = loader.Open();
        using var noGrad = no_grad();
        model.Net.eval();
        var rmse = new List<double>();
        foreach (var index in tiles)
        {
            using var scope = NewDisposeScope();
            var s = loader.Read(source, index);
            rmse.Add(TileMetrics.Compute(s.Hr, Downscaler.ToArray(model.Forward(s))).Rmse);
        }

        model.Net.train();
        return rmse.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
    }
}
