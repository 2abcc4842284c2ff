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

    /// <summary>Where <c>metrics.csv</c> goes (default: beside the checkpoint).</summary>
    public string? Output { get; init; }
}

/// <summary>Per-tile metrics of a model and of the bicubic baseline on the same tiles.</summary>
/// <param name="MetricsCsv">The CSV written.</param>
/// <param name="Tiles">Tiles evaluated.</param>
/// <param name="Model">Mean metrics of the model.</param>
/// <param name="Bicubic">Mean metrics of bicubic upsampling.</param>
public sealed record EvaluateResult(string MetricsCsv, int Tiles, TileMetrics Model, TileMetrics Bicubic);

/// <summary>Evaluates a checkpoint on a split: GrokLST's metrics per tile to <c>metrics.csv</c>, means for the model
/// and for bicubic upsampling.</summary>
public static class Evaluator
{
    /// <summary>Runs the evaluation.</summary>
    public static EvaluateResult Run(EvaluateOptions o, IProgress<(int Done, int Total)>? progress = null)
    {
        using var model = Downscaler.Load(o.Checkpoint);
        var card = DatasetFolder.Load(o.Dataset).Card;
        var norm = Normalization.FromCard(card, model.Normalization.Scale) with { LstMean = model.Normalization.LstMean, LstStd = model.Normalization.LstStd };
        var loader = new TileLoader(o.Dataset, o.Format, norm);
        var tiles = TileLoader.ReadSplit(o.Dataset, o.Split);
        using var source = loader.Open();
        using var noGrad = Torch.Torch.NoGrad();
        model.Net.Eval();
        var csv = new StringBuilder("tile," + string.Join(",", TileMetrics.Names) + "," + string.Join(",", TileMetrics.Names.Select(n => "bicubic_" + n)) + "\n");
        var ours = new List<TileMetrics>();
        var bicubic = new List<TileMetrics>();
        foreach (var index in tiles)
        {
            using var scope = Torch.Torch.NewDisposeScope();
            var s = loader.Read(source, index);
            var m = TileMetrics.Compute(s.Hr, model.Forward(s).ToArray<float>());
            var b = TileMetrics.Compute(s.Hr, Downscaler.Bicubic(s, norm.Scale).ToArray<float>());
            ours.Add(m);
            bicubic.Add(b);
            csv.Append(index.ToString(CultureInfo.InvariantCulture)).Append(',')
                .AppendJoin(',', m.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(',')
                .AppendJoin(',', b.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
            progress?.Report((ours.Count, tiles.Count));
        }

        var folder = o.Output ?? Path.GetDirectoryName(Path.GetFullPath(o.Checkpoint))!;
        var path = Path.Combine(folder, $"metrics-{o.Split}.csv");
        AtomicFile.WriteAllText(path, csv.ToString());
        return new EvaluateResult(path, tiles.Count, TileMetrics.Mean(ours), TileMetrics.Mean(bicubic));
    }
}
