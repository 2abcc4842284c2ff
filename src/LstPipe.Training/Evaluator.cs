using System.Globalization;
using System.Text;
using LstPipe.Core.IO;
using LstPipe.Dataset;

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
public sealed record EvaluateResult(string MetricsCsv, int Tiles, TileMetrics Model, TileMetrics Bicubic, IReadOnlyList<string> Figures, string ModelName);

/// <summary>Evaluates a checkpoint on a split: GrokLST's metrics per tile to <c>metrics.csv</c>, means for the model
/// and for bicubic upsampling. Inputs are normalized with the checkpoint's constants (those it was trained with),
/// whatever dataset is evaluated.</summary>
public static class Evaluator
{
    /// <summary>Runs the evaluation.</summary>
    public static EvaluateResult Run(EvaluateOptions o, IProgress<(int Done, int Total)>? progress = null)
    {
        var device = Torch.Torch.ParseDevice(o.Device);
        using var model = Downscaler.Load(o.Checkpoint).To(device);
        var card = DatasetFolder.Load(o.Dataset).Card;
        var labels = Normalization.FromCard(card, model.Normalization.Scale);
        if (labels.GuidanceShift.Count != model.Normalization.GuidanceShift.Count)
        {
            throw new Core.Errors.DataException(
                $"{o.Dataset}: has {labels.GuidanceShift.Count} guidance channels; the checkpoint {o.Checkpoint} was trained with {model.Normalization.GuidanceShift.Count}");
        }

        var norm = model.Normalization with { LrLabel = labels.LrLabel, HrLabel = labels.HrLabel };
        var loader = new TileLoader(o.Dataset, o.Format, norm);
        var tiles = TileLoader.ReadSplit(o.Dataset, o.Split);
        using var source = loader.Open();
        using var noGrad = Torch.Torch.NoGrad();
        model.Net.Eval();
        var csv = new StringBuilder("tile," + string.Join(",", TileMetrics.Names) + "," + string.Join(",", TileMetrics.Names.Select(n => "bicubic_" + n)) + "\n");
        var folder = o.Output ?? Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!;
        Directory.CreateDirectory(folder);
        var figures = new List<string>();
        var ours = new List<TileMetrics>();
        var bicubic = new List<TileMetrics>();
        foreach (var index in tiles)
        {
            using var scope = Torch.Torch.NewDisposeScope();
            var s = loader.Read(source, index);
            var sr = model.Forward(s).ToArray<float>();
            var m = TileMetrics.Compute(s.Hr, sr);
            if (figures.Count < o.Panels)
            {
                var png = Path.Combine(folder, $"panel-{o.Split}-{index:D5}.png");
                Figures.Figures.TilePanel(png, FormattableString.Invariant($"TILE {index} X{norm.Scale}  RMSE {m.Rmse:0.000} K"), s.Lr, s.LrSize, sr, s.Hr, s.HrSize);
                figures.Add(png);
            }

            var b = TileMetrics.Compute(s.Hr, Downscaler.Bicubic(s, norm.Scale).ToArray<float>());
            ours.Add(m);
            bicubic.Add(b);
            csv.Append(index.ToString(CultureInfo.InvariantCulture)).Append(',')
                .AppendJoin(',', m.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(',')
                .AppendJoin(',', b.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
            progress?.Report((ours.Count, tiles.Count));
        }

        var path = Path.Combine(folder, $"metrics-{o.Split}.csv");
        AtomicFile.WriteAllText(path, csv.ToString());
        var log = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!, "log.csv");
        if (File.Exists(log))
        {
            var curve = Path.Combine(folder, "training-curve.png");
            Figures.Figures.TrainingCurve(curve, log);
            figures.Add(curve);
        }

        return new EvaluateResult(path, tiles.Count, TileMetrics.Mean(ours), TileMetrics.Mean(bicubic), figures, model.Spec.Name);
    }
}
