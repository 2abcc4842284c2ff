using System.Globalization;
using System.Text;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset;
using LstPipe.Dataset.Tiles;

namespace LstPipe.Training;

/// <summary>The options of <c>lstpipe test</c>.</summary>
public sealed record EvaluateOptions
{
    /// <summary>Checkpoint written by <c>lstpipe train</c>.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Dataset folder.</summary>
    public required string Dataset { get; init; }

    /// <summary>Split evaluated.</summary>
    public string Split { get; init; } = "test";

    /// <summary>Tile format.</summary>
    public string Format { get; init; } = "mat";

    /// <summary>Where <c>metrics.csv</c> and the figures go (default: beside the checkpoint).</summary>
    public string? Output { get; init; }

    /// <summary>Tiles drawn as PNG panels (the first of the split).</summary>
    public int Panels { get; init; } = 4;

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";
}

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
public sealed record EvaluateResult(string MetricsCsv, int Tiles, TileMetrics Model, TileMetrics Bicubic, IReadOnlyList<string> Figures, string ModelName,
    double? TruthResampledFrom = null, double TruthResolutionMetres = 30);

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
    public static EvaluateResult Run(EvaluateOptions o, IProgress<(int Done, int Total)>? progress = null, StagedUnits? staged = null)
    {
        staged ??= StagedUnits.None;
        using var session = new Session(o);
        var csv = new StringBuilder("tile," + string.Join(",", TileMetrics.Names) + "," + string.Join(",", TileMetrics.Names.Select(n => "bicubic_" + n)) + "\n");
        var figures = new List<string>();
        var ours = new List<TileMetrics>();
        var bicubic = new List<TileMetrics>();
        for (var chunk = 0; chunk < session.Chunks; chunk++)
        {
            var name = ChunkName(o, chunk);
            string rows;
            if (staged.Has(name))
            {
                rows = File.ReadAllText(staged.PathOf(name));
                foreach (var panel in session.PanelsOf(chunk))
                {
                    staged.TryTake(panel, Path.Combine(session.Folder, panel));
                }
            }
            else
            {
                rows = session.Evaluate(chunk, session.Folder);
            }

            csv.Append(rows);
            foreach (var line in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var v = line.Split(',').Skip(1).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                ours.Add(new TileMetrics(v[0], v[1], v[2], v[3], v[4]));
                bicubic.Add(new TileMetrics(v[5], v[6], v[7], v[8], v[9]));
            }

            figures.AddRange(session.PanelsOf(chunk).Select(p => Path.Combine(session.Folder, p)));
            progress?.Report((ours.Count, session.Tiles.Count));
        }

        var path = Path.Combine(session.Folder, $"metrics-{o.Split}.csv");
        AtomicFile.WriteAllText(path, csv.ToString());
        var log = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!, "log.csv");
        if (File.Exists(log))
        {
            var curve = Path.Combine(session.Folder, "training-curve.png");
            Figures.Figures.TrainingCurve(curve, log);
            figures.Add(curve);
        }

        return new EvaluateResult(path, session.Tiles.Count, TileMetrics.Mean(ours), TileMetrics.Mean(bicubic), figures, session.Model.Spec.Name,
            session.Card.TruthResampledFrom, session.Card.BaseResolutionMetres);
    }

    /// <summary>Evaluates one shard's chunks (chunk c belongs to shard c mod N) into <paramref name="staging"/>: each
    /// chunk's CSV rows, and its tile panels; chunks already staged are kept. <see cref="Run"/> gathers them.</summary>
    /// <returns>Chunks this shard staged.</returns>
    public static int Stage(EvaluateOptions o, Shard shard, StagedUnits staging)
    {
        using var session = new Session(o);
        var staged = 0;
        for (var chunk = shard.Index; chunk < session.Chunks; chunk += shard.Count)
        {
            var name = ChunkName(o, chunk);
            if (!staging.Has(name))
            {
                var rows = session.Evaluate(chunk, staging.Folder!);
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

        public Session(EvaluateOptions o)
        {
            _o = o;
            if (o.Format is not ("mat" or "parquet"))
            {
                throw new Core.Errors.UsageException($"--format {o.Format}: use mat or parquet");
            }

            var device = Models.TorchSetup.ParseDevice(o.Device);
            Model = Downscaler.Load(o.Checkpoint).To(device);
            try
            {
                var card = DatasetFolder.Load(o.Dataset).Card;
                Card = card;
                var labels = Normalization.FromCard(card, Model.Normalization.Scale);
                if (labels.GuidanceShift.Count != Model.Normalization.GuidanceShift.Count)
                {
                    throw new Core.Errors.DataException(
                        $"{o.Dataset}: has {labels.GuidanceShift.Count} guidance channels; the checkpoint {o.Checkpoint} was trained with {Model.Normalization.GuidanceShift.Count}");
                }

                _norm = Model.Normalization with { LrLabel = labels.LrLabel, HrLabel = labels.HrLabel };
                _loader = new TileLoader(o.Dataset, o.Format, _norm);
                Tiles = TileLoader.ReadSplit(o.Dataset, o.Split);
                _source = _loader.Open();
                Folder = o.Output ?? Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!;
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

        /// <summary>File names of the chunk's tile panels (the split's first <see cref="EvaluateOptions.Panels"/> tiles).</summary>
        public IEnumerable<string> PanelsOf(int chunk) =>
            Enumerable.Range(chunk * ChunkTiles, Math.Max(0, Math.Min(_o.Panels, Math.Min(Tiles.Count, (chunk + 1) * ChunkTiles)) - chunk * ChunkTiles))
                .Select(k => $"panel-{_o.Split}-{Tiles[k]:D5}.png");

        /// <summary>Evaluates a chunk: its CSV rows; its panels go to <paramref name="folder"/>.</summary>
        public string Evaluate(int chunk, string folder)
        {
            using var noGrad = TorchSharp.torch.no_grad();
            Model.Net.eval();
            var rows = new StringBuilder();
            var panels = PanelsOf(chunk).ToHashSet();
            for (var k = chunk * ChunkTiles; k < Math.Min(Tiles.Count, (chunk + 1) * ChunkTiles); k++)
            {
                var index = Tiles[k];
                using var scope = TorchSharp.torch.NewDisposeScope();
                var s = _loader.Read(_source, index);
                var sr = Downscaler.ToArray(Model.Forward(s));
                var m = TileMetrics.Compute(s.Hr, sr);
                var panel = $"panel-{_o.Split}-{index:D5}.png";
                if (panels.Contains(panel))
                {
                    Figures.Figures.TilePanel(Path.Combine(folder, panel), FormattableString.Invariant($"TILE {index} X{_norm.Scale}  RMSE {m.Rmse:0.000} K"), s.Lr, s.LrSize, sr, s.Hr, s.HrSize);
                }

                var b = TileMetrics.Compute(s.Hr, Downscaler.ToArray(Downscaler.Bicubic(s, _norm.Scale)));
                rows.Append(index.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .AppendJoin(',', m.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(',')
                    .AppendJoin(',', b.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
            }

            return rows.ToString();
        }

        public void Dispose()
        {
            _source.Dispose();
            Model.Dispose();
        }
    }
}
