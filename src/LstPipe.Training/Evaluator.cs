using System.Globalization;
using System.Text;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset;
using LstPipe.Dataset.Tiles;

namespace LstPipe.Training;

/// <summary>The consistency errors (K; <see cref="Consistency"/>) of the outputs <c>lstpipe test</c> scores.</summary>
/// <param name="Model">The network's output.</param>
/// <param name="Corrected">The output after the radiance residual correction.</param>
/// <param name="Bicubic">Bicubic upsampling.</param>
public readonly record struct ConsistencyErrors(double Model, double Corrected, double Bicubic);

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
/// <param name="Truth">How the dataset's truth was made (<see cref="Contracts.ContractTruth.Describe"/>).</param>
/// <param name="Leakage">For a random split: how much of the test split the training tiles cover, with the advice;
/// null for a split without leakage.</param>
public sealed record EvaluateResult(string MetricsCsv, int Tiles, TileMetrics Model, TileMetrics Bicubic,
    IReadOnlyList<string> Figures, string ModelName,
    double? TruthResampledFrom = null, double TruthResolutionMetres = 30, TileMetrics Corrected = default,
    ConsistencyErrors Consistency = default,
    int Scale = 4, bool Adopted = false, string Truth = "", string? Leakage = null)
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
/// can evaluate apart (<see cref="Stage"/>) for a later run to gather.</summary>
public static class Evaluator
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
        var csv = new StringBuilder(Header);
        var tiles = new List<int>();
        var ours = new List<TileMetrics>();
        var bicubic = new List<TileMetrics>();
        var corrected = new List<TileMetrics>();
        var consistency = new List<double[]>();
        for (var chunk = 0; chunk < session.Chunks; chunk++)
        {
            var name = ChunkName(o, chunk);
            var rows = staged.Has(name) ? File.ReadAllText(staged.PathOf(name)) : session.Evaluate(chunk);
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

            progress?.Report((ours.Count, session.Tiles.Count));
        }

        var path = Path.Combine(session.Folder, $"metrics-{o.Split}.csv");
        AtomicFile.WriteAllText(path, csv.ToString());
        var order = Enumerable.Range(0, tiles.Count);
        var chosen = (o.PanelsFrom switch
        {
            PanelChoice.Worst => order.OrderByDescending(i => double.IsNaN(ours[i].Rmse) ? double.NegativeInfinity : ours[i].Rmse),
            PanelChoice.Best => order.OrderBy(i => double.IsNaN(ours[i].Rmse) ? double.PositiveInfinity : ours[i].Rmse),
            _ => order,
        }).Take(Math.Max(0, o.Panels)).Select(i => tiles[i]).ToList();
        var figures = chosen.Select((tile, rank) => session.Panel(tile, rank, o.PanelsFrom)).ToList();
        var log = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!, "log.csv");
        if (File.Exists(log))
        {
            var curve = Path.Combine(session.Folder, "training-curve.png");
            if (Figures.Figures.TrainingCurve(curve, log, title: $"Training of {session.Model.Spec.Name} " +
                $"×{session.Model.Normalization.Scale}"))
            {
                figures.Add(curve);
            }
        }

        double MeanOf(int k) => consistency.Select(c => c[k]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        output.Commit();
        return new EvaluateResult(path, session.Tiles.Count, TileMetrics.Mean(ours), TileMetrics.Mean(bicubic), figures,
            session.Model.Spec.Name,
            session.Card.TruthResampledFrom, session.Card.BaseResolutionMetres, TileMetrics.Mean(corrected),
            new ConsistencyErrors(MeanOf(0), MeanOf(1), MeanOf(2)),
            session.Model.Normalization.Scale, session.Card.IsAdopted,
            Contracts.DataContract.FromCard(session.Card, session.Model.Normalization.Scale, "card",
                null).Truth.Describe(), Leakage(o.Dataset));
    }

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
        for (var chunk = shard.Index; chunk < session.Chunks; chunk += shard.Count)
        {
            var name = ChunkName(o, chunk);
            if (!staging.Has(name))
            {
                var rows = session.Evaluate(chunk);
                AtomicFile.WriteAllText(staging.PathOf(name), rows);
            }

            staged++;
        }

        return staged;
    }

    private static string ChunkName(EvaluateOptions o, int chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"metrics-{o.Split}-{chunk:D5}.csv");

    /// <summary>The checkpoint on its device, the split's tiles and their loader.</summary>
    private sealed class Session : IDisposable
    {
        private readonly EvaluateOptions _o;
        private readonly Normalization _norm;
        private readonly TileLoader _loader;
        private readonly TileSource _source;

        public Session(EvaluateOptions o, Action<string> note)
        {
            _o = o;
            if (o.Format is not ("mat" or "parquet"))
            {
                throw new Core.Errors.UsageException($"--format {o.Format}: use mat or parquet");
            }

            var device = Models.TorchSetup.ParseDevice(o.Device);
            Folder = o.Output ?? Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!;
            OutputGuard.RefuseOverlap(Folder, [(o.Dataset, "dataset")], mayContain: true);
            Model = Downscaler.Load(o.Checkpoint).To(device);
            try
            {
                var card = DatasetFolder.Load(o.Dataset).Card;
                Card = card;
                var labels = Normalization.FromCard(card, Model.Normalization.Scale);
                int[]? channels = null;
                if (Model.Contract is { } contract)
                {
                    channels = Contracts.ContractCheck.MatchDataset(contract, card, o.Dataset, o.Checkpoint, note);
                }
                else
                {
                    note($"{o.Checkpoint} records no data contract (written before lstpipe recorded one): its channels and truth are not " +
                         "checked against the dataset's; re-save it with 'lstpipe convert CHECKPOINT NEW.safetensors --dataset DATASET'");
                    if (labels.GuidanceShift.Count != Model.Normalization.GuidanceShift.Count)
                    {
                        throw new Core.Errors.UsageException(
                            $"{o.Dataset}: has {labels.GuidanceShift.Count} guidance channels; the checkpoint {o.Checkpoint} " +
                                $"was trained with {Model.Normalization.GuidanceShift.Count}");
                    }
                }

                _norm = Model.Normalization with { LrLabel = labels.LrLabel, HrLabel = labels.HrLabel };
                _loader = new TileLoader(o.Dataset, o.Format, _norm, channels);
                Tiles = TileLoader.ReadSplit(o.Dataset, o.Split);
                _source = _loader.Open();
                Directory.CreateDirectory(Folder);
            }
            catch
            {
                Model.Dispose();
                throw;
            }
        }

        public Downscaler Model { get; }

        public Dataset.Cards.DatasetCard Card { get; } = null!;

        public IReadOnlyList<int> Tiles { get; }

        public string Folder { get; }

        public int Chunks => (Tiles.Count + ChunkTiles - 1) / ChunkTiles;

        /// <summary>Draws one tile's panel (LR, prediction, truth, error) and returns its path.</summary>
        public string Panel(int index, int rank, PanelChoice from)
        {
            using var noGrad = TorchSharp.torch.no_grad();
            using var scope = TorchSharp.torch.NewDisposeScope();
            Model.Net.eval();
            var s = _loader.Read(_source, index);
            var sr = Downscaler.ToArray(Model.Forward(s));
            var m = TileMetrics.Compute(s.Hr, sr);
            var name = from == PanelChoice.First
                ? $"panel-{_o.Split}-{index:D5}.png" : $"panel-{_o.Split}-{from.ToString().ToLowerInvariant()}{rank + 1}-{index:D5}.png";
            var path = Path.Combine(Folder, name);
            var nodata = s.Hr.Count(float.IsNaN);
            var id = Path.GetFileNameWithoutExtension(Card.TileFileName(index));
            var title = string.Create(CultureInfo.InvariantCulture, $"Tile {id} ({_o.Split})  ·  ×{_norm.Scale}  ·  RMSE " +
                $"{m.Rmse:0.000} K{(nodata > 0 ? $"  ·  nodata {100.0 * nodata / s.Hr.Length:0.#}%" : "")}");
            var metres = Card.BaseResolutionMetres;
            Figures.Figures.TilePanel(path, title, s.Lr, s.LrSize, sr, s.Hr, s.HrSize,
                string.Create(CultureInfo.InvariantCulture, $"{metres * _norm.Scale:0.#} m"),
                string.Create(CultureInfo.InvariantCulture, $"{metres:0.#} m"));
            return path;
        }

        /// <summary>Evaluates a chunk: its CSV rows.</summary>
        public string Evaluate(int chunk)
        {
            using var noGrad = TorchSharp.torch.no_grad();
            Model.Net.eval();
            var rows = new StringBuilder();
            for (var k = chunk * ChunkTiles; k < Math.Min(Tiles.Count, (chunk + 1) * ChunkTiles); k++)
            {
                var index = Tiles[k];
                using var scope = TorchSharp.torch.NewDisposeScope();
                var s = _loader.Read(_source, index);
                var sr = Downscaler.ToArray(Model.Forward(s));
                var bicubic = Downscaler.ToArray(Downscaler.Bicubic(s, _norm.Scale));
                var lr = CoarseTruth(s);
                var corrected = sr.ToArray();
                global::LstPipe.Training.Consistency.Apply(corrected, s.HrSize, lr, _norm.Scale, ConsistencyMode.Radiance);
                double[] values =
                [
                    .. TileMetrics.Compute(s.Hr, sr).Values,
                    .. TileMetrics.Compute(s.Hr, bicubic).Values,
                    .. TileMetrics.Compute(s.Hr, corrected).Values,
                    global::LstPipe.Training.Consistency.Error(sr, s.HrSize, lr, _norm.Scale),
                    global::LstPipe.Training.Consistency.Error(corrected, s.HrSize, lr, _norm.Scale),
                    global::LstPipe.Training.Consistency.Error(bicubic, s.HrSize, lr, _norm.Scale),
                ];
                rows.Append(index.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .AppendJoin(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
            }

            return rows.ToString();
        }

        /// <summary>The LR LST of a tile where it is real: NaN where its block holds no valid truth (the loader fills
        /// LR nodata with the tile's mean for the network).</summary>
        private float[] CoarseTruth(TileSample s)
        {
            var lr = s.Lr.ToArray();
            var scale = _norm.Scale;
            for (var i = 0; i < lr.Length; i++)
            {
                var (by, bx) = (i / s.LrSize, i % s.LrSize);
                var any = false;
                for (var r = by * scale; r < (by + 1) * scale && !any; r++)
                {
                    for (var c = bx * scale; c < (bx + 1) * scale && !any; c++)
                    {
                        any = !float.IsNaN(s.Hr[(r * s.HrSize) + c]);
                    }
                }

                lr[i] = any ? lr[i] : float.NaN;
            }

            return lr;
        }

        public void Dispose()
        {
            _source.Dispose();
            Model.Dispose();
        }
    }
}
