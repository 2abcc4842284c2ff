using System.Text;
using LstPipe.Dataset;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Tiles;
using LstPipe.Figures;

namespace LstPipe.Training.Reports;

/// <summary>The sections of the report that draw figures: channels, sample tiles and the run.</summary>
public static partial class DatasetReport
{
    private static string ChannelSection(ReportOptions o, DatasetCard card, TileSplits splits, Images images)
    {
        var summary = ChannelSummary.Compute(o.Dataset, card, splits, o.TilesPerSplit);
        var label = card.Scales[0].Label;
        var legend = summary.Sampled.Select(s => (s.Split, string.Create(Inv, $"{(s.Split == "all" ? "all tiles" : s.Split)} " +
            $"({s.Read:N0} of {s.Tiles:N0} tiles)"))).ToArray();
        var png = images.Draw(path => LstPipe.Figures.Figure.Histograms(path, $"Channels at the truth scale " +
            $"({card.Scales[0].ResolutionMetres:0.#} m), by split", summary.Histograms, legend))!;
        var sampled = string.Join(", ", summary.Sampled.Select(s => string.Create(Inv, $"{s.Read:N0} of the {s.Tiles:N0} " +
            $"{(s.Split == "all" ? "" : s.Split + " ")}tiles")));
        var body = new StringBuilder(ReportHtml.Figure(png, "histograms of every channel by split",
            $"Density of each channel's values at the truth scale ({ReportHtml.Escape(label)}), per split, over the channel's " +
                $"range in the card; " +
            $"read from {sampled}, evenly spread through each split."));
        var headers = new List<string> { "Channel", "Unit", "Description" };
        headers.AddRange(summary.Sampled.Select(s => "#" + (s.Split == "all" ? "all tiles" : s.Split) + " mean ± sd"));
        headers.Add("#all tiles min – max");
        var descriptions = new[] { "land-surface temperature" }.Concat(card.Guidance.Select(g => g.Description)).ToArray();
        var rows = summary.Histograms.Select((h, c) =>
        {
            var all = card.StatisticsOf(label, h.Name);
            var row = new List<string> { $"<code>{ReportHtml.Escape(h.Name)}</code>", ReportHtml.Escape(h.Unit),
                ReportHtml.Escape(descriptions[c]) };
            var format = Decimals(all.Max - all.Min);
            row.AddRange(summary.Sampled.Select(s => summary.Moments[c][s.Split] is var m && m.Count > 0
                ? $"{m.Mean.ToString(format, Inv)} ± {m.Std.ToString(format, Inv)}"
                : "–"));
            row.Add($"{all.Min.ToString(format, Inv)} – {all.Max.ToString(format, Inv)}");
            return (IReadOnlyList<string>)row;
        });
        body.Append(ReportHtml.Table(headers, rows));
        return ReportHtml.Section("channels", "Channels", body.ToString());
    }

    private static string SampleSection(ReportOptions o, DatasetCard card, IReadOnlyList<TileRecord> tiles, TileSplits splits,
        Images images)
    {
        var chosen = Samples(splits, o.Samples);
        if (chosen.Count == 0)
        {
            return "";
        }

        var extra = card.Guidance.FirstOrDefault(g => g.Name == "ndvi") ?? card.Guidance.FirstOrDefault();
        using var source = Directory.Exists(Path.Combine(o.Dataset, card.Scales[0].Label, DatasetLayout.LstFolder))
            ? TileSource.OpenMat(o.Dataset)
            : TileSource.OpenParquet(o.Dataset);
        var body = new StringBuilder();
        foreach (var index in chosen)
        {
            var panels = card.Scales.Select(scale =>
            {
                var t = source.Read(index, scale.Label);
                var title = string.Create(Inv, $"LST, {scale.ResolutionMetres:0.#} m") + (scale.Factor > 1 ? $" (×{scale.Factor})" : "");
                return new MapPanel(title, t.Lst, t.Width, t.Height, "LST (K)");
            }).ToList();
            if (extra is not null)
            {
                var t = source.Read(index, card.Scales[0].Label);
                var unit = extra.Unit is "1" or "" ? extra.Name : $"{extra.Name} ({extra.Unit})";
                var values = t.Guidance[card.Guidance.ToList().IndexOf(extra)];
                panels.Add(new MapPanel(string.Create(Inv, $"{extra.Name}, {card.Scales[0].ResolutionMetres:0.#} " +
                    $"m"), values, t.Width, t.Height, unit, Palette.Sequential));
            }

            var record = tiles[index];
            var name = Path.GetFileNameWithoutExtension(card.TileFileName(index));
            var where = card.IsAdopted ? "" : string.Create(Inv, $"  ·  {record.Scene}, row {record.Row}, col {record.Col}");
            var split = splits.Labels[index] == "unassigned" ? "" : $" ({splits.Labels[index]})";
            var png = images.Draw(path => LstPipe.Figures.Figure.Panels(path, $"Tile {name}{split}{where}", panels,
                panels.Count > 4 ? 150 : 180))!;
            body.Append(ReportHtml.Figure(png, $"tile {name} at every scale",
                $"Tile {ReportHtml.Escape(name)}{ReportHtml.Escape(split)}: LST at every scale on one colour scale (the coarse " +
                    $"levels are block means of the truth)" +
                (extra is null ? "." : $", and <code>{ReportHtml.Escape(extra.Name)}</code> at the truth scale.")));
        }

        return ReportHtml.Section("samples", "Sample tiles at every scale", body.ToString());
    }

    /// <summary>Up to <paramref name="count"/> tiles to draw: spread over the test, val and train splits in turn (or
    /// over all tiles when there is no split), each from the middle of an equal share of its split, in index order.</summary>
    internal static IReadOnlyList<int> Samples(TileSplits splits, int count)
    {
        var lists = (splits.HasSplit ? new[] { "test", "val", "train" }.Select(splits.Of) : [Enumerable.Range(0,
            splits.Labels.Count).ToArray()])
            .Where(l => l.Count > 0).ToArray();
        var chosen = new List<int>();
        for (var k = 0; k < lists.Length; k++)
        {
            var picks = Math.Min(lists[k].Count, (count / lists.Length) + (k < count % lists.Length ? 1 : 0));
            chosen.AddRange(Enumerable.Range(0, picks).Select(i => lists[k][(int)(((2L * i) + 1) * lists[k].Count / (2L * picks))]));
        }

        return chosen.Order().ToArray();
    }

    private static string RunSection(string run, ReportOptions o, Images images, string? mismatch)
    {
        var body = new StringBuilder();
        if (mismatch is not null)
        {
            body.Append(Inv, $"<p class=\"alert\">Not trained on this dataset: {ReportHtml.Escape(mismatch)}.</p>\n");
        }

        var describe = RunConfig.Describe(run);
        var log = Path.Combine(run, "log.csv");
        var curve = File.Exists(log) ? images.Draw(path => LstPipe.Figures.Figure.TrainingCurve(path, log, o.CurveScale,
            $"Training of {describe}")) : null;
        body.Append(curve is null
            ? $"<p class=\"note\">{ReportHtml.Escape(log)}: no training log with rows, so no curve.</p>\n"
            : ReportHtml.Figure(curve, "training curve",
                "Training L1 loss per iteration (faint) and smoothed, validation RMSE (right axis), learning rate below; dashed " +
                    "lines mark the schedule's restarts."));
        var files = TestTable.Find(run);
        if (files.Count == 0)
        {
            body.Append(Inv, $"<p class=\"note\">No <code>metrics-*.csv</code> in {ReportHtml.Escape(run)}: <code>lstpipe test " +
                $"--checkpoint {ReportHtml.Escape(Path.Combine(run, "best.safetensors"))} --dataset " +
                    $"{ReportHtml.Escape(o.Dataset)}</code> writes them.</p>\n");
        }

        foreach (var table in files.Select(TestTable.Read))
        {
            body.Append(Inv, $"<h3>Split <code>{ReportHtml.Escape(table.Split)}</code>: {table.Tiles:N0} tiles</h3>\n");
            body.Append(ReportHtml.Table(["Output", "#RMSE (K)", "#MAE (K)", "#BIAS (K)", "#CC", "#RSD",
                "#Consistency error (K)"], table.Rows.Select(r => (IReadOnlyList<string>)
            [
                ReportHtml.Escape(r.Output), .. r.Means.Select(v => ReportHtml.Number(v,
                    "0.0000")), ReportHtml.Number(r.Consistency, "0.0000"),
            ])));
            body.Append(Inv, $"<p class=\"muted\">Means over the tiles of " +
                $"<code>{ReportHtml.Escape(Path.GetRelativePath(run, table.Path))}</code>, in Kelvin, as <code>lstpipe " +
                    $"test</code> prints them; ")
                .Append("the consistency error is the RMSE between each output's block means and the LR input.</p>\n");
        }

        return ReportHtml.Section("run", $"Run: {describe}", body.ToString());
    }

    /// <summary>The format that shows a channel whose values span <paramref name="range"/> to about a thousandth of it.</summary>
    private static string Decimals(double range)
    {
        var digits = double.IsFinite(range) && range > 0 ? Math.Clamp(2 - (int)Math.Floor(Math.Log10(range)), 0, 8) : 3;
        return digits == 0 ? "0" : "0." + new string('0', digits);
    }
}
