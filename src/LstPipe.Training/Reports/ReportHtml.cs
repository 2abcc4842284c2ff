using System.Globalization;
using System.Net;
using System.Text;

namespace LstPipe.Training.Reports;

/// <summary>The HTML pieces of the report: the page with its style sheet, sections, tables and figures whose PNG is
/// inlined as a <c>data:</c> URI. Nothing refers outside the page: no links to load, no web fonts, no script.</summary>
internal static class ReportHtml
{
    private const string Style = """
        :root { color-scheme: light; }
        body { margin: 0; background: #FFFFFF; color: #222222; font: 15px/1.5 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; font-weight: 700; }
        h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #DDDDDD; font-weight: 700; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        p { margin: 6px 0 10px; max-width: 900px; }
        .lead { font-size: 16px; color: #333333; }
        .muted, figcaption { color: #666666; font-size: 13px; }
        .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin: 18px 0; }
        .fact { border: 1px solid #E2E2E2; border-radius: 6px; padding: 8px 12px; }
        .fact b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
        .fact span { color: #666666; font-size: 12px; }
        table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #E6E6E6; text-align: left; vertical-align: top; }
        th { border-bottom: 1.5px solid #999999; font-weight: 600; }
        td.n, th.n { text-align: right; white-space: nowrap; }
        code { font: 12px "DejaVu Sans Mono", monospace; background: #F4F4F4; padding: 1px 4px; border-radius: 3px; }
        figure { margin: 12px 0 20px; }
        figure img { display: block; max-width: 100%; height: auto; }
        .maps { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
        .maps figure { margin: 0; flex: 0 1 460px; }
        svg.map { width: 100%; height: auto; display: block; }
        .legend { display: flex; flex-wrap: wrap; gap: 16px; margin: 8px 0; font-size: 13px; }
        .legend i { display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: -2px; border: 1px solid #AAAAAA; }
        .note { border-left: 3px solid #CCBB44; padding: 4px 12px; background: #FBFAF0; }
        .alert { border-left: 4px solid #BB4444; padding: 6px 12px; background: #FBEFEF; font-size: 16px; }
        footer { margin-top: 40px; color: #888888; font-size: 12px; }
        """;

    /// <summary>HTML-escapes text.</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>The whole page.</summary>
    public static string Page(string title, string body) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Escape(title)}</title>
        <style>
        {Style}
        </style>
        </head>
        <body>
        <main>
        {body}
        </main>
        </body>
        </html>

        """;

    /// <summary>A section with a heading.</summary>
    public static string Section(string id, string heading, string body) =>
        $"<section id=\"{id}\">\n<h2>{Escape(heading)}</h2>\n{body}\n</section>\n";

    /// <summary>A table; cells are HTML already; columns whose header starts with <c>#</c> are right-aligned numbers
    /// (the <c>#</c> is not shown).</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? cssClass = null)
    {
        var numeric = headers.Select(h => h.StartsWith('#')).ToArray();
        var sb = new StringBuilder(cssClass is null ? "<table>\n<thead><tr>" : $"<table class=\"{cssClass}\">\n<thead><tr>");
        for (var i = 0; i < headers.Count; i++)
        {
            sb.Append(numeric[i] ? "<th class=\"n\">" : "<th>").Append(Escape(headers[i].TrimStart('#'))).Append("</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                sb.Append(i < numeric.Length && numeric[i] ? "<td class=\"n\">" : "<td>").Append(row[i]).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        return sb.Append("</tbody>\n</table>\n").ToString();
    }

    /// <summary>A figure: the PNG inlined, shown at 1.25 CSS pixels per point of its layout (figures are drawn at two
    /// pixels per point, so they stay sharp; their 9-10 pt text reads at 11-12 px) or the page's width, whichever is
    /// less, with a caption (HTML).</summary>
    public static string Figure(byte[] png, string alt, string caption)
    {
        var width = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4));
        return string.Create(CultureInfo.InvariantCulture,
            $"<figure>\n<img alt=\"{Escape(alt)}\" width=\"{width * 5 / 8}\" " +
                $"src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">\n<figcaption>{caption}</figcaption>\n</figure>\n");
    }

    /// <summary>A number with a fixed count of decimals, or a dash for NaN.</summary>
    public static string Number(double value, string format = "0.000") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";

    /// <summary>A share as a percentage.</summary>
    public static string Percent(double share, string format = "0.0") =>
        double.IsFinite(share) ? (100 * share).ToString(format, CultureInfo.InvariantCulture) + " %" : "–";
}
