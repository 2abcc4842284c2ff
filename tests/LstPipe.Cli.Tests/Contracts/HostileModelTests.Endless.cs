using System.Diagnostics;

namespace LstPipe.Cli.Tests.Contracts;

/// <summary>An ONNX model with the right interface and metadata whose graph never ends (<see cref="EndlessGraph"/>):
/// <c>predict</c> and <c>test</c> stop its forward at the wall-clock limit set by the model's cost and say so in one line
/// naming the model, leaving nothing behind.</summary>
public partial class HostileModelTests
{
    private const string RanPast = "one ONNX Runtime forward of 1 tile(s) of 128 x 128 px ran past";

    [Fact]
    public void Predict_stops_an_onnx_graph_that_never_ends_with_one_line_naming_the_model()
    {
        var model = Onnx("endless", EndlessGraph.Loop);
        var folder = Directory.CreateDirectory(f.File("endless-predict")).FullName;
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run("predict", "--checkpoint", model, "--lst", f.Lr, "--guidance", f.Guidance, "--out",
            Path.Combine(folder, "sr.tif"), "--window", "128", "--batch-size", "1");
        CliRunner.AssertOneLineError(r, 1, $"{model}: {RanPast}");
        Assert.Contains("estimated from the model's size, at least 10 s) and was stopped; a graph that does not end", r.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"predict took {clock.Elapsed}");
    }

    [Fact]
    public void Test_stops_an_onnx_graph_that_never_ends_with_one_line_naming_the_model()
    {
        var model = Onnx("endless-test", EndlessGraph.Loop);
        var folder = f.File("endless-eval");
        var r = CliRunner.Run("test", "--checkpoint", model, "--dataset", f.Dataset, "--out", folder, "--panels", "0",
            "--batch-size", "1");
        CliRunner.AssertOneLineError(r, 1, $"{model}: one ONNX Runtime forward of 1 tile(s) of 64 x 64 px ran past");
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
    }
}
