using System.Text.Json;

namespace LstPipe.Cli.Tests.Commands;

/// <summary>The researcher's path on a real Landsat 8 scene: ingest records 100 m, crop refuses 30 m truth, and
/// <c>--truth native</c> builds a 120 m dataset whose truth is the scene's block mean.</summary>
public class TruthCommandTests
{
    [SharedDataFact]
    public void Landsat_8_crop_refuses_30_m_truth_and_builds_native_120_m_truth_on_request()
    {
        using var dir = new TempDir();
        var ingest = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"),
            "--input", RepoPaths.Data("landsat8-l1-gulfcoast"), "--out", dir.File("l8"));
        Assert.True(ingest.ExitCode == 0, ingest.StdErr);
        Assert.Contains("natively 100 m, coarser than the 30 m grid", ingest.StdOut + ingest.StdErr, StringComparison.Ordinal);
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("l8"), "scene.json"))))
        {
            Assert.Equal(100, manifest.RootElement.GetProperty("lst").GetProperty("nativeResolutionMetres").GetDouble());
        }

        var degraded = CliRunner.Run("degrade", dir.File("l8"), "--scale", "2", "--out", dir.File("lr60.tif"));
        Assert.True(degraded.ExitCode == 0, degraded.StdErr);
        Assert.Contains("60 m is finer than the 100 m the scene's thermal sensor resolved", degraded.StdOut.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("use --scale 4 or more", degraded.StdOut.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain("finer than", CliRunner.Run("degrade", dir.File("l8"), "--scale", "4", "--out", dir.File("lr120.tif")).StdOut, StringComparison.Ordinal);
        Assert.Equal(4, GdalInfo.AssertAllCloudOptimized(dir.Path)); // the ingested scene and both degraded LSTs

        var refused = CliRunner.Run("crop", dir.File("l8"), "--out", dir.File("ds"), "--size", "32", "--max-nodata", "0.3");
        CliRunner.AssertOneLineError(refused, 2, "its LST is natively 100 m, so 30 m truth would be resampled");
        Assert.Contains("--truth native", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("--truth resampled", refused.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("ds")));

        var native = CliRunner.Run("crop", dir.File("l8"), "--out", dir.File("ds"), "--size", "32", "--max-nodata", "0.3", "--truth", "native");
        Assert.True(native.ExitCode == 0, native.StdErr);
        Assert.Contains("averaged onto a 120 m base grid", native.StdOut, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(dir.File("ds"), "960m", "lst")));
        var check = Processes.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "LstPipe.Dataset.Tests", "Crop", "verify_groklst.py"), dir.File("ds")]);
        Assert.True(check.ExitCode == 0, check.StdErr + check.StdOut);

        var resampled = CliRunner.Run("crop", dir.File("l8"), "--out", dir.File("ds30"), "--size", "32", "--max-nodata", "0.3", "--truth", "resampled");
        Assert.True(resampled.ExitCode == 0, resampled.StdErr);
        Assert.Contains("truthResampledFrom: 100", resampled.StdOut, StringComparison.Ordinal);

        CliRunner.AssertOneLineError(CliRunner.Run("crop", dir.File("l8"), "--out", dir.File("ds2"), "--truth", "exact"), 2,
            "--truth exact: use grid, native or resampled");
    }
}
