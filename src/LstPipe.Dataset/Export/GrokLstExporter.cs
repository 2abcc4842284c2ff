using System.Globalization;
using System.Text;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Export;

/// <summary>The options of <c>lstpipe export --format groklst</c>.</summary>
public sealed record GrokLstExportOptions
{
    /// <summary>Dataset folder (made by crop, with its splits).</summary>
    public required string Dataset { get; init; }

    /// <summary>The folder to write: the original toolkit's <c>data_root</c>.</summary>
    public required string Output { get; init; }

    /// <summary>Replace a non-empty output folder (built beside it, swapped in when complete).</summary>
    public bool Force { get; init; }
}

/// <summary>What <c>lstpipe export --format groklst</c> wrote.</summary>
/// <param name="Folder">The data root.</param>
/// <param name="Files">MAT and split files written.</param>
/// <param name="Linked">How many MAT files are hard links to the dataset's (the rest are copies).</param>
/// <param name="Parameters">The normalization lines for the original configs (<c>normalization.txt</c>).</param>
public sealed record GrokLstExportResult(string Folder, int Files, int Linked, string Parameters);

/// <summary>
/// Writes a dataset as a data root that GrokLST's own toolkit loads unchanged: <c>NNm/lst</c>, <c>NNm/guidance</c>
/// with the same file names in every folder (tile k is the k-th in sorted order), and <c>split/*.txt</c>. MAT files are
/// hard-linked where the file system allows (they are already MAT 5 with zlib, which <c>scipy.io.loadmat</c> reads) and
/// copied otherwise. <c>normalization.txt</c> holds this dataset's constants in the original configs' terms, since a
/// new dataset normalizes with its own statistics. Tiles with nodata are refused: the original metrics have no mask.
/// </summary>
public static class GrokLstExporter
{
    /// <summary>Runs the export.</summary>
    /// <exception cref="UsageException">No splits, an occupied output without --force, or an output inside the dataset.</exception>
    /// <exception cref="DataException">Tiles hold nodata.</exception>
    public static GrokLstExportResult Run(GrokLstExportOptions o)
    {
        var (card, tiles) = DatasetFolder.Load(o.Dataset);
        var splitDir = Path.Combine(o.Dataset, DatasetLayout.SplitFolder);
        if (!File.Exists(Path.Combine(splitDir, "trainval.txt")) || !File.Exists(Path.Combine(splitDir, "test.txt")))
        {
            throw new UsageException($"{o.Dataset}: has no split files (split/trainval.txt, split/test.txt); make them with " +
                $"'lstpipe split 6:1:3 --dataset {o.Dataset}' first");
        }

        var holed = tiles.Count(t => t.ValidFraction < 1);
        if (holed > 0)
        {
            throw new DataException($"{o.Dataset}: {holed} of {tiles.Count} tiles hold nodata (cropped with --max-nodata " +
                $"{card.MaxNoData.ToString(CultureInfo.InvariantCulture)}); GrokLST's loader and metrics have no mask, so NaN " +
                    $"would spoil them: crop with --max-nodata 0 for this export");
        }

        using var output = OutputTransaction.Folder(o.Output, o.Force ? OutputMode.Force : OutputMode.New, "lstpipe export " +
            "--format groklst",
            [(o.Dataset, "dataset")], occupied: $"{o.Output}: exists and is not empty; choose another --out or pass --force");
        var work = output.Path;
        var (files, linked) = (0, 0);
        foreach (var scale in card.Scales)
        {
            foreach (var kind in new[] { DatasetLayout.LstFolder, DatasetLayout.GuidanceFolder })
            {
                var into = Directory.CreateDirectory(Path.Combine(work, scale.Label, kind)).FullName;
                for (var i = 0; i < card.TileCount; i++)
                {
                    var name = card.TileFileName(i);
                    linked += HardLink.TryCreate(Path.Combine(o.Dataset, scale.Label, kind, name), Path.Combine(into, name)) ? 1 : 0;
                    files++;
                }
            }
        }

        var split = Directory.CreateDirectory(Path.Combine(work, DatasetLayout.SplitFolder)).FullName;
        foreach (var f in Directory.GetFiles(splitDir, "*.txt"))
        {
            File.Copy(f, Path.Combine(split, Path.GetFileName(f)));
            files++;
        }

        var parameters = Parameters(card);
        File.WriteAllText(Path.Combine(work, "normalization.txt"), parameters);
        output.Commit();
        return new GrokLstExportResult(output.FinalPath, files, linked, parameters);
    }

    /// <summary>This dataset's constants as the original configs spell them: guidance statistics at the base scale and
    /// the LR LST statistics of each scale.</summary>
    private static string Parameters(DatasetCard card)
    {
        var inv = CultureInfo.InvariantCulture;
        var hr = card.Scales.First(s => s.Factor == 1);
        var text = new StringBuilder($"# Normalization constants of this dataset (lstpipe {Core.ToolInfo.Version}), in the " +
            $"original configs' terms.\n");
        text.Append(inv, $"# Guidance: {hr.Label} statistics.\ngui_norm_paras = dict(\n");
        foreach (var g in card.Guidance)
        {
            var s = card.StatisticsOf(hr.Label, g.Name);
            text.Append(inv, $"    {g.Name}=dict(mean={s.Mean:0.00}, std={s.Std:0.00}, min={s.Min:0.00}, max={s.Max:0.00}),\n");
        }

        text.Append(")\nhr_guidance_data_field_name = " +
            "[").Append(string.Join(", ", card.Guidance.Select(g => $"\"{g.Name}\""))).Append("]\n");
        foreach (var scale in card.Scales.Where(s => s.Factor > 1))
        {
            var s = card.StatisticsOf(scale.Label, "lst");
            text.Append(inv, $"# x{scale.Factor}: data_prefix lr_lst=\"{scale.Label}/lst\", hr_lst=\"{hr.Label}/lst\", " +
                $"hr_guidance=\"{hr.Label}/guidance\"\n");
            text.Append(inv, $"lst_norm_paras_x{scale.Factor} = dict(mean={s.Mean:0.00}, std={s.Std:0.00}, min={s.Min:0.00}, " +
                $"max={s.Max:0.00})\n");
        }

        return text.ToString();
    }
}
