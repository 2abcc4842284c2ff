using System.Globalization;
using System.Text;
using System.Text.Json;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Dataset;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Splits;
using LstPipe.Figures;

namespace LstPipe.Training.Reports;

/// <summary>
/// <c>lstpipe report</c>: one self-contained HTML page that says what a dataset is in a minute: its card (source,
/// sensor, truth and how it was made, scales, tiles), a map of its tiles over each scene coloured by split with the
/// spatial buffer and the leakage, per-channel histograms and statistics per split, sample tiles at every scale and,
/// for a run folder, the training curve and the test metrics. Figures are PNG inlined as <c>data:</c> URIs and the
/// map is inline SVG, so the page opens from a file with nothing to load.
/// </summary>
public static partial class DatasetReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the report through the output's transaction (its lock taken, the page staged and renamed when
    /// whole); the dataset is watched while it is read, so a dataset rewritten meanwhile is the lock message.</summary>
    /// <exception cref="Core.Errors.UsageException">A bad option, a missing dataset or run, an output inside the dataset,
    /// or another lstpipe writing the output or the dataset.</exception>
    /// <exception cref="Core.Errors.DataException">The dataset's files are damaged or disagree.</exception>
    public static ReportResult Run(ReportOptions options, Action<string>? progress = null)
    {
        var o = options.Validate();
        using var output = OutputTransaction.Files(o.OutputPath, "lstpipe report", [(o.Dataset, "dataset")]);
        var watch = InputWatch.Start(o.Dataset);
        var (html, result) = watch.Read(() => Build(o, progress ?? (_ => { })));
        var staged = output.Stage(o.OutputPath);
        Core.Errors.WriteFailure.Guard(staged, () => File.WriteAllText(staged, html));
        output.Commit();
        return result;
    }

    private static (string Html, ReportResult Result) Build(ReportOptions o, Action<string> progress)
    {
        var (card, tiles) = DatasetFolder.Load(o.Dataset);
        var splits = TileSplits.Read(o.Dataset, card.TileCount);
        var report = ReadSplitReport(o.Dataset);
        var scratch = Directory.CreateTempSubdirectory("lstpipe-report-");
        try
        {
            var images = new Images(scratch.FullName);
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(o.Dataset)));
            var body = new StringBuilder();
            var mismatch = o.Run is { } trained ? RunDataset.Mismatch(trained, o.Dataset) : null;
            body.Append(Overview(o.Dataset, name, card, splits, report));
            if (mismatch is not null)
            {
                body.Append(Inv, $"<p class=\"alert\"><b>Another dataset's run.</b> {ReportHtml.Escape(mismatch)}.</p>\n");
            }

            body.Append(CardSection(o.Dataset, card));
            body.Append(MapSection(o.Dataset, card, tiles, splits, report));
            progress("reading tiles for the channel statistics");
            body.Append(ChannelSection(o, card, splits, images));
            progress("drawing sample tiles");
            body.Append(SampleSection(o, card, tiles, splits, images));
            if (o.Run is { } run)
            {
                body.Append(RunSection(run, o, images, mismatch));
            }

            body.Append(CultureInfo.InvariantCulture, $"<footer>Made by lstpipe {ReportHtml.Escape(Core.ToolInfo.Version)}")
                .Append(o.Command.Length > 0 ? $": <code>{ReportHtml.Escape(o.Command)}</code>" : "").Append(".</footer>\n");
            var html = ReportHtml.Page($"{name}: lstpipe dataset report", body.ToString());
            return (html, new ReportResult(o.OutputPath, images.Count, card.IsAdopted ? 0 : card.Scenes.Count,
                Encoding.UTF8.GetByteCount(html), mismatch));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static SplitReport? ReadSplitReport(string dataset)
    {
        var path = Path.Combine(dataset, DatasetLayout.SplitFolder, "report.json");
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SplitReport>(File.ReadAllText(path), JsonDefaults.Options) : null;
        }
        catch (JsonException)
        {
            throw new Core.Errors.DataException($"{path}: not a split report; make the splits again with 'lstpipe split'");
        }
    }

    private static string Overview(string dataset, string name, DatasetCard card, TileSplits splits, SplitReport? report)
    {
        var truth = Inference.Contracts.DataContract.FromCard(card, card.Scales.Count > 1 ? card.Scales[1].Factor : 1, "card", null)
            .Truth.Describe();
        var metres = string.Join(", ", card.Scales.Select(s => s.ResolutionMetres.ToString("0.#", Inv))) + " m";
        var factors = string.Join(", ", card.Scales.Select(s => "×" + s.Factor.ToString(Inv)));
        var sb = new StringBuilder();
        sb.Append(Inv, $"<h1>{ReportHtml.Escape(name)}</h1>\n<p class=\"lead\">{card.TileCount:N0} tiles of {card.TileSize} × " +
            $"{card.TileSize} px ");
        sb.Append(card.IsAdopted
            ? "adopted from a GrokLST-layout folder made elsewhere"
            : string.Create(Inv, $"cropped from {card.Scenes.Count} scene{(card.Scenes.Count == 1 ? "" : "s")} with " +
                $"{100 * card.Overlap:0.#} % overlap"));
        sb.Append(Inv, $", at {card.Scales.Count} scales: {metres} ({factors}). Truth at {card.BaseResolutionMetres:0.#} m: " +
            $"{ReportHtml.Escape(truth)}.</p>\n");
        sb.Append("<p class=\"lead\">").Append(SplitSentence(dataset, splits, report, card)).Append("</p>\n");
        var facts = new List<(string Value, string Label)>
        {
            (card.TileCount.ToString("N0", Inv), "tiles"),
            (string.Create(Inv, $"{card.TileSize} px"), string.Create(Inv, $"tile edge " +
                $"({card.TileSize * card.BaseResolutionMetres / 1000:0.##} km)")),
            (string.Create(Inv, $"{card.BaseResolutionMetres:0.#} m"), "truth resolution"),
            (string.Create(Inv, $"×{card.Scales[0].Factor}–×{card.Scales[^1].Factor}"), string.Create(Inv,
                $"{card.Scales.Count} scales, {card.Scales[0].ResolutionMetres:0.#}–{card.Scales[^1].ResolutionMetres:0.#} m")),
            ((1 + card.Guidance.Count).ToString(Inv), "channels (LST + guidance)"),
        };
        facts.AddRange(splits.HasSplit
            ? TileSplits.Parts.Select(p => (splits.Of(p).Count.ToString("N0", Inv), p + " tiles"))
            : [("none", "split")]);
        if (report is not null)
        {
            facts.Add((ReportHtml.Percent(report.Leakage.TestPixelFractionSeenInTrainval), "test pixels in training tiles"));
        }

        sb.Append("<div class=\"facts\">");
        foreach (var (value, label) in facts)
        {
            sb.Append(Inv, $"<div class=\"fact\"><b>{ReportHtml.Escape(value)}</b><span>{ReportHtml.Escape(label)}</span></div>");
        }

        return sb.Append("</div>\n").ToString();
    }

    private static string SplitSentence(string dataset, TileSplits splits, SplitReport? report, DatasetCard card)
    {
        if (!splits.HasSplit)
        {
            return $"Not split yet: <code>lstpipe split 6:1:3 --dataset {ReportHtml.Escape(dataset)} --strategy spatial</code> " +
                $"splits it without leakage.";
        }

        var counts = string.Join(", ", TileSplits.Parts.Select(p => string.Create(Inv, $"{splits.Of(p).Count:N0} {p}")));
        var dropped = splits.Of("dropped").Count;
        var buffer = dropped > 0 ? string.Create(Inv, $", {dropped:N0} dropped as the buffer between them") : "";
        if (report is null)
        {
            return card.IsAdopted
                ? $"Split as it came: {counts} tiles{buffer}; its leakage cannot be measured without the tiles' ground."
                : $"Split: {counts} tiles{buffer}; split/report.json is missing, so the leakage is unknown.";
        }

        var l = report.Leakage;
        return string.Create(Inv, $"Split {ReportHtml.Escape(report.Strategy)}ly {ReportHtml.Escape(report.Ratio)} (seed " +
            $"{report.Seed}): {counts} tiles{buffer}. ") +
            (l.TestPixelFractionSeenInTrainval > 0
                ? string.Create(Inv, $"<b>{ReportHtml.Percent(l.TestPixelFractionSeenInTrainval)} of the test pixels lie in " +
                    $"train or val tiles</b> ({l.TestTilesSharingPixelsWithTrainval} of {l.TestTiles} test tiles share pixels " +
                        $"with them): test metrics are optimistic.")
                : "No test pixel lies in a train or val tile.");
    }

    private static string CardSection(string dataset, DatasetCard card)
    {
        var sensors = card.Scenes.Select(s => s.Sensor).OfType<string>().Distinct().ToArray();
        var natives = card.Scenes.Select(s => s.NativeResolutionMetres).OfType<double>().Distinct().Select(v
            => v.ToString("0.#", Inv) + " m").ToArray();
        var howTruth = card switch
        {
            { TruthResampledFrom: { } from } => string.Create(Inv, $"resampled onto {card.BaseResolutionMetres:0.#} m from the " +
                $"sensor's {from:0.#} m (<code>truthResampledFrom</code>): it holds no finer detail than {from:0.#} m"),
            { TruthCoarsenedFrom: { } grid } => string.Create(Inv, $"the {grid:0.#} m scenes block-averaged onto " +
                $"{card.BaseResolutionMetres:0.#} m, what the sensor resolves (<code>truthCoarsenedFrom</code>)"),
            { IsAdopted: true } => "the finest scale folder as found (adopted)",
            _ => string.Create(Inv, $"the scenes' own {card.BaseResolutionMetres:0.#} m grid, at or coarser than what the sensor resolved"),
        };
        var rows = new List<string[]>
        {
            new[] { "Source", card.IsAdopted ? "adopted (<code>lstpipe adopt</code>): a GrokLST-layout folder made " +
                "elsewhere" : "cropped by lstpipe from scene folders (<code>lstpipe crop</code>)" },
            new[] { "Sensor", sensors.Length == 0 ? "unknown" : ReportHtml.Escape(string.Join(", ",
                sensors)) + (natives.Length > 0 ? $" (native thermal resolution {string.Join(", ", natives)})" : "") },
            new[] { "Truth", howTruth },
            new[] { "Tiles", string.Create(Inv, $"{card.TileCount:N0} of {card.TileSize} × {card.TileSize} px at the base grid, " +
                $"step {card.Step} px ({100 * card.Overlap:0.#} % overlap); at most {100 * card.MaxNoData:0.#} % nodata per tile") },
            new[] { "LST", string.Create(Inv, $"variable <code>{ReportHtml.Escape(card.Lst.Variable)}</code> in " +
                $"{ReportHtml.Escape(card.Lst.Unit)}") },
            new[] { "Guidance", string.Join(", ", card.Guidance.Select(g => $"<code>{ReportHtml.Escape(g.Name)}</code>")) },
            new[] { "Files", string.Create(Inv, $"MAT {ReportHtml.Escape(card.Mat.Version)}, " +
                $"{ReportHtml.Escape(card.Mat.Compression)}{(card.Mat.Level is { } lv ? $" level {lv}" : "")}; card " +
                    $"<code>{DatasetLayout.CardFileName}</code>") },
            new[] { "Built by", card.Provenance.Commands.Count == 0 ? "–" : string.Join("<br>",
                card.Provenance.Commands.Select(c => $"<code>{ReportHtml.Escape(c)}</code>")) },
        };
        var body = new StringBuilder(ReportHtml.Table(["Card", "Value"], rows, "card"));
        body.Append("<h3>Scales</h3>\n").Append(ReportHtml.Table(["Folder", "#Factor", "#Tile px", "#Pixel m", "#Tile km"],
            card.Scales.Select(s => (IReadOnlyList<string>)
        [
            $"<code>{ReportHtml.Escape(s.Label)}/</code>", "×"
                + s.Factor.ToString(Inv), s.TileSize.ToString(Inv), s.ResolutionMetres.ToString("0.#", Inv),
            (s.TileSize * s.ResolutionMetres / 1000).ToString("0.##", Inv),
        ])));
        if (!card.IsAdopted)
        {
            body.Append("<h3>Scenes</h3>\n").Append(ReportHtml.Table(["Scene", "Sensor", "#Native m", "#Tiles", "#Grid",
                "#Skipped (nodata)", "#Covered"], card.Scenes.Select(s => (IReadOnlyList<string>)
            [
                ReportHtml.Escape(s.Id), ReportHtml.Escape(s.Sensor
                    ?? "–"), s.NativeResolutionMetres is { } n ? n.ToString("0.#", Inv) : "–",
                string.Create(Inv, $"{s.Tiles:N0} " +
                    $"({s.FirstTile}–{s.FirstTile + s.Tiles - 1})"), string.Create(Inv, $"{s.Columns} × {s.Rows}"),
                s.SkippedNoData.ToString("N0", Inv), string.Create(Inv, $"{s.KeptCoveragePercent ?? s.CoveragePercent:0.#} %"),
            ])));
        }

        return ReportHtml.Section("card", "Dataset card", body.ToString());
    }

    private static string MapSection(string dataset, DatasetCard card, IReadOnlyList<TileRecord> tiles, TileSplits splits,
        SplitReport? report)
    {
        if (card.IsAdopted)
        {
            return ReportHtml.Section("map", "Where the tiles lie",
                "<p class=\"note\">No map: this dataset was adopted from a GrokLST-layout folder made elsewhere, so lstpipe " +
                    "knows no ground position " +
                "for its tiles (it has no <code>tiles.geojson</code>). Its split files are the ones it came with, and how much " +
                    "of its test set lies in " +
                "training tiles cannot be measured.</p>");
        }

        var body = new StringBuilder();
        body.Append("<div class=\"legend\">");
        foreach (var split in SplitColours.Names.Where(s => splits.Labels.Contains(s)))
        {
            var n = splits.Of(split).Count;
            var label = split == "dropped" ? "dropped (buffer)" : split == "unassigned" ? "not split" : split;
            body.Append(Inv, $"<span><i style=\"background:{SplitColours.Hex(split)}\"></i>{label}: {n:N0} tiles</span>");
        }

        if (card.Scenes.Any(s => s.SkippedNoData > 0))
        {
            body.Append("<span><i style=\"background:#FFFFFF;border-style:dashed\"></i>skipped for nodata</span>");
        }

        body.Append("</div>\n");
        if (report is not null)
        {
            var l = report.Leakage;
            var shares = report.AchievedShares.Count == 3 ? string.Join(" / ",
                report.AchievedShares.Select(v => ReportHtml.Percent(v, "0.#"))) : "–";
            var blocks = report.Block is { } b ? string.Create(Inv, $", blocks of {b} × {b} tiles, buffer {report.Buffer ?? 0}") : "";
            body.Append(Inv, $"<p>{ReportHtml.Escape(report.Strategy)} split {ReportHtml.Escape(report.Ratio)}, seed " +
                $"{report.Seed}{blocks}; shares of the kept tiles (train / val / test): {shares}. ")
                .Append(Inv, $"Leakage: {l.TestTilesSharingPixelsWithTrainval} of {l.TestTiles} test tiles share pixels with " +
                    $"train or val tiles; ")
                .Append(Inv, $"{ReportHtml.Percent(l.TestPixelFractionSeenInTrainval)} of the test pixels lie in them " +
                    $"({ReportHtml.Percent(l.TestPixelFractionSeenInTrain)} in train tiles alone).</p>\n");
            if (report.Warning is { } warning)
            {
                body.Append(Inv, $"<p class=\"note\">{ReportHtml.Escape(warning)}</p>\n");
            }
        }

        body.Append("<div class=\"maps\">\n");
        foreach (var scene in card.Scenes)
        {
            var own = tiles.Where(t => t.Index >= scene.FirstTile && t.Index < scene.FirstTile + scene.Tiles).ToArray();
            var km = card.BaseResolutionMetres / 1000;
            body.Append("<figure>\n").Append(SplitMap.Svg(scene, own, splits, card.TileSize, card.Step))
                .Append(Inv, $"\n<figcaption>{ReportHtml.Escape(scene.Id)}: {own.Length:N0} tiles on a {scene.Columns} × " +
                    $"{scene.Rows} grid, ")
                .Append(Inv, $"{(((scene.Columns - 1) * card.Step) + card.TileSize) * km:0.##} × " +
                    $"{(((scene.Rows - 1) * card.Step) + card.TileSize) * km:0.##} km; ")
                .Append(Inv, $"each cell is the {card.Step * km * 1000:0.#} m square at a tile's centre, north up as the scene " +
                    $"is stored.</figcaption>\n</figure>\n");
        }

        body.Append("</div>\n");
        return ReportHtml.Section("map", "Where the tiles lie, by split", body.ToString());
    }

    /// <summary>The figures drawn for the page, as PNG bytes, counted.</summary>
    private sealed class Images(string folder)
    {
        public int Count { get; private set; }

        /// <summary>Draws a figure into a scratch file and returns its bytes, or null when nothing was drawn.</summary>
        public byte[]? Draw(Action<string> draw)
        {
            var path = Path.Combine(folder, string.Create(Inv, $"figure-{Count}.png"));
            draw(path);
            if (!File.Exists(path))
            {
                return null;
            }

            Count++;
            return File.ReadAllBytes(path);
        }
    }
}
