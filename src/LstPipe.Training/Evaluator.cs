using System.Globalization;
using System.Text;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset;
using LstPipe.Dataset.Tiles;
using LstPipe.Inference;

namespace LstPipe.Training;

/// <summary>The consistency errors (K; <see cref="Consistency"/>) of the outputs <c>lstpipe test</c> scores.</summary>
/// <param name="Model">The network's output.</param>
/// <param name="Corrected">The output after the radiance residual correction.</param>
/// <param name="Bicubic">Bicubic upsampling.</param>
public readonly record struct ConsistencyErrors(double Model, double Corrected, double Bicubic);

/// <summary>The mean metrics of one LR input on the tiles scored.</summary>
/// <param name="MetricsCsv">The per-tile CSV written.</param>
/// <param name="Model">Mean metrics of the model.</param>
/// <param name="Bicubic">Mean metrics of bicubic upsampling of the same LR.</param>
/// <param name="Corrected">Mean metrics of the model after the radiance consistency correction.</param>
/// <param name="Consistency">Mean consistency errors.</param>
public sealed record LrScore(string MetricsCsv, TileMetrics Model, TileMetrics Bicubic, TileMetrics Corrected,
    ConsistencyErrors Consistency);

/// <summary>What <c>test --lr real</c> scored: the real LR (the result's own rows) and, on the same tiles, the simulated
/// LR and (<c>--match-bias</c>) the real LR shifted to the simulated one's mean.</summary>
/// <param name="Folder">The real level's folder (<c>960m-real</c>).</param>
/// <param name="Sensor">The coarse sensor (<c>MODIS Terra (MOD11A1)</c>).</param>
/// <param name="Acquired">When it saw the scene.</param>
/// <param name="LeftOut">Tiles of the split left out for lack of real coverage.</param>
/// <param name="LrBiasK">Mean over the scored tiles of their real-minus-simulated LR bias (the card's), K.</param>
/// <param name="Simulated">The simulated LR on the same tiles.</param>
/// <param name="Matched">The real LR matched per tile to the simulated LR's mean, with <c>--match-bias</c>.</param>
public sealed record RealLrScore(string Folder, string? Sensor, string? Acquired, int LeftOut, double LrBiasK, LrScore Simulated,
    LrScore? Matched);

/// <summary>Per-tile metrics of a model and of the bicubic baseline on the same tiles.</summary>
/// <param name="MetricsCsv">The CSV written.</param>
/// <param name="Tiles">Tiles evaluated.</param>
/// <param name="Model">Mean metrics of the model.</param>
/// <param name="Bicubic">Mean metrics of bicubic upsampling.</param>
/// <param name="Figures">PNG files written (tile panels and the training curve).</param>
/// <param name="ModelName">The evaluated model's name.</param>
/// <param name="TruthResampledFrom">The LST's native resolution where the dataset's truth was resampled from it
/// (the card's <c>truthResampledFrom</c>), else null.</param>
/// <param name="TruthResolutionMetres">The resolution of the dataset's truth (its base grid).</param>
/// <param name="Corrected">Mean metrics of the model's output after the radiance consistency correction (what
/// <c>predict</c> writes by default).</param>
/// <param name="Consistency">Mean consistency errors of the model, the corrected model and bicubic.</param>
/// <param name="Scale">The model's scale.</param>
/// <param name="Adopted">Whether the dataset was adopted from GrokLST's layout (the published benchmark).</param>
/// <param name="Truth">How the dataset's truth was made (<see cref="Inference.Contracts.ContractTruth.Describe"/>).</param>
/// <param name="Leakage">For a random split: how much of the test split the training tiles cover, with the advice;
/// null for a split without leakage.</param>
/// <param name="Real">With <c>--lr real</c>: the real LR's source and the rows beside it; null otherwise.</param>
public sealed record EvaluateResult(string MetricsCsv, int Tiles, TileMetrics Model, TileMetrics Bicubic,
    IReadOnlyList<string> Figures, string ModelName,
    double? TruthResampledFrom = null, double TruthResolutionMetres = 30, TileMetrics Corrected = default,
    ConsistencyErrors Consistency = default,
    int Scale = 4, bool Adopted = false, string Truth = "", string? Leakage = null, RealLrScore? Real = null)
{
    /// <summary>GrokLST's published RMSE / MAE / CC (paper Table III) by method and scale.</summary>
    public static IReadOnlyDictionary<(string Method, int Scale), (double Rmse, double Mae, double Cc)> Paper { get; } =
        new Dictionary<(string, int), (double, double, double)>
        {
            [("mocolsk", 2)] = (0.2902, 0.1951, 0.9937),
            [("mocolsk", 4)] = (0.5590, 0.3883, 0.9771),
            [("mocolsk", 8)] = (0.8031, 0.5642, 0.9514),
            [("fdsr", 2)] = (0.4065, 0.2698, 0.9885),
            [("fdsr", 4)] = (0.7779, 0.5371, 0.9619),
            [("fdsr", 8)] = (1.1395, 0.8096, 0.9210),
        };
}

/// <summary>Evaluates a checkpoint on a split: GrokLST's metrics per tile to <c>metrics.csv</c>, means for the model
/// and for bicubic upsampling. Inputs are normalized with the checkpoint's constants (those it was trained with),
/// whatever dataset is evaluated. The split's tiles are evaluated in chunks of <see cref="ChunkTiles"/>, which shards
/// can evaluate apart (<see cref="Stage"/>) for a later run to gather. With <c>--lr real</c> the real LR of
/// <c>crop --real-lr</c> is scored on the split's covered tiles, and the simulated LR on the same tiles beside it.</summary>
public static partial class Evaluator
{
    /// <summary>Tiles per unit of work for <see cref="Stage"/>.</summary>
    public const int ChunkTiles = 32;

    /// <summary>Runs the evaluation.</summary>
    /// <param name="o">What to evaluate.</param>
    /// <param name="progress">Receives tiles done and in all.</param>
    /// <param name="staged">Chunks already evaluated by shards (<see cref="Stage"/>): their rows and panels are taken
    /// as they are.</param>
    /// <param name="note">Receives one line for each thing the run matched or assumed (channel order, a truth made
    /// differently from the model's, a checkpoint without a data contract), before any tile is evaluated.</param>
    public static EvaluateResult Run(EvaluateOptions o, IProgress<(int Done, int Total)>? progress = null, StagedUnits? staged = null,
        Action<string>? note = null)
    {
        staged ??= StagedUnits.None;
        note ??= _ => { };
        using var session = new Session(o, note);
        using var output = OutputTransaction.Folder(session.Folder, OutputMode.Into, "lstpipe test", [(o.Dataset, "dataset")]);
        var scores = new List<Scored>();
        foreach (var variant in session.Variants)
        {
            var done = scores.Count * session.Tiles.Count;
            var total = session.Tiles.Count * session.Variants.Count;
            scores.Add(Score(o, session, variant, staged, output, p => progress?.Report((done + p, total))));
        }

        var first = scores[0];
        var order = Enumerable.Range(0, first.Tiles.Count);
        var rmse = first.Ours.Select(m => m.Rmse).ToArray();
        var chosen = (o.PanelsFrom switch
        {
            PanelChoice.Worst => order.OrderByDescending(i => double.IsNaN(rmse[i]) ? double.NegativeInfinity : rmse[i]),
            PanelChoice.Best => order.OrderBy(i => double.IsNaN(rmse[i]) ? double.PositiveInfinity : rmse[i]),
            _ => order,
        }).Take(Math.Max(0, o.Panels)).Select(i => first.Tiles[i]).ToList();
        var figures = chosen.Select((tile, rank) => session.Panel(tile, rank, o.PanelsFrom, session.Variants[0], output)).ToList();
        var log = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!, "log.csv");
        if (File.Exists(log))
        {
            var curve = Path.Combine(session.Folder, "training-curve.png");
            if (LstPipe.Figures.Figure.TrainingCurve(curve, log, title: $"Training of {session.Model.Spec.Name} " +
                $"×{session.Model.Normalization.Scale}"))
            {
                figures.Add(curve);
            }
        }

        output.Commit();
        var s = first.Score;
        return new EvaluateResult(s.MetricsCsv, session.Tiles.Count, s.Model, s.Bicubic, figures, session.Model.Spec.Name,
            session.Card.TruthResampledFrom, session.Card.BaseResolutionMetres, s.Corrected, s.Consistency,
            session.Model.Normalization.Scale, session.Card.IsAdopted,
            Inference.Contracts.DataContract.FromCard(session.Card, session.Model.Normalization.Scale, "card", null).Truth.Describe(),
            Leakage(o.Dataset), o.Lr == LrSource.Real ? session.RealScore(scores[1].Score, scores.ElementAtOrDefault(2)?.Score) : null);
    }

    /// <summary>One LR input scored: its CSV and means, and the per-tile rows behind them.</summary>
    private sealed record Scored(LrScore Score, List<int> Tiles, List<TileMetrics> Ours);

    private static Scored Score(EvaluateOptions o, Session session, LrVariant variant, StagedUnits staged, OutputTransaction output,
        Action<int> progress)
    {
        var csv = new StringBuilder(Header);
        var tiles = new List<int>();
        var (ours, bicubic, corrected, consistency) = (new List<TileMetrics>(), new List<TileMetrics>(), new List<TileMetrics>(),
            new List<double[]>());
        for (var chunk = 0; chunk < session.Chunks; chunk++)
        {
            var name = ChunkName(o, chunk, variant);
            var rows = staged.Has(name) ? File.ReadAllText(staged.PathOf(name)) : session.Evaluate(chunk, variant);
            csv.Append(rows);
            foreach (var line in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split(',');
                var v = fields.Skip(1).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                if (v.Length != 18)
                {
                    throw new Core.Errors.DataException($"{staged.PathOf(name)}: a staged chunk of another lstpipe version " +
                        $"({v.Length + 1} columns); run the test stage again with --force");
                }

                tiles.Add(int.Parse(fields[0], CultureInfo.InvariantCulture));
                ours.Add(new TileMetrics(v[0], v[1], v[2], v[3], v[4]));
                bicubic.Add(new TileMetrics(v[5], v[6], v[7], v[8], v[9]));
                corrected.Add(new TileMetrics(v[10], v[11], v[12], v[13], v[14]));
                consistency.Add(v[15..18]);
            }

            progress(ours.Count);
        }

        var path = Path.Combine(session.Folder, $"metrics-{o.Split}{Suffix(o, variant)}.csv");
        var temporary = output.Stage(path);
        Core.Errors.WriteFailure.Guard(temporary, () => File.WriteAllText(temporary, csv.ToString()));
        double MeanOf(int k) => consistency.Select(c => c[k]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        return new Scored(new LrScore(path, TileMetrics.Mean(ours), TileMetrics.Mean(bicubic), TileMetrics.Mean(corrected),
            new ConsistencyErrors(MeanOf(0), MeanOf(1), MeanOf(2))), tiles, ours);
    }

    /// <summary>What a variant's files add to <c>metrics-SPLIT</c>: nothing for a plain run; <c>-real</c>,
    /// <c>-real-simulated</c> (the simulated LR on the real run's tiles) and <c>-real-matched</c> with <c>--lr real</c>.</summary>
    private static string Suffix(EvaluateOptions o, LrVariant variant) => (o.Lr, variant) switch
    {
        (LrSource.Simulated, _) => "",
        (_, LrVariant.Real) => "-real",
        (_, LrVariant.Matched) => "-real-matched",
        _ => "-real-simulated",
    };

    /// <summary>The leakage line of a split that has some: the share of the test split's pixels inside training tiles.</summary>
    private static string? Leakage(string dataset)
    {
        var path = Path.Combine(dataset, DatasetLayout.SplitFolder, "report.json");
        if (!File.Exists(path))
        {
            return null;
        }

        Dataset.Splits.SplitReport? report;
        try
        {
            report = System.Text.Json.JsonSerializer.Deserialize<Dataset.Splits.SplitReport>(File.ReadAllText(path),
                Core.Json.JsonDefaults.Options);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        var l = report?.Leakage;
        return l is null || l.TestPixelFractionSeenInTrainval <= 0 ? null : string.Create(CultureInfo.InvariantCulture,
            $"{report!.Strategy} split: {100 * l.TestPixelFractionSeenInTrain:0}% of the test pixels lie in training tiles " +
                $"({100 * l.TestPixelFractionSeenInTrainval:0}% " +
            $"with val), so these metrics are optimistic; 'lstpipe split {report.Ratio} --strategy spatial' keeps test pixels " +
                $"out of training");
    }

    private static readonly string Header = "tile," + string.Join(",", TileMetrics.Names) + "," + string.Join(",",
        TileMetrics.Names.Select(n => "bicubic_" + n))
        + "," + string.Join(",",
            TileMetrics.Names.Select(n => "radiance_" + n)) + ",consistency,radiance_consistency,bicubic_consistency\n";

    /// <summary>Evaluates one shard's chunks (chunk c belongs to shard c mod N) into <paramref name="staging"/>: each
    /// chunk's CSV rows; chunks already staged are kept. <see cref="Run"/> gathers them and draws the panels.</summary>
    /// <returns>Chunks this shard staged.</returns>
    public static int Stage(EvaluateOptions o, Shard shard, StagedUnits staging)
    {
        using var session = new Session(o, _ => { });
        var staged = 0;
        foreach (var variant in session.Variants)
        {
            for (var chunk = shard.Index; chunk < session.Chunks; chunk += shard.Count)
            {
                var name = ChunkName(o, chunk, variant);
                if (!staging.Has(name))
                {
                    AtomicFile.WriteAllText(staging.PathOf(name), session.Evaluate(chunk, variant));
                }

                staged++;
            }
        }

        return staged;
    }

    private static string ChunkName(EvaluateOptions o, int chunk, LrVariant variant) =>
        string.Create(CultureInfo.InvariantCulture, $"metrics-{o.Split}{Suffix(o, variant)}-{chunk:D5}.csv");

    /// <summary>The LR inputs a run scores.</summary>
    private enum LrVariant
    {
        /// <summary>The dataset's simulated LR.</summary>
        Simulated,

        /// <summary>The real LR of <c>crop --real-lr</c>.</summary>
        Real,

        /// <summary>The real LR shifted per tile to the simulated LR's mean.</summary>
        Matched,
    }
}
