using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>Round 2 of trying to lose or corrupt data on purpose (issue 25: symlinks, hostile file names, checkpoint
/// integrity, resumed tiles re-checked); each failed on the code before its fix.</summary>
public class DataSafetyRound2Tests
{
    private static string Scene(TempDir dir, string name = "scene", int size = 128) =>
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = size, Height = size }, dir.File(name)).Directory;

    [Fact]
    public void Force_never_deletes_an_input_reached_through_a_symlink_into_the_output()
    {
        using var dir = new TempDir();
        var scene = Scene(dir, "out/scene");
        Directory.CreateSymbolicLink(dir.File("scene_link"), "out/scene");
        var r = CliRunner.RunIn(dir.Path, "crop", "scene_link", "--out", "out", "--size", "64", "--force");
        CliRunner.AssertOneLineError(r, 2, "the output contains the scene ");
        Assert.Contains("scene_link", r.StdErr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(scene, "scene.json")) && File.Exists(Path.Combine(scene, "lst.tif")));
    }

    [Fact]
    public void A_card_file_name_that_climbs_out_is_refused_before_export_writes_outside_its_output()
    {
        using var dir = new TempDir();
        var ds = GrokLstFolder(dir, "d1/d2/groklst");
        Assert.Equal(0, CliRunner.Run("adopt", ds).ExitCode);
        var cardPath = Path.Combine(ds, "dataset.json");
        var card = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(cardPath))!;
        card["fileNames"]![0] = "../../../../x/pwn.mat";
        File.WriteAllText(cardPath, card.ToJsonString());
        Directory.CreateDirectory(dir.File("d1/x"));
        File.WriteAllText(dir.File("d1/x/pwn.mat"), "not a tile");
        Directory.CreateDirectory(dir.File("o1/x"));
        var r = CliRunner.Run("export", "--dataset", ds, "--format", "groklst", "--out", dir.File("o1/o2/root"));
        CliRunner.AssertOneLineError(r, 1, $"{cardPath}: fileNames[0] '../../../../x/pwn.mat' is not a plain file name");
        Assert.False(File.Exists(dir.File("o1/x/pwn.mat")));
        CliRunner.AssertOneLineError(CliRunner.Run("info", ds), 1, $"{cardPath}: fileNames[0]");
        card["fileNames"] = new System.Text.Json.Nodes.JsonArray("tile_0003.mat", "tile_0010.mat");
        File.WriteAllText(cardPath, card.ToJsonString());
        CliRunner.AssertOneLineError(CliRunner.Run("export", "--dataset", ds, "--format", "groklst", "--out", dir.File("o1/o2/root")), 1,
            $"{cardPath}: fileNames holds 2 names for 4 tiles");
    }

    [Fact]
    public void A_scene_json_naming_a_raster_outside_its_folder_is_refused()
    {
        using var dir = new TempDir();
        var scene = Scene(dir);
        File.Copy(Path.Combine(scene, "lst.tif"), dir.File("lst.tif"));
        var manifest = Path.Combine(scene, "scene.json");
        var json = File.ReadAllText(manifest);
        File.WriteAllText(manifest, json.Replace("\"file\": \"lst.tif\"", "\"file\": \"../lst.tif\"", StringComparison.Ordinal));
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64"), 1, $"{manifest}: lst.file '../lst.tif' is not a plain file name");
        File.WriteAllText(manifest, json.Replace("\"file\": \"lst.tif\"", $"\"file\": \"{dir.File("lst.tif")}\"", StringComparison.Ordinal));
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64"), 1, $"{manifest}: lst.file '{dir.File("lst.tif")}' is not a plain file name");
        Assert.False(Directory.Exists(dir.File("ds")));
    }

    [Fact]
    public void A_scene_in_celsius_crops_to_kelvin_and_an_unknown_unit_is_refused_naming_scene_json()
    {
        using var dir = new TempDir();
        var scene = Scene(dir);
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", dir.File("k"), "--size", "64").ExitCode);
        TestRasters.Edit(Path.Combine(scene, "lst.tif"), v =>
        {
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = v[i] == -9999 ? v[i] : (float)(v[i] - 273.15);
            }
        });
        var manifest = Path.Combine(scene, "scene.json");
        var json = File.ReadAllText(manifest);
        File.WriteAllText(manifest, json.Replace("\"unit\": \"K\"", "\"unit\": \"Celsius\"", StringComparison.Ordinal));
        var r = CliRunner.Run("crop", scene, "--out", dir.File("c"), "--size", "64");
        Assert.True(r.ExitCode == 0, r.StdErr);
        static double Mean(string ds) => System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ds, "dataset.json")))
            .RootElement.GetProperty("statistics")[0].GetProperty("bands")[0].GetProperty("mean").GetDouble();
        Assert.Equal(Mean(dir.File("k")), Mean(dir.File("c")), 1e-3);

        File.WriteAllText(manifest, json.Replace("\"unit\": \"K\"", "\"unit\": \"R\"", StringComparison.Ordinal));
        CliRunner.AssertOneLineError(CliRunner.Run("crop", scene, "--out", dir.File("f"), "--size", "64"), 1, $"{manifest}: lst.unit 'R' is not a temperature unit");
    }

    [Fact]
    public void Convert_refuses_a_bit_flipped_pth_a_pth_with_nan_weights_and_a_file_that_is_no_checkpoint()
    {
        using var dir = new TempDir();
        const string script = """
            import struct, sys, zipfile, torch
            sys.path.insert(0, sys.argv[2])
            from mocolsk_reference import MoCoLsk
            torch.manual_seed(5)
            sd = MoCoLsk(2, f=8, n=1, r=4, std=14.73).state_dict()
            torch.save(sd, sys.argv[1] + '/good.pth')
            sd['proj_head.2.bias'][0] = float('nan')
            torch.save(sd, sys.argv[1] + '/nan.pth')
            info = next(i for i in zipfile.ZipFile(sys.argv[1] + '/good.pth').infolist() if i.filename.endswith('/data/3'))
            with open(sys.argv[1] + '/good.pth', 'rb') as f:
                f.seek(info.header_offset)
                n, m = struct.unpack('<HH', f.read(30)[26:30])
            print(info.header_offset + 30 + n + m + 1, info.filename)
            """;
        var made = Processes.Run("/usr/bin/python3", ["-c", script, dir.Path, Path.Combine(RepoPaths.Root, "bench", "train")]);
        Assert.True(made.ExitCode == 0, made.StdErr);
        var (at, entry) = (long.Parse(made.StdOut.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), made.StdOut.Split(' ')[1].Trim());
        Assert.Equal(0, CliRunner.Run("convert", dir.File("good.pth"), dir.File("good.safetensors")).ExitCode);

        var bytes = File.ReadAllBytes(dir.File("good.pth"));
        bytes[at] ^= 0x01;
        File.WriteAllBytes(dir.File("flip.pth"), bytes);
        CliRunner.AssertOneLineError(CliRunner.Run("convert", dir.File("flip.pth"), dir.File("flip.safetensors")), 1,
            $"{dir.File("flip.pth")}: entry '{entry}' does not match its CRC-32");
        CliRunner.AssertOneLineError(CliRunner.Run("convert", dir.File("nan.pth"), dir.File("nan.safetensors")), 1,
            $"{dir.File("nan.pth")}: tensor 'proj_head.2.bias' holds NaN (element 0)");
        File.WriteAllBytes(dir.File("empty.pth"), []);
        CliRunner.AssertOneLineError(CliRunner.Run("convert", dir.File("empty.pth"), dir.File("empty.safetensors")), 1,
            $"{dir.File("empty.pth")}: not a PyTorch checkpoint (the zip torch.save writes) nor a safetensors file");
        Assert.False(File.Exists(dir.File("flip.safetensors")) || File.Exists(dir.File("nan.safetensors")) || File.Exists(dir.File("empty.safetensors")));
    }

    [Fact]
    public void A_read_only_output_is_one_line_naming_the_path_and_the_fix_for_every_verb_that_writes()
    {
        using var dir = new TempDir();
        var (scene, ds, best) = TrainedModel(dir);
        string[][] commands =
        [
            ["crop", scene, "--out", dir.File("ds2"), "--size", "64"],
            ["crop", scene, "--out", ds, "--size", "64", "--force"],
            ["synth", "--out", dir.File("s2"), "--size", "128"],
            ["train", "--dataset", ds, "--out", dir.File("run2"), "--iterations", "1", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4"],
            ["test", "--checkpoint", best, "--dataset", ds, "--out", dir.File("eval")],
            ["split", "6:1:3", "--dataset", ds, "--seed", "3"],
            ["export", "--dataset", ds],
            ["export", "--dataset", ds, "--format", "groklst", "--out", dir.File("root")],
            ["test", "--checkpoint", best, "--dataset", ds],
        ];
        var dll = Path.Combine(AppContext.BaseDirectory, "lstpipe.dll");
        var script = new System.Text.StringBuilder($"mount --bind '{dir.Path}' '{dir.Path}' && mount -o remount,bind,ro '{dir.Path}' || exit 99\n");
        foreach (var c in commands)
        {
            script.Append($"dotnet '{dll}' {string.Join(' ', c.Select(a => $"'{a}'"))} >/dev/null 2>/tmp/ro-$$.err; echo \"rc=$? $(tr '\\n' '|' </tmp/ro-$$.err)\"\n");
        }

        script.Append("rm -f /tmp/ro-$$.err\n");
        var r = Processes.Run("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", script.ToString()]);
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(commands.Length, lines.Length);
        for (var i = 0; i < commands.Length; i++)
        {
            var what = string.Join(' ', commands[i].Take(2));
            Assert.Matches(@"^rc=2 lstpipe: /[^|]+: read-only file system: [^ ]+ \([^ ]+\) mounted at " + dir.Path + @"; write to a folder on a " +
                @"writable file system \(or remount it read-write\)\|$", lines[i]);
            Assert.DoesNotContain("unexpected", lines[i], StringComparison.Ordinal);
            Assert.DoesNotContain(".partial", lines[i], StringComparison.Ordinal);
            Assert.DoesNotContain("lstpipe-lock", lines[i], StringComparison.Ordinal);
            Assert.True(lines[i].Contains(dir.Path, StringComparison.Ordinal), what + ": " + lines[i]);
        }
    }

    [Fact]
    public void Adopt_refuses_a_grokLst_folder_in_celsius_with_the_hint()
    {
        using var dir = new TempDir();
        var ds = GrokLstFolder(dir, "celsius", "--celsius");
        CliRunner.AssertOneLineError(CliRunner.Run("adopt", ds), 1, "outside the 150-400 K of any land surface (it looks like degrees Celsius or Fahrenheit)");
        Assert.False(File.Exists(Path.Combine(ds, "dataset.json")));
    }

    [Fact]
    public void An_output_where_no_file_can_be_created_is_one_line_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.yaml"), "name: r\noutput: /proc/self\nregions:\n  a:\n    synthetic: { size: 128, seed: 1 }\ncrop: { size: 64 }\n");
        CliRunner.AssertOneLineError(CliRunner.Run("run", dir.File("p.yaml")), 2, "/proc/self: no file can be created beside it (/proc/.self.lstpipe-lock");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", Scene(dir), "--out", "/proc/self/ds", "--size", "64"), 2, "/proc/self/ds: no file can be created beside it");
    }

    [Fact]
    public void A_malformed_lstpipe_threads_is_a_usage_error_naming_it_not_the_checkpoint()
    {
        using var dir = new TempDir();
        var (_, ds, best) = TrainedModel(dir);
        var r = Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "test", "--checkpoint", best, "--dataset", ds, "--out", dir.File("eval")],
            environment: new Dictionary<string, string> { ["LSTPIPE_THREADS"] = "abc" });
        CliRunner.AssertOneLineError(r, 2, "LSTPIPE_THREADS=abc: use a positive number of threads");
    }

    [Theory]
    [InlineData("pipe")]
    [InlineData("pipe.mat")]
    [InlineData("pipe.parquet")]
    public void Info_refuses_a_fifo_instead_of_waiting_on_it(string name)
    {
        using var dir = new TempDir();
        Assert.Equal(0, Processes.Run("mkfifo", [dir.File(name)]).ExitCode);
        var r = Processes.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "lstpipe.dll"), "info", dir.File(name)], timeoutSeconds: 60);
        CliRunner.AssertOneLineError(r, 2, $"{dir.File(name)}: not a regular file or folder (a FIFO)");
    }

    /// <summary>A scene, its split dataset and a tiny model trained on it for two iterations.</summary>
    private static (string Scene, string Dataset, string Checkpoint) TrainedModel(TempDir dir)
    {
        var scene = Scene(dir);
        var (ds, run) = (dir.File("ds"), dir.File("run"));
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", ds, "--size", "64").ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", ds).ExitCode);
        Assert.Equal(0, CliRunner.Run("train", "--dataset", ds, "--out", run, "--iterations", "2", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4",
            "--val-every", "2", "--periods", "2").ExitCode);
        return (scene, ds, Path.Combine(run, "best.safetensors"));
    }

    private static string GrokLstFolder(TempDir dir, string name, params string[] extra)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Session", "make_groklst_folder.py");
        var r = Processes.Run("/usr/bin/python3", [script, dir.File(name), "4", "32", .. extra]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return dir.File(name);
    }
}
