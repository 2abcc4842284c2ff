using System.Globalization;
using System.Text;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Tiles;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Raster.Checks;

namespace LstPipe.Training;

// lstpipe test: the checkpoint on its device, the split's tiles and their loaders.
public static partial class Evaluator
{
    /// <summary>The checkpoint on its device, the split's tiles and a loader per LR input scored.</summary>
    private sealed class Session : IDisposable
    {
        private const string OutputFix = "the model was not trained for these inputs: check the dataset's guidance and LST";

        private readonly EvaluateOptions _o;
        private readonly Normalization _norm;
        private readonly Dictionary<LrVariant, TileLoader> _loaders = [];
        private readonly TileSource _source;

        public Session(EvaluateOptions o, Action<string> note)
        {
            _o = o;
            if (o.Format is not ("mat" or "parquet"))
            {
                throw new UsageException($"--format {o.Format}: use mat or parquet");
            }

            if (o.MatchBias && o.Lr != LrSource.Real)
            {
                throw new UsageException("--match-bias matches the real LR to the simulated one: it needs --lr real");
            }

            Folder = o.Output ?? Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!;
            OutputGuard.RefuseOverlap(Folder, [(o.Dataset, "dataset")], mayContain: true);
            Model = Downscalers.Open(o.Checkpoint, o.Device, o.Precision, o.Threads);
            try
            {
                var card = DatasetFolder.Load(o.Dataset).Card;
                Card = card;
                var labels = Normalization.FromCard(card, Model.Normalization.Scale);
                int[]? channels = null;
                if (Model.Contract is { } contract)
                {
                    channels = ContractCheck.MatchDataset(contract, card, o.Dataset, o.Checkpoint, note);
                    CompareLst(contract, card, o, note);
                }
                else
                {
                    note($"{o.Checkpoint} records no data contract (written before lstpipe recorded one): its channels and truth are not " +
                         "checked against the dataset's; re-save it with 'lstpipe convert CHECKPOINT NEW.safetensors --dataset DATASET'");
                    if (labels.GuidanceShift.Count != Model.Normalization.GuidanceShift.Count)
                    {
                        throw new UsageException(
                            $"{o.Dataset}: has {labels.GuidanceShift.Count} guidance channels; the checkpoint {o.Checkpoint} " +
                                $"was trained with {Model.Normalization.GuidanceShift.Count}");
                    }
                }

                _norm = Model.Normalization.WithLabels(labels);
                _loaders[LrVariant.Simulated] = new TileLoader(o.Dataset, o.Format, _norm, channels);
                Tiles = TileLoader.ReadSplit(o.Dataset, o.Split);
                Variants = [LrVariant.Simulated];
                if (o.Lr == LrSource.Real)
                {
                    var real = RealLevel(o, card);
                    var all = Tiles;
                    var uncovered = real.UncoveredTiles.ToHashSet();
                    Tiles = all.Where(t => !uncovered.Contains(t)).ToArray();
                    LeftOut = all.Count - Tiles.Count;
                    if (Tiles.Count == 0)
                    {
                        throw new DataException(string.Create(CultureInfo.InvariantCulture,
                            $"{o.Dataset}: none of the {all.Count} tiles of split '{o.Split}' has real LR on at least " +
                                $"{real.MinCoverage:P0} of its pixels (card: realLr.uncoveredTiles); crop again with a lower " +
                                    $"--real-min-coverage or a clearer granule"));
                    }

                    _loaders[LrVariant.Real] = new TileLoader(o.Dataset, o.Format, _norm, channels) { RealFolder = real.Folder };
                    _loaders[LrVariant.Matched] = new TileLoader(o.Dataset, o.Format, _norm, channels)
                    {
                        RealFolder = real.Folder,
                        MatchBias = true,
                    };
                    Variants = o.MatchBias ? [LrVariant.Real, LrVariant.Simulated, LrVariant.Matched]
                        : [LrVariant.Real, LrVariant.Simulated];
                }

                _source = _loaders[LrVariant.Simulated].Open();
            }
            catch
            {
                Model.Dispose();
                throw;
            }
        }

        public IDownscaler Model { get; }

        public Dataset.Cards.DatasetCard Card { get; } = null!;

        public IReadOnlyList<int> Tiles { get; }

        /// <summary>The LR inputs scored, the first the result's own.</summary>
        public IReadOnlyList<LrVariant> Variants { get; }

        /// <summary>Tiles of the split left out for lack of real coverage.</summary>
        public int LeftOut { get; }

        public string Folder { get; }

        public int Chunks => (Tiles.Count + ChunkTiles - 1) / ChunkTiles;

        /// <summary>The card's real level, checked against the model: it must be the level the model reads.</summary>
        private Dataset.Cards.CardRealLr RealLevel(EvaluateOptions o, Dataset.Cards.DatasetCard card)
        {
            var real = card.RealLr ?? throw new UsageException($"{o.Dataset}: has no real-LR level; add one with 'lstpipe crop " +
                $"SCENE... --real-lr COARSE_SCENE' (a MODIS granule ingested with pipelines/modis-mod11a1.yaml)");
            if (real.Scale != _norm.LrLabel)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"{o.Dataset}: its real LR ({real.Folder}, {real.Sensor ?? real.SceneId}) stands beside {real.Scale}, the " +
                        $"x{real.Factor} input; the checkpoint is an x{_norm.Scale} model reading {_norm.LrLabel}: test an " +
                            $"x{real.Factor} model"));
            }

            return o.Format == "mat" ? real : throw new UsageException($"{o.Dataset}: the real LR is kept in .mat files only " +
                $"({real.Folder}/lst); test it with --format mat");
        }

        /// <summary>The real run's summary: the level's source and the rows beside it.</summary>
        public RealLrScore RealScore(LrScore simulated, LrScore? matched)
        {
            var real = Card.RealLr!;
            var scored = Tiles.ToHashSet();
            var bias = real.Tiles.Where(t => scored.Contains(t.Index) && double.IsFinite(t.BiasK)).Select(t => t.BiasK)
                .DefaultIfEmpty(double.NaN).Average();
            return new RealLrScore(real.Folder, real.Sensor, real.Acquired, LeftOut, bias, simulated, matched);
        }

        /// <summary>Compares the dataset's LST at the model's LR level with the training LST the contract records.</summary>
        private static void CompareLst(DataContract contract, DatasetCard card, EvaluateOptions o, Action<string> note)
        {
            var level = card.Scales.FirstOrDefault(s => s.Factor == contract.Scale);
            if (contract.LstStatistics is { } trained && level is not null && card.Statistics.Any(s => s.Scale == level.Label)
                && trained.Compare(LstDistribution.FromStatistics(card.StatisticsOf(level.Label, "lst")), o.Dataset, o.Checkpoint) is { } w)
            {
                note("warning: " + w);
            }
        }

        /// <summary>Draws one tile's panel (LR, prediction, truth, error) and returns its path.</summary>
        public string Panel(int index, int rank, PanelChoice from, LrVariant variant, OutputTransaction output)
        {
            Interruption.ThrowIfRequested();
            var s = _loaders[variant].Read(_source, index);
            var sr = Model.Predict(TileBatch.Collate([s]));
            var m = TileMetrics.Compute(s.Hr, sr);
            var split = _o.Split + Suffix(_o, variant);
            var name = from == PanelChoice.First
                ? $"panel-{split}-{index:D5}.png" : $"panel-{split}-{from.ToString().ToLowerInvariant()}{rank + 1}-{index:D5}.png";
            var path = Path.Combine(Folder, name);
            var nodata = s.Hr.Count(float.IsNaN);
            var id = Path.GetFileNameWithoutExtension(Card.TileFileName(index));
            var title = string.Create(CultureInfo.InvariantCulture, $"Tile {id} ({split})  ·  ×{_norm.Scale}  ·  RMSE " +
                $"{m.Rmse:0.000} K{(nodata > 0 ? $"  ·  nodata {100.0 * nodata / s.Hr.Length:0.#}%" : "")}");
            var metres = Card.BaseResolutionMetres;
            LstPipe.Figures.Figure.TilePanel(output.Stage(path), title, s.Lr, s.LrSize, sr, s.Hr, s.HrSize,
                string.Create(CultureInfo.InvariantCulture, $"{metres * _norm.Scale:0.#} m"),
                string.Create(CultureInfo.InvariantCulture, $"{metres:0.#} m"));
            return path;
        }

        /// <summary>Evaluates a chunk with one LR input: its CSV rows.</summary>
        public string Evaluate(int chunk, LrVariant variant)
        {
            using var noGrad = TorchSharp.torch.no_grad();
            var rows = new StringBuilder();
            var tiles = Tiles.Skip(chunk * ChunkTiles).Take(ChunkTiles);
            foreach (var group in tiles.Chunk(_o.BatchSize))
            {
                Interruption.ThrowIfRequested();
                using var scope = TorchSharp.torch.NewDisposeScope();
                var samples = group.Select(i => _loaders[variant].Read(_source, i)).ToArray();
                var batch = TileBatch.Collate(samples);
                var predictions = Model.Predict(batch);
                for (var b = 0; b < samples.Length; b++)
                {
                    var s = samples[b];
                    var plane = s.HrSize * s.HrSize;
                    CheckFinite(batch, b, predictions.AsSpan(b * plane, plane), variant);
                    LstCheck.Tile(predictions.AsSpan(b * plane, plane), s.HrSize, $"{_o.Checkpoint} (tile {s.Index})", OutputFix);
                    rows.Append(Row(s, predictions.AsSpan(b * plane, plane).ToArray()));
                }
            }

            return rows.ToString();
        }

        /// <summary>Refuses a tile whose prediction is not finite, naming the input pixel that caused it (its coarse LST's
        /// or a guidance channel's), and the checkpoint's weights only when every input was finite and in range.</summary>
        private void CheckFinite(TileBatch batch, int b, ReadOnlySpan<float> sr, LrVariant variant)
        {
            if (NonFiniteDiagnosis.Find(sr, batch.HrSize) is not { } bad)
            {
                return;
            }

            var id = Path.GetFileNameWithoutExtension(Card.TileFileName(batch.Indices[b]));
            var gave = string.Create(CultureInfo.InvariantCulture,
                $"{_o.Checkpoint}: the network gave {bad.Value} at pixel ({bad.Column}, {bad.Row}) of tile {id} of {_o.Dataset}");
            var lr = variant == LrVariant.Simulated ? _norm.LrLabel : Card.RealLr!.Folder;
            var names = Model.Contract?.ChannelNames ?? Card.Guidance.Select(g => g.Name).ToArray();
            throw new DataException(NonFiniteDiagnosis.Cause(batch, b, _norm, bad.Column, bad.Row) switch
            {
                null => $"{gave}, {NonFiniteDiagnosis.Blame(Model, batch, b, null)}; nothing was scored",
                { Channel: null } f => $"{gave}, because the tile's coarse LST ({lr}) is {f.Describe()} at its pixel " +
                    $"({f.Column}, {f.Row}); nothing was scored (mask such pixels as nodata and crop again)",
                { Channel: { } k } f => $"{gave}, because the tile's guidance '{names[k]}' is {f.Describe()} at its pixel " +
                    $"({f.Column}, {f.Row}); nothing was scored (mask such pixels as nodata and crop again)",
            });
        }

        /// <summary>One tile's CSV row: the model's, bicubic's and the corrected metrics and consistency errors.</summary>
        private string Row(TileSample s, float[] sr)
        {
            var bicubic = Downscaler.ToArray(Downscaler.Bicubic(s, _norm.Scale));
            var lr = CoarseTruth(s);
            var corrected = sr.ToArray();
            global::LstPipe.Inference.Consistency.Apply(corrected, s.HrSize, lr, _norm.Scale, ConsistencyMode.Radiance);
            double[] values =
            [
                .. TileMetrics.Compute(s.Hr, sr).Values,
                .. TileMetrics.Compute(s.Hr, bicubic).Values,
                .. TileMetrics.Compute(s.Hr, corrected).Values,
                global::LstPipe.Inference.Consistency.Error(sr, s.HrSize, lr, _norm.Scale),
                global::LstPipe.Inference.Consistency.Error(corrected, s.HrSize, lr, _norm.Scale),
                global::LstPipe.Inference.Consistency.Error(bicubic, s.HrSize, lr, _norm.Scale),
            ];
            return s.Index.ToString(CultureInfo.InvariantCulture) + "," +
                string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n";
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
