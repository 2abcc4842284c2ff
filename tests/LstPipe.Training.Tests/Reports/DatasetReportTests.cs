using System.Text.RegularExpressions;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Adopt;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Splits;
using LstPipe.Synthetic;
using LstPipe.Training.Reports;

namespace LstPipe.Training.Tests.Reports;

public partial class DatasetReportTests
{
    private static readonly string[] Channels = ["lst", "dem", "deepblue", "blue", "green", "red", "vre", "nir", "ndmvi", "ndvi", "ndwi"];

    /// <summary>A 384 px scene in 64 px tiles at 0.5 overlap (121 tiles), split 6:1:3 spatially.</summary>
    internal static string SpatialDataset(TempDir dir)
    {
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 384, Height = 384, Seed = 5 }.Validate(), dir.File("scene"), false, "test");
        CropProcessor.Run(new CropOptions { Scenes = [dir.File("scene")], Output = dir.File("ds"), TileSize = 64, Workers = 1 });
        SplitProcessor.Run(new SplitOptions { Dataset = dir.File("ds"), Ratio = SplitRatio.Parse("6:1:3"), Strategy = SplitStrategy.Spatial });
        return dir.File("ds");
    }

    [GeneratedRegex("<rect ([^>]*data-tile=[^>]*)>")]
    private static partial Regex TileRect();

    private static string Attribute(string attributes, string name) => Regex.Match(attributes, $"\\b{name}=\"([^\"]*)\"").Groups[1].Value;

    [Fact]
    public void Chromium_renders_the_page_without_errors_with_its_images_and_a_map_whose_colours_are_the_split_files()
    {
        using var dir = new TempDir();
        var ds = SpatialDataset(dir);
        var result = DatasetReport.Run(new ReportOptions { Dataset = ds, Output = dir.File("report.html"), Samples = 3 });
        Assert.Equal((4, 1), (result.Images, result.Maps));

        var page = Chromium.Render(dir.File("report.html"));
        Assert.Empty(page.Console);
        Assert.Equal("", page.Errors);
        Assert.Equal(4, page.ImagesLoaded);
        Assert.Equal(4, Regex.Matches(page.Dom, "<img ").Count);

        // The split files, read here as GrokLST's loader reads them: one index per line.
        var expected = Enumerable.Range(0, 121).ToDictionary(i => i, _ => ("dropped", "#BBBBBB"));
        foreach (var (split, colour) in new[] { ("train", "#4477AA"), ("val", "#CCBB44"), ("test", "#EE6677") })
        {
            foreach (var line in File.ReadAllLines(Path.Combine(ds, "split", split + ".txt")).Where(l => l.Length > 0))
            {
                expected[int.Parse(line, System.Globalization.CultureInfo.InvariantCulture)] = (split, colour);
            }
        }

        var rects = TileRect().Matches(page.Dom).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(121, rects.Length);
        var drawn = rects.ToDictionary(a => int.Parse(Attribute(a, "data-tile"), System.Globalization.CultureInfo.InvariantCulture), a => (Attribute(a, "data-split"), Attribute(a, "fill")));
        Assert.Equal(expected.OrderBy(e => e.Key), drawn.OrderBy(e => e.Key));
        Assert.Contains(drawn.Values, v => v.Item1 == "dropped");
        Assert.All(new[] { "train", "val", "test" }, s => Assert.Contains(drawn.Values, v => v.Item1 == s));
    }

    [Fact]
    public void The_page_refers_to_nothing_outside_itself_and_names_the_splits_and_channels()
    {
        using var dir = new TempDir();
        var ds = SpatialDataset(dir);
        DatasetReport.Run(new ReportOptions { Dataset = ds, Output = dir.File("report.html"), Samples = 1 });

        var html = File.ReadAllText(dir.File("report.html"));
        Assert.DoesNotContain("http:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.All(Regex.Matches(html, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value), v => Assert.StartsWith("data:image/png;base64,", v));
        Assert.All(new[] { "train", "val", "test", "leakage", "spatial" }, w => Assert.Contains(w, html, StringComparison.OrdinalIgnoreCase));
        Assert.All(Channels, c => Assert.Contains($"<code>{c}</code>", html));
        Assert.Contains("the scenes' grid, at or coarser than the sensor's resolution", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public void An_adopted_dataset_gets_a_page_without_the_map_that_says_why()
    {
        using var dir = new TempDir();
        var ds = SpatialDataset(dir);
        File.Delete(Path.Combine(ds, "dataset.json"));
        File.Delete(Path.Combine(ds, "tiles.geojson"));
        File.Delete(Path.Combine(ds, "split", "report.json"));
        GrokLstAdopter.Run(new AdoptOptions { Dataset = ds });

        var result = DatasetReport.Run(new ReportOptions { Dataset = ds, Output = dir.File("adopted.html"), Samples = 2 });
        Assert.Equal((3, 0), (result.Images, result.Maps));
        var page = Chromium.Render(dir.File("adopted.html"));
        Assert.Equal((0, "", 3), (page.Console.Count, page.Errors, page.ImagesLoaded));
        Assert.DoesNotContain("data-tile", page.Dom);
        Assert.Contains("No map: this dataset was adopted", page.Dom);
        Assert.Contains("no ground position", page.Dom);
    }

    [Fact]
    public void The_report_is_never_written_into_the_dataset_it_describes()
    {
        using var dir = new TempDir();
        var ds = SpatialDataset(dir);
        var e = Assert.Throws<UsageException>(() => DatasetReport.Run(new ReportOptions { Dataset = ds, Output = Path.Combine(ds, "report.html") }));
        Assert.Contains("lies inside the dataset", e.Message);
        Assert.False(File.Exists(Path.Combine(ds, "report.html")));
        Assert.Equal(dir.File("ds") + ".report.html", ReportOptions.DefaultOutput(ds + "/"));
    }

    [Fact]
    public void A_split_file_naming_a_tile_twice_over_is_a_data_error()
    {
        using var dir = new TempDir();
        var ds = SpatialDataset(dir);
        var test = File.ReadAllLines(Path.Combine(ds, "split", "test.txt"));
        File.AppendAllLines(Path.Combine(ds, "split", "train.txt"), [test[0]]);
        var e = Assert.Throws<DataException>(() => DatasetReport.Run(new ReportOptions { Dataset = ds, Output = dir.File("r.html") }));
        Assert.Contains($"tile {test[0]} is also in split/", e.Message);
        Assert.False(File.Exists(dir.File("r.html")));
    }

    [Fact]
    public void Sample_tiles_come_from_every_split_in_index_order()
    {
        using var dir = new TempDir();
        var ds = SpatialDataset(dir);
        var splits = TileSplits.Read(ds, 121);
        var chosen = DatasetReport.Samples(splits, 4);
        Assert.Equal(4, chosen.Count);
        Assert.Equal(chosen.Order(), chosen);
        Assert.Equal(2, chosen.Count(i => splits.Labels[i] == "test"));
        Assert.Equal(1, chosen.Count(i => splits.Labels[i] == "val"));
        Assert.Equal(1, chosen.Count(i => splits.Labels[i] == "train"));
        Assert.Empty(DatasetReport.Samples(splits, 0));
    }
}
