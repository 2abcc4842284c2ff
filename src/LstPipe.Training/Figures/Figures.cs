using System.Globalization;
using LstPipe.Raster.Gdal;

namespace LstPipe.Training.Figures;

/// <summary>The PNG figures of <c>lstpipe test</c>: tile panels and the training curve.</summary>
public static class Figures
{
    private static readonly (byte, byte, byte) Black = (0, 0, 0);

    /// <summary>Four panels side by side: the LR input, the prediction and the truth on one temperature scale, and the
    /// error (prediction - truth) on a symmetric blue-white-red scale; a labelled colour bar under each.</summary>
    public static void TilePanel(string path, string title, float[] lr, int lrSize, float[] sr, float[] hr, int hrSize)
    {
        var zoom = Math.Max(1, 192 / hrSize);
        var lrZoom = zoom * hrSize / lrSize;
        var side = hrSize * zoom;
        const int gap = 16, top = 36, bar = 10;
        var canvas = new Canvas(4 * side + 5 * gap, top + side + bar + 30);
        canvas.Text(gap, 6, title, 2);
        var valid = hr.Concat(lr).Where(v => !float.IsNaN(v)).ToArray();
        double lo = valid.Min(), hi = valid.Max();
        var error = sr.Zip(hr, (p, t) => p - t).ToArray();
        var e = Math.Max(1e-3, error.Where(v => !float.IsNaN(v)).Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max());
        var panels = new (string Name, float[] Values, int Size, int Zoom, double Lo, double Hi, Func<double, (byte, byte,
            byte)> Map, string Unit)[]
        {
            ("LR INPUT", lr, lrSize, lrZoom, lo, hi, ColourMaps.Temperature, "K"),
            ("PREDICTION", sr, hrSize, zoom, lo, hi, ColourMaps.Temperature, "K"),
            ("TRUTH", hr, hrSize, zoom, lo, hi, ColourMaps.Temperature, "K"),
            ("ERROR", error, hrSize, zoom, -e, e, ColourMaps.Error, "K"),
        };
        for (var i = 0; i < panels.Length; i++)
        {
            var p = panels[i];
            var x = gap + i * (side + gap);
            canvas.Text(x, top - 12, p.Name);
            canvas.Image(x, top, p.Values, p.Size, p.Size, p.Zoom, p.Lo, p.Hi, p.Map);
            for (var q = 0; q < side; q++)
            {
                canvas.Fill(x + q, top + side + 4, 1, bar, p.Map((double)q / (side - 1)));
            }

            canvas.Text(x, top + side + bar + 8, Format(p.Lo));
            var hiText = Format(p.Hi) + " " + p.Unit;
            canvas.Text(x + side - 6 * hiText.Length, top + side + bar + 8, hiText);
        }

        PngWriter.Write(path, canvas.Width, canvas.Height, canvas.Pixels);
    }

    /// <summary>Scene-sized panels side by side (<paramref name="width"/> x <paramref name="height"/> each, row-major,
    /// NaN grey): temperatures on one shared scale, error panels on a symmetric blue-white-red scale, each with a
    /// labelled colour bar.</summary>
    public static void ScenePanels(string path, string title, int width, int height, IReadOnlyList<(string Name, float[] Values,
        bool Error)> panels)
    {
        var zoom = Math.Max(1, 240 / Math.Max(width, height));
        var (pw, ph) = (width * zoom, height * zoom);
        const int gap = 16, top = 36, bar = 10;
        var canvas = new Canvas(Math.Max(panels.Count * (pw + gap) + gap, (6 * 2 * title.Length) + (2 * gap)), top + ph + bar + 30);
        canvas.Text(gap, 6, title, 2);
        var temperatures = panels.Where(p => !p.Error).SelectMany(p => p.Values).Where(v => !float.IsNaN(v)).DefaultIfEmpty(0).ToArray();
        double lo = temperatures.Min(), hi = temperatures.Max();
        for (var i = 0; i < panels.Count; i++)
        {
            var p = panels[i];
            var e = p.Error ? Math.Max(1e-3,
                p.Values.Where(v => !float.IsNaN(v)).Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max()) : 0;
            var (plo, phi, map) = p.Error ? (-e, e, (Func<double, (byte, byte, byte)>)ColourMaps.Error) : (lo, hi, ColourMaps.Temperature);
            var x = gap + (i * (pw + gap));
            canvas.Text(x, top - 12, p.Name);
            canvas.Image(x, top, p.Values, height, width, zoom, plo, phi, map);
            for (var q = 0; q < pw; q++)
            {
                canvas.Fill(x + q, top + ph + 4, 1, bar, map((double)q / Math.Max(1, pw - 1)));
            }

            canvas.Text(x, top + ph + bar + 8, Format(plo));
            var hiText = Format(phi) + " K";
            canvas.Text(x + pw - (6 * hiText.Length), top + ph + bar + 8, hiText);
        }

        PngWriter.Write(path, canvas.Width, canvas.Height, canvas.Pixels);
    }

    /// <summary>The training loss per iteration (grey line) and the validation RMSE (red squares) from <c>log.csv</c>,
    /// with a legend in the upper right.</summary>
    public static void TrainingCurve(string path, string logCsv)
    {
        var rows = File.ReadAllLines(logCsv).Skip(1).Select(l => l.Split(',')).Where(p => p.Length >= 4).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var it = rows.Select(r => double.Parse(r[0], inv)).ToArray();
        var loss = rows.Select(r => double.Parse(r[1], inv)).ToArray();
        var val = rows.Select(r => r[3].Length > 0 ? double.Parse(r[3], inv) : double.NaN).ToArray();
        const int w = 720, h = 400, left = 70, right = 20, top = 40, bottom = 50;
        var canvas = new Canvas(w, h);
        canvas.Text(left, 10, "TRAINING L1 LOSS AND VALIDATION RMSE (K)", 2);
        var all = loss.Concat(val.Where(v => !double.IsNaN(v))).ToArray();
        double ylo = 0, yhi = Math.Max(1e-6, all.Max() * 1.25), xlo = it.Min(), xhi = Math.Max(it.Max(), xlo + 1);
        int X(double v) => left + (int)((v - xlo) / (xhi - xlo) * (w - left - right));
        int Y(double v) => h - bottom - (int)((v - ylo) / (yhi - ylo) * (h - top - bottom));
        canvas.Line(left, h - bottom, w - right, h - bottom, Black);
        canvas.Line(left, top, left, h - bottom, Black);
        for (var i = 1; i < it.Length; i++)
        {
            canvas.Line(X(it[i - 1]), Y(loss[i - 1]), X(it[i]), Y(loss[i]), (60, 60, 60));
        }

        for (var i = 0; i < it.Length; i++)
        {
            if (!double.IsNaN(val[i]))
            {
                canvas.Fill(X(it[i]) - 3, Y(val[i]) - 3, 7, 7, (200, 30, 30));
            }
        }

        var legend = w - right - 150;
        canvas.Line(legend, top + 8, legend + 16, top + 8, (60, 60, 60));
        canvas.Text(legend + 22, top + 5, "TRAINING L1 LOSS");
        canvas.Fill(legend + 5, top + 19, 7, 7, (200, 30, 30));
        canvas.Text(legend + 22, top + 20, "VALIDATION RMSE");
        canvas.Text(4, Y(yhi) - 3, Format(yhi));
        canvas.Text(4, Y(0) - 3, "0");
        canvas.Text(left, h - bottom + 8, Format(xlo));
        var last = Format(xhi);
        canvas.Text(w - right - 6 * last.Length, h - bottom + 8, last);
        canvas.Text(left + (w - left - right) / 2 - 27, h - bottom + 24, "ITERATION");
        PngWriter.Write(path, canvas.Width, canvas.Height, canvas.Pixels);
    }

    private static string Format(double v) =>
        Math.Abs(v) >= 100 ? v.ToString("0.#", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
}
