using LstPipe.Cli.Tests.Contracts;
using Xunit.Abstractions;

namespace LstPipe.Cli.Tests;

/// <summary>Ctrl-C and SIGTERM sent to the real <c>lstpipe</c> process mid-run: inside an ONNX Runtime forward that would
/// never end, and in a libtorch training loop (which unwinds between steps, or, on a busy machine where a step outlasts
/// the grace, is ended at once). Each run stops well within the bound a busy CI machine meets (the measured time is
/// printed), exits 130 or 143 with one line, and leaves no staging file, no lock and the previous output as it
/// was.</summary>
public class SignalsTests(HostileModelFixture f, ITestOutputHelper log) : IClassFixture<HostileModelFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(SignalledRun.SigInt, 130)]
    [InlineData(SignalledRun.SigTerm, 143)]
    public void A_signal_stops_predict_inside_an_onnx_forward_and_keeps_the_previous_output(int signal, int exit)
    {
        var model = f.Onnx($"endless-{signal}", EndlessGraph.Loop);
        var folder = Directory.CreateDirectory(f.File($"predict-{signal}")).FullName;
        var output = Path.Combine(folder, "sr.tif");
        File.WriteAllText(output, "the previous output");
        var (r, seconds) = SignalledRun.Run(signal, stdout => stdout.Contains("consistency: ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(2), "predict", "--checkpoint", model, "--lst", f.Lr, "--guidance", f.Guidance, "--out", output,
            "--window", "128", "--batch-size", "1");
        log.WriteLine($"signal {signal}: predict inside ONNX Runtime ended {seconds:0.00} s after it");
        CliRunner.AssertOneLineError(r, exit, "lstpipe: " + CliApp.InterruptedMessage);
        Assert.Equal("the previous output", File.ReadAllText(output));
        Assert.Equal(["sr.tif"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.True(seconds < Bound.TotalSeconds, $"predict ended {seconds:0.0} s after the signal");
    }

    [Fact]
    public void Sigterm_stops_training_between_libtorch_steps_and_a_run_without_a_checkpoint_leaves_nothing()
    {
        var folder = Directory.CreateDirectory(f.File("train-signal")).FullName;
        var run = Path.Combine(folder, "run");
        var (r, seconds) = SignalledRun.Run(SignalledRun.SigTerm, stdout => stdout.Contains("it 2/", StringComparison.Ordinal),
            TimeSpan.FromSeconds(1), "train", "--dataset", f.Dataset, "--out", run, "--iterations", "1000000", "--log-every", "1",
            "--val-every", "1000000", "--batch-size", "2", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4");
        log.WriteLine($"SIGTERM: train ended {seconds:0.00} s after it");
        CliRunner.AssertOneLineError(CliRunner.WithoutTorchWarnings(r), 143, "lstpipe: interrupted; ");
        Assert.EndsWith("; no partial output was kept", r.StdErr.TrimEnd());
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
        Assert.True(seconds < Bound.TotalSeconds, $"train ended {seconds:0.0} s after the signal");
    }
}
