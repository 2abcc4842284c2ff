using System.Text.RegularExpressions;
using LstPipe.Core.IO;

namespace LstPipe.Cli.Tests.Commands;

/// <summary>A synthetic scene cropped and split spatially by the CLI, once for the class.</summary>
public sealed class SpatialDatasetFixture : IDisposable
{
    public SpatialDatasetFixture()
    {
        Assert.Equal(0, CliRunner.Run("synth", "--out", Dir.File("scene"), "--size", "384", "--seed", "2").ExitCode);
        Crop = CliRunner.Run("crop", Dir.File("scene"), "--out", Dir.File("ds"), "--size", "64");
        Split = CliRunner.Run("split", "6:1:3", "--dataset", Dir.File("ds"), "--strategy", "spatial");
    }

    public TempDir Dir { get; } = new();

    public string Dataset => Dir.File("ds");

    public ProcessResult Crop { get; }

    public ProcessResult Split { get; }

    public void Dispose() => Dir.Dispose();
}

public class ReportCommandTests(SpatialDatasetFixture fixture) : IClassFixture<SpatialDatasetFixture>
{
    private static readonly string[] Channels = ["lst", "dem", "deepblue", "blue", "green", "red", "vre", "nir", "ndmvi", "ndvi", "ndwi"];

    [Fact]
    public void Crop_and_split_print_the_command_that_writes_the_report()
    {
        var expected = $"report: lstpipe report {fixture.Dataset} --out {fixture.Dataset}.report.html";
        Assert.True(fixture.Crop.ExitCode == 0, fixture.Crop.StdErr);
        Assert.True(fixture.Split.ExitCode == 0, fixture.Split.StdErr);
        Assert.Contains(expected, fixture.Crop.StdOut.Replace("\n", "", StringComparison.Ordinal));
        Assert.Contains(expected, fixture.Split.StdOut.Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void The_report_of_a_spatially_split_dataset_is_one_page_that_chromium_renders()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("report", fixture.Dataset, "--out", dir.File("report.html"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("4 images inlined, 1 scene map", r.StdOut);

        var html = File.ReadAllText(dir.File("report.html"));
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("//", Regex.Replace(html, "data:image/png;base64,[A-Za-z0-9+/=]+", ""));
        var images = Regex.Matches(html, "<img ").Count;
        Assert.True(images >= 3, $"{images} images");
        Assert.All(new[] { "train", "val", "test" }, w => Assert.Contains(w, html));
        Assert.All(Channels, c => Assert.Contains(c, html));

        var page = Chromium.Render(dir.File("report.html"));
        Assert.Empty(page.Console);
        Assert.Equal("", page.Errors);
        Assert.Equal(images, page.ImagesLoaded);
        Assert.Equal(121, Regex.Matches(page.Dom, "<rect [^>]*data-tile=").Count);
    }

    [Fact]
    public void Without_out_the_page_lands_beside_the_dataset_which_is_left_as_it_was()
    {
        var before = Hashes(fixture.Dataset);
        var r = CliRunner.Run("report", fixture.Dataset, "--samples", "0");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.True(File.Exists(fixture.Dataset + ".report.html"));
        Assert.Equal(before, Hashes(fixture.Dataset));
    }

    [Theory]
    [InlineData("--out", "INSIDE", "lies inside the dataset")]
    [InlineData("--run", "NOWHERE", "no such run folder")]
    [InlineData("--samples", "40", "--samples 40: use 0 to 12")]
    [InlineData("--curve-scale", "cubic", "--curve-scale cubic: use auto, linear or log")]
    [InlineData("--out", "report.txt", "name it NAME.html")]
    public void Bad_options_exit_2_with_one_line_and_write_nothing(string option, string value, string message)
    {
        using var dir = new TempDir();
        var path = value switch
        {
            "INSIDE" => Path.Combine(fixture.Dataset, "r.html"),
            "NOWHERE" => dir.File("no-run"),
            "report.txt" => dir.File("report.txt"),
            _ => value,
        };
        var args = new List<string> { "report", fixture.Dataset, option, path };
        if (option != "--out")
        {
            args.AddRange(["--out", dir.File("r.html")]);
        }

        CliRunner.AssertOneLineError(CliRunner.Run([.. args]), 2, message);
        Assert.Empty(Directory.GetFiles(dir.Path));
        Assert.False(File.Exists(Path.Combine(fixture.Dataset, "r.html")));
    }

    [Fact]
    public void A_run_trained_on_another_dataset_is_flagged_at_the_top_of_the_page_and_on_standard_error()
    {
        using var dir = new TempDir();
        var run = dir.File("run");
        Assert.Equal(0, CliRunner.Run("train", "--dataset", fixture.Dataset, "--out", run, "--iterations", "2", "--val-every", "2",
            "--num-feats", "4", "--n-resblocks", "1", "--reduction", "2").ExitCode);
        var own = CliRunner.Run("report", fixture.Dataset, "--run", run, "--samples", "0", "--out", dir.File("own.html"));
        Assert.True(own.ExitCode == 0, own.StdErr);
        Assert.DoesNotContain("warning", own.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"alert\"", File.ReadAllText(dir.File("own.html")), StringComparison.Ordinal);

        Assert.Equal(0, CliRunner.Run("crop", fixture.Dir.File("scene"), "--out", dir.File("other"), "--size", "32").ExitCode);
        var other = CliRunner.Run("report", dir.File("other"), "--run", run, "--samples", "0", "--out", dir.File("other.html"));
        Assert.True(other.ExitCode == 0, other.StdErr);
        Assert.Contains($"warning: {run} was trained on another dataset, 'ds' (card sha256 ", other.StdErr, StringComparison.Ordinal);
        var html = File.ReadAllText(dir.File("other.html"));
        Assert.True(html.IndexOf("class=\"alert\"", StringComparison.Ordinal) < html.IndexOf("<h2", StringComparison.Ordinal),
            "the flag stands above the first section");
    }

    [Fact]
    public void A_missing_dataset_exits_2_naming_it()
    {
        using var dir = new TempDir();
        CliRunner.AssertOneLineError(CliRunner.Run("report", dir.File("none"), "--out", dir.File("r.html")), 2, $"{dir.File("none")}: no such dataset folder");
    }

    private static SortedDictionary<string, string> Hashes(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), Checksums.Sha256),
        StringComparer.Ordinal);
}
