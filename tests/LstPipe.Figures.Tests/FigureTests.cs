using System.Globalization;
using System.Text;
using LstPipe.Core.Errors;
using LstPipe.Figures;
using Fig = LstPipe.Figures.Figure;

namespace LstPipe.Figures.Tests;

public class FigureTests
{
    private static (int, int, int) Rgb(ScottPlot.Color c) => (c.R, c.G, c.B);

    private static readonly (int, int, int) InfernoLow = Rgb(new ScottPlot.Colormaps.Inferno().GetColor(0));
    private static readonly (int, int, int) InfernoHigh = Rgb(new ScottPlot.Colormaps.Inferno().GetColor(1));
    private static readonly (int, int, int) BalanceLow = Rgb(new ScottPlot.Colormaps.Balance().GetColor(0));
    private static readonly (int, int, int) BalanceHigh = Rgb(new ScottPlot.Colormaps.Balance().GetColor(1));

    /// <summary>A tile whose values depend on the column only (a ramp from 280 to 300 K), or on the row.</summary>
    private static float[] Ramp(int size, bool byRow, double lo = 280, double hi = 300) =>
        Enumerable.Range(0, size * size).Select(i => (float)(lo + ((hi - lo) * (byRow ? size - 1 - (i / size) : i % size) / (size - 1)))).ToArray();

    private static float[] BlockMean(float[] hr, int size, int scale)
    {
        var n = size / scale;
        var lr = new float[n * n];
        for (var i = 0; i < hr.Length; i++)
        {
            lr[(i / size / scale * n) + (i % size / scale)] += hr[i] / (scale * scale);
        }

        return lr;
    }

    [Fact]
    public void A_tile_panel_has_four_panels_a_temperature_and_an_error_colour_bar()
    {
        using var dir = new TempDir();
        var hr = Ramp(64, byRow: false);
        var sr = hr.Select((v, i) => v + (float)(((i % 64) - 31.5) / 31.5)).ToArray();
        Fig.TilePanel(dir.File("p.png"), "Tile 00007 (test)  ·  ×4  ·  RMSE 0.577 K", BlockMean(hr, 64, 4), 16, sr, hr, 64, "120 m", "30 m");

        var png = PngImage.Read(dir.File("p.png"));
        Assert.Equal(("PNG", 3), (png.Driver, png.BandCount));
        Assert.Equal((1892, 508), (png.Width, png.Height));
        // The panels vary along rows only, so a column that rises through a colour map is a colour bar: the shared
        // temperature bar right of the truth, the error bar right of the error panel.
        var temperatureBar = png.ColumnsRisingFromTo(InfernoLow, InfernoHigh, 12);
        var errorBar = png.ColumnsRisingFromTo(BalanceLow, BalanceHigh, 12);
        Assert.InRange(temperatureBar.Count, 14, 24);
        Assert.InRange(errorBar.Count, 14, 24);
        Assert.True(temperatureBar.Max() < errorBar.Min(), "the temperature bar comes before the error panel and its bar");
        Assert.True(temperatureBar.Max() - temperatureBar.Min() < 30, "one temperature colour bar for LR, prediction and truth");
    }

    [Fact]
    public void Row_0_of_a_tile_is_drawn_at_the_top()
    {
        using var dir = new TempDir();
        var hr = Ramp(32, byRow: true);
        Fig.TilePanel(dir.File("p.png"), "rows", BlockMean(hr, 32, 2), 16, hr, hr, 32);

        var png = PngImage.Read(dir.File("p.png"));
        var hotAbove = png.ColumnsRisingFromTo(InfernoLow, InfernoHigh, 12).Count;
        var coldAbove = png.ColumnsRisingFromTo(InfernoHigh, InfernoLow, 12).Count;
        Assert.True(hotAbove > 2 * 190 * 2 * 0.9, $"{hotAbove} columns with the hot first rows above the cold last ones");
        Assert.Equal(0, coldAbove);
    }

    [Fact]
    public void Scene_panels_keep_the_scene_s_aspect_and_grey_out_nodata()
    {
        using var dir = new TempDir();
        var (w, h) = (120, 60);
        var values = Enumerable.Range(0, w * h).Select(i => i % w < 20 ? float.NaN : 290f + (i % 7)).ToArray();
        Fig.ScenePanels(dir.File("q.png"), "scene", w, h, [("Coarse input", values, false), ("Output", values, false)]);

        var png = PngImage.Read(dir.File("q.png"));
        var greys = Enumerable.Range(0, png.Width).Count(x => png.Near(x, png.Height - 60, Rgb(ScottPlot.Color.FromHex("#D9D9D9")), 2));
        Assert.InRange(greys, 2 * 2 * 20 * 0.8, 2 * 2 * 20 * 3);
        Assert.True(png.Width > 3 * png.Height, $"{png.Width} x {png.Height}: two panels twice as wide as high, side by side");
    }

    private static string Log(TempDir dir, int iterations, int period, Func<int, double> loss)
    {
        var csv = new StringBuilder("iteration,loss,lr,val_rmse\n");
        for (var i = 1; i <= iterations; i++)
        {
            var t = (i - 1) % period;
            var lr = 1e-3 * (1 + Math.Cos(Math.PI * t / period)) / 2;
            var val = i % 100 == 0 ? (0.3 + (1.0 / i)).ToString("R", CultureInfo.InvariantCulture) : "";
            csv.Append(CultureInfo.InvariantCulture, $"{i},{loss(i).ToString("R", CultureInfo.InvariantCulture)},{lr.ToString("R", CultureInfo.InvariantCulture)},{val}\n");
        }

        File.WriteAllText(dir.File("log.csv"), csv.ToString());
        return dir.File("log.csv");
    }

    [Fact]
    public void The_training_curve_marks_restarts_and_draws_the_validation_rmse()
    {
        using var dir = new TempDir();
        var noise = new Random(1);
        var log = Log(dir, 600, 200, i => (0.5 * Math.Exp(-i / 150.0)) + 0.01 + (0.02 * noise.NextDouble()));
        Assert.True(Fig.TrainingCurve(dir.File("c.png"), log));

        Assert.Equal([201.0, 401.0], TrainingLog.Read(log).Restarts());
        var png = PngImage.Read(dir.File("c.png"));
        Assert.Equal(("PNG", 3), (png.Driver, png.BandCount));
        Assert.Equal((1240, 792), (png.Width, png.Height));
        static bool Grey((int R, int G, int B) p) => Math.Abs(p.R - p.G) < 6 && Math.Abs(p.G - p.B) < 6 && p.R is > 110 and < 200;
        int GreyIn(int iteration)
        {
            var x = (int)Math.Round(2 * (64 + ((iteration - 1) / 599.0 * (620 - 128))));
            return Enumerable.Range(2 * 40, 2 * 230).Count(y => Enumerable.Range(x - 1, 3).Any(c => Grey(png[c, y])));
        }

        Assert.True(GreyIn(201) > 150, $"{GreyIn(201)} grey pixels on the restart at iteration 201");
        Assert.True(GreyIn(401) > 150, $"{GreyIn(401)} grey pixels on the restart at iteration 401");
        Assert.True(GreyIn(300) < 20, $"{GreyIn(300)} grey pixels at iteration 300, where nothing restarts");
        var red = Rgb(ScottPlot.Color.FromHex("#EE6677"));
        var reds = Enumerable.Range(0, png.Width).Sum(x => Enumerable.Range(0, png.Height / 2).Count(y => png.Near(x, y * 2, red, 10)));
        Assert.True(reds > 100, $"{reds} pixels of the validation RMSE's red");
    }

    [Fact]
    public void A_loss_falling_by_more_than_ten_is_drawn_on_a_log_scale_unless_asked_otherwise()
    {
        using var dir = new TempDir();
        var falling = TrainingLog.Read(Log(dir, 300, 300, i => 2 * Math.Exp(-i / 40.0)));
        Assert.True(Fig.UsesLogScale(falling, CurveScale.Auto));
        Assert.False(Fig.UsesLogScale(falling, CurveScale.Linear));
        var flat = TrainingLog.Read(Log(dir, 300, 300, i => 0.2 + (0.1 * Math.Exp(-i / 40.0))));
        Assert.False(Fig.UsesLogScale(flat, CurveScale.Auto));
        Assert.True(Fig.UsesLogScale(flat, CurveScale.Log));
    }

    [Fact]
    public void A_malformed_log_is_a_data_error_naming_the_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("log.csv"), "iteration,loss,lr,val_rmse\n1,0.5,0.001,\n2,oops,0.001,\n");
        var e = Assert.Throws<DataException>(() => Fig.TrainingCurve(dir.File("c.png"), dir.File("log.csv")));
        Assert.Contains("log.csv:3: '2,oops,0.001,'", e.Message);
        Assert.False(File.Exists(dir.File("c.png")));
    }

    [Fact]
    public void An_empty_log_draws_nothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("log.csv"), "iteration,loss,lr,val_rmse\n");
        Assert.False(Fig.TrainingCurve(dir.File("c.png"), dir.File("log.csv")));
        Assert.False(File.Exists(dir.File("c.png")));
    }
}
