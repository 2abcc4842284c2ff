using System.Diagnostics;
using LstPipe.Core.IO;
using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Commands;

public class CropAndSplitCommandTests
{
    private static string Scene(TempDir dir, int size) =>
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = size, Height = size }, dir.File("scene")).Directory;

    private static SortedDictionary<string, string> Hashes(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), Checksums.Sha256),
        StringComparer.Ordinal);

    [Fact]
    public void Killed_with_sigkill_and_resumed_the_dataset_is_byte_identical()
    {
        using var dir = new TempDir();
        var scene = Scene(dir, 1024);
        var whole = CliRunner.Run("crop", scene, "--out", dir.File("whole"), "--size", "64", "--workers", "1");
        Assert.True(whole.ExitCode == 0, whole.StdErr);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "crop", scene, "--out", dir.File("cut"), "--size", "64", "--workers", "1" })
        {
            psi.ArgumentList.Add(a);
        }

        using (var p = Process.Start(psi)!)
        {
            var lst = Path.Combine(dir.File("cut"), "30m", "lst");
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((!Directory.Exists(lst) || Directory.GetFiles(lst).Length < 100) && !p.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }

            Assert.False(p.HasExited, "the crop finished before it could be killed; the test needs a larger scene");
            p.Kill();
            p.WaitForExit();
        }

        Assert.False(File.Exists(Path.Combine(dir.File("cut"), "dataset.json")));
        var damaged = Path.Combine(dir.File("cut"), "30m", "lst", "00005.mat");
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(damaged, bytes);
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("cut"), "--size", "64"), 2, "--resume");
        var resumed = CliRunner.Run("crop", "--out", dir.File("cut"), "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.Contains("resumed: kept", resumed.StdOut);
        Assert.Contains("resumed: rewrote 1 files that no longer matched the checksum recorded when they were written (damaged since; first 30m/lst/00005.mat)",
            resumed.StdOut.Replace("\n", "", StringComparison.Ordinal));
        var expected = Hashes(dir.File("whole"));
        var actual = Hashes(dir.File("cut"));
        Assert.Equal(expected.Count, actual.Count);
        Assert.All(expected.Where(e => e.Key != "dataset.json"), e => Assert.Equal(e.Value, actual[e.Key]));

        // The card records the command that built the dataset, which names its own --out folder; otherwise equal,
        // and the resumed run records the original command rather than the --resume one.
        var wholeCard = File.ReadAllText(Path.Combine(dir.File("whole"), "dataset.json"));
        var cutCard = File.ReadAllText(Path.Combine(dir.File("cut"), "dataset.json"));
        Assert.Equal(wholeCard.Replace(dir.File("whole"), "OUT", StringComparison.Ordinal), cutCard.Replace(dir.File("cut"), "OUT", StringComparison.Ordinal));
        Assert.DoesNotContain("--resume", cutCard);
    }

    [Theory]
    [InlineData("--size", "500", "not divisible by 8")]
    [InlineData("--overlap", "1", "outside [0, 1)")]
    [InlineData("--scales", "2,4", "including 1")]
    [InlineData("--size", "2048", "smaller than one 2048 px tile")]
    public void Crop_bad_options_exit_2_and_write_nothing(string option, string value, string message)
    {
        using var dir = new TempDir();
        var scene = Scene(dir, 256);
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("ds"), option, value), 2, message);
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void Crop_of_a_missing_scene_exits_2_naming_it()
    {
        using var dir = new TempDir();
        CliRunner.AssertOneLineError(CliRunner.Run("crop", dir.File("nope"), "--out", dir.File("ds")), 2, dir.File("nope"));
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Theory]
    [InlineData("6:1")]
    [InlineData("a:b:c")]
    [InlineData("0:0:0")]
    [InlineData("-6:1:3")]
    public void Split_bad_ratio_exits_2(string ratio)
    {
        using var dir = new TempDir();
        CliRunner.AssertOneLineError(CliRunner.Run("split", ratio, "--dataset", dir.Path), 2, "for example 6:1:3");
    }

    [Fact]
    public void A_scene_that_loses_tiles_to_nodata_reports_the_coverage_it_kept_and_the_max_nodata_that_keeps_them()
    {
        using var dir = new TempDir();
        var scene = LstPipe.Synthetic.SyntheticSceneGenerator.Generate(new LstPipe.Synthetic.SyntheticSceneOptions { Width = 256, Height = 256 }, dir.File("scene")).Directory;
        TestRasters.Edit(Path.Combine(scene, "lst.tif"), v =>
        {
            for (var r = 0; r < 256; r++)
            {
                for (var c = 0; c < 256; c += 8)
                {
                    if (r < 128)
                    {
                        v[(r * 256) + c] = -9999;
                    }
                }
            }
        });
        var r = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var text = System.Text.RegularExpressions.Regex.Replace(r.StdOut, @"\s+", " ");
        Assert.Contains("(7 x 7 grid, 28 skipped for nodata, 50.0% of the scene in kept tiles)", text);
        Assert.Contains("28 of 49 tile positions were skipped for nodata (--max-nodata 0); --max-nodata 0.15 would keep 28 of them", text);
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", dir.File("ds2"), "--size", "64", "--max-nodata", "0.15").ExitCode);
        using var card = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("ds2"), "dataset.json")));
        Assert.Equal(49, card.RootElement.GetProperty("tileCount").GetInt32());
    }

    [Fact]
    public void Crop_then_split_from_the_command_line()
    {
        using var dir = new TempDir();
        var scene = Scene(dir, 384);
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "128").ExitCode);
        var r = CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds"), "--strategy", "spatial", "--block", "2");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("leakage: 0 of", r.StdOut);
        Assert.True(File.Exists(Path.Combine(dir.File("ds"), "split", "test.txt")));
    }
}
