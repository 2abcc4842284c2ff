using System.Text.Json;
using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>Cases found by trying to lose or corrupt data on purpose (issue: never lose or silently corrupt data);
/// each failed on the code before its fix.</summary>
public class DataSafetyTests
{
    private static string Scene(TempDir dir, string name = "scene", int size = 256) =>
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = size, Height = size }, dir.File(name)).Directory;

    [Fact]
    public void Force_never_deletes_an_input_that_is_contains_or_holds_the_output()
    {
        using var dir = new TempDir();
        var scene = Scene(dir, "par/scene");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", scene, "--force", "--size", "64"), 2, "the output is the scene");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("par"), "--force", "--size", "64"), 2, "the output contains the scene");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", Path.Combine(scene, "ds"), "--force", "--size", "64"), 2, "the output lies inside the scene");
        Assert.True(File.Exists(Path.Combine(scene, "scene.json")) && File.Exists(Path.Combine(scene, "lst.tif")));

        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", ds, "--size", "64").ExitCode);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", ds, "--force", "--iterations", "1"), 2, "the output is the dataset");
        Assert.True(File.Exists(Path.Combine(ds, "dataset.json")));
    }

    [Fact]
    public void An_infinite_or_implausible_lst_is_refused_naming_the_file_and_pixel()
    {
        using var dir = new TempDir();
        var scene = Scene(dir);
        using (var d = LstPipe.Raster.Gdal.RasterDataset.Open(Path.Combine(scene, "lst.tif")))
        {
            Assert.Equal(256, d.Width);
        }

        Edit(Path.Combine(scene, "lst.tif"), v => { v[0] = float.PositiveInfinity; });
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("inf"), "--size", "64", "--max-nodata", "0.01"), 1,
            "lst.tif: the LST at row 0, column 0 is +Infinity, neither a temperature nor nodata");
        Assert.False(Directory.Exists(dir.File("inf")));

        Edit(Path.Combine(scene, "lst.tif"), v => { v[0] = 1e30f; });
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("huge"), "--size", "64"), 1, "lst.tif: holds an LST of 1E+30 K at row 0, column 0 (values");
        Assert.False(Directory.Exists(dir.File("huge")));
    }

    [Fact]
    public void Zero_or_malformed_thread_counts_are_usage_errors()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dry-run", "--threads", "0"), 2, "--threads 0: use 1 or more");
        var r = Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "train", "--dry-run"], environment: new Dictionary<string, string> { ["LSTPIPE_THREADS"] = "abc" });
        CliRunner.AssertOneLineError(r, 2, "LSTPIPE_THREADS=abc: use a positive number of threads");
    }

    [Fact]
    public void A_recipe_name_that_climbs_out_of_the_output_is_refused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.yaml"), "name: \"../../escaped\"\noutput: out\nregions:\n  a:\n    synthetic: { size: 128, seed: 1 }\n");
        CliRunner.AssertOneLineError(CliRunner.Run("run", dir.File("p.yaml")), 2, "recipe name '../../escaped' must be letters, digits");
        Assert.False(Directory.Exists(Path.GetFullPath(Path.Combine(dir.Path, "..", "..", "escaped"))));
    }

    [Fact]
    public void Split_indices_out_of_range_or_repeated_are_refused_naming_the_file_and_line_before_anything_is_written()
    {
        using var dir = new TempDir();
        var scene = Scene(dir);
        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", ds, "--size", "64").ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", ds).ExitCode);
        var test = Path.Combine(ds, "split", "test.txt");
        var lines = File.ReadAllLines(test);
        File.WriteAllLines(test, [.. lines, "9999"]);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--iterations", "1", "--val-split", "test"), 1,
            $"test.txt:{lines.Length + 1}: tile 9999 does not exist (the dataset has 49 tiles, 0-48)");
        File.WriteAllLines(test, [.. lines, lines[0]]);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--iterations", "1", "--val-split", "test"), 1,
            $"test.txt:{lines.Length + 1}: tile {lines[0]} is listed twice (first on line 1)");
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void Appending_removes_parquet_shards_that_no_longer_hold_every_tile()
    {
        using var dir = new TempDir();
        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", Scene(dir, "a"), "--out", ds, "--size", "64").ExitCode);
        Assert.Equal(0, CliRunner.Run("export", "--dataset", ds).ExitCode);
        Assert.True(Directory.Exists(Path.Combine(ds, "parquet")));
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 128, Height = 128, Seed = 5, Id = "b" }, dir.File("b"));
        var r = CliRunner.Run("crop", dir.File("b"), "--out", ds, "--append", "--size", "64");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("Parquet shards no longer held every tile", r.StdOut.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(ds, "parquet")));
    }

    [Fact]
    public void A_guidance_raster_in_another_crs_than_the_scene_is_refused()
    {
        using var dir = new TempDir();
        var scene = Scene(dir);
        var guidance = Path.Combine(scene, "guidance.tif");
        var r = Processes.Run("gdal_edit.py", ["-a_srs", "EPSG:32651", guidance]);
        if (r.ExitCode != 0)
        {
            r = Processes.Run("/usr/bin/python3", ["-c", "from osgeo import gdal, osr; d = gdal.Open(__import__('sys').argv[1], 1); s = osr.SpatialReference(); s.ImportFromEPSG(32651); d.SetProjection(s.ExportToWkt()); d = None", guidance]);
        }

        Assert.True(r.ExitCode == 0, r.StdErr);
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64"), 1, "guidance.tif: its CRS");
    }

    [Fact]
    public void A_forced_crop_or_train_that_fails_keeps_the_previous_output_byte_for_byte()
    {
        using var dir = new TempDir();
        var good = Scene(dir, "good");
        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", good, "--out", ds, "--size", "64").ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", ds).ExitCode);
        var before = Hashes(ds);

        var bad = Scene(dir, "bad");
        Edit(Path.Combine(bad, "lst.tif"), v => { v[^1] = 1e30f; });
        CliRunner.AssertOneLineError(CliRunner.Run("crop", bad, "--out", ds, "--force", "--size", "64"), 1, "outside the 150-400 K");
        Assert.Equal(before, Hashes(ds));

        var run = dir.File("run");
        Assert.Equal(0, CliRunner.Run("train", "--dataset", ds, "--out", run, "--iterations", "2", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4", "--val-every", "2", "--periods", "2").ExitCode);
        var runBefore = Hashes(run);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", run, "--force", "--iterations", "2", "--train-split", "missing"), 2, "missing.txt: no such split file");
        Assert.Equal(runBefore, Hashes(run));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public void A_second_writer_of_the_same_output_is_refused_naming_the_first()
    {
        using var dir = new TempDir();
        var scene = Scene(dir, "big", 1024);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "crop", scene, "--out", dir.File("ds"), "--size", "64", "--workers", "1" })
        {
            psi.ArgumentList.Add(a);
        }

        using var first = System.Diagnostics.Process.Start(psi)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(dir.File(".ds.lstpipe-lock")) && !first.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.False(first.HasExited, "the first crop ended before the second could start; the test needs a larger scene");
        var second = CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--force", "--size", "64");
        first.WaitForExit();
        CliRunner.AssertOneLineError(second, 2, $"another lstpipe is writing it (pid {first.Id}: lstpipe crop");
        Assert.Equal(0, first.ExitCode);
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("ds"), "dataset.json")));
        Assert.Equal(31 * 31, card.RootElement.GetProperty("tileCount").GetInt32());
        Assert.Equal(31 * 31, Directory.GetFiles(Path.Combine(dir.File("ds"), "30m", "lst")).Length);
        Assert.False(File.Exists(dir.File(".ds.lstpipe-lock")));
    }

    [Fact]
    public void A_resume_that_would_change_the_run_s_settings_is_refused_naming_the_option()
    {
        using var dir = new TempDir();
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--out", dir.File("run"), "--resume", "--lr", "0.1"), 2, "--lr: --resume continues the run with the settings in its config.json");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--out", dir.File("run"), "--resume", "--iterations", "5"), 2, "--iterations: --resume");
    }

    [Fact]
    public void A_killed_export_s_leftovers_are_removed_by_the_next_export()
    {
        using var dir = new TempDir();
        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", Scene(dir), "--out", ds, "--size", "64").ExitCode);
        var dead = Directory.CreateDirectory(Path.Combine(ds, ".parquet.999999.0123456789abcdef.partial")).FullName;
        File.WriteAllBytes(Path.Combine(dead, "part-00000.parquet"), new byte[1000]);
        var alive = Directory.CreateDirectory(Path.Combine(ds, $".parquet.{Environment.ProcessId}.0123456789abcdef.partial")).FullName;
        Assert.Equal(0, CliRunner.Run("export", "--dataset", ds).ExitCode);
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(alive), "a live process's temporary must stay");
    }

    [Fact]
    public void A_corrupt_card_in_a_parquet_footer_is_one_line_naming_the_shard()
    {
        using var dir = new TempDir();
        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", Scene(dir), "--out", ds, "--size", "64").ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", ds).ExitCode);
        Assert.Equal(0, CliRunner.Run("export", "--dataset", ds).ExitCode);
        var shard = Path.Combine(ds, "parquet", "part-00000.parquet");
        var bytes = File.ReadAllBytes(shard);
        var at = System.Text.Encoding.ASCII.GetString(bytes).LastIndexOf("\"tileCount\": ", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[at + 13] = (byte)'x';
        File.WriteAllBytes(shard, bytes);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--format", "parquet", "--out", dir.File("run"), "--iterations", "1"), 1, "part-00000.parquet (footer lstpipe.dataset_card): not a valid dataset card at $.tileCount");
    }

    [Theory]
    [InlineData("64k")]
    [InlineData("1500k")]
    [InlineData("3m")]
    public void A_full_disk_during_crop_says_no_space_left_on_device_naming_the_tile(string size)
    {
        using var dir = new TempDir();
        var scene = Scene(dir);
        var small = Directory.CreateDirectory(dir.File("small")).FullName;
        var dll = Path.Combine(AppContext.BaseDirectory, "lstpipe.dll");
        var r = Processes.Run("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", $"mount -t tmpfs -o size={size} tmpfs '{small}' && exec dotnet '{dll}' crop '{scene}' --out '{small}/ds' --size 64"]);
        CliRunner.AssertOneLineError(r, 1, "no space left on device");
        Assert.Matches(@"small/ds/\d+m/(lst|guidance)/\d{5}\.mat: no space left on device tmpfs \(tmpfs\) mounted at /[^ ]+/small, " +
            @"[\d.]+ (B|KiB|MiB) free of [\d.]+ (KiB|MiB); ", r.StdErr);
    }

    [Theory]
    [InlineData("    synthetic: { size: 100000000, seed: 1 }\n", "crop: { size: 64 }\n", ":5: regions.a.synthetic.size 100000000: use 64 to 65536")]
    [InlineData("    synthetic: { size: 128, seed: 1 }\n", "crop: { size: 1000000000 }\n", ":6: crop.size 1000000000: use 8 to 16384")]
    public void Out_of_range_recipe_values_are_refused_at_their_line(string region, string crop, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.yaml"), "name: r\noutput: out\nregions:\n  a:\n" + region + crop);
        var r = CliRunner.Run("status", dir.File("p.yaml"));
        CliRunner.AssertOneLineError(r, 2, dir.File("p.yaml") + message);
    }

    private static SortedDictionary<string, string> Hashes(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), LstPipe.Core.IO.Checksums.Sha256),
        StringComparer.Ordinal);

    private static void Edit(string tif, Action<float[]> change) => TestRasters.Edit(tif, change);
}
