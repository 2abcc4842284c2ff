using System.Globalization;
using System.Text;
using LstPipe.Dataset.Cards;
using LstPipe.Figures;

namespace LstPipe.Training.Reports;

/// <summary>
/// The split map of one scene as inline SVG, in the scene's base-grid pixels (row 0 at the top, as the scene is
/// stored): the tile grid's extent, and for every tile the cell of ground nearest its centre (a step x step square
/// at the middle of the tile, so that tiles that overlap by half tile the map without hiding one another) filled with
/// its split's colour (<see cref="SplitColours"/>). Each cell carries <c>data-tile</c> (the tile index),
/// <c>data-split</c> and its <c>fill</c>, and a tooltip; grid positions skipped for nodata are outlined, dashed.
/// </summary>
internal static class SplitMap
{
    /// <summary>The SVG of one scene's tiles.</summary>
    /// <param name="scene">The scene, from the card.</param>
    /// <param name="tiles">Its tiles, from the tile index.</param>
    /// <param name="splits">The split of every tile of the dataset.</param>
    /// <param name="tileSize">Tile edge on the base grid.</param>
    /// <param name="step">Distance between tile origins on the base grid.</param>
    public static string Svg(CardScene scene, IReadOnlyList<TileRecord> tiles, TileSplits splits, int tileSize, int step)
    {
        var inv = CultureInfo.InvariantCulture;
        var width = ((scene.Columns - 1) * step) + tileSize;
        var height = ((scene.Rows - 1) * step) + tileSize;
        var inset = (tileSize - step) / 2.0;
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg class=\"map\" viewBox=\"0 0 {width} {height}\" role=\"img\" data-scene=\"{ReportHtml.Escape(scene.Id)}\" ")
            .Append(inv, $"aria-label=\"tiles of scene {ReportHtml.Escape(scene.Id)} coloured by split\" " +
                $"shape-rendering=\"crispEdges\">\n");
        svg.Append(inv, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#F7F7F7\" stroke=\"#888888\" " +
            $"vector-effect=\"non-scaling-stroke\"/>\n");
        var kept = tiles.Select(t => (t.Row, t.Col)).ToHashSet();
        for (var r = 0; r < scene.Rows; r++)
        {
            for (var c = 0; c < scene.Columns; c++)
            {
                if (!kept.Contains((r, c)))
                {
                    svg.Append(inv, $"<rect class=\"skipped\" x=\"{(c * step) + inset}\" y=\"{(r * step) + inset}\" " +
                        $"width=\"{step}\" height=\"{step}\" fill=\"#FFFFFF\" ")
                        .Append("stroke=\"#999999\" stroke-dasharray=\"3 2\" vector-effect=\"non-scaling-stroke\">")
                        .Append(inv, $"<title>row {r}, col {c}: skipped for nodata</title></rect>\n");
                }
            }
        }

        foreach (var t in tiles)
        {
            var split = splits.Labels[t.Index];
            svg.Append(inv, $"<rect data-tile=\"{t.Index}\" data-split=\"{split}\" x=\"{t.X + inset}\" y=\"{t.Y + inset}\" " +
                $"width=\"{step}\" height=\"{step}\" ")
                .Append(inv, $"fill=\"{SplitColours.Hex(split)}\" stroke=\"#FFFFFF\" stroke-width=\"0.5\" " +
                    $"vector-effect=\"non-scaling-stroke\">")
                .Append(inv, $"<title>tile {ReportHtml.Escape(t.Name)}: {split} (row {t.Row}, col {t.Col}; " +
                    $"{100 * t.ValidFraction:0.#}% valid)</title></rect>\n");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
