using LstPipe.Core.IO;
using LstPipe.Synthetic;

namespace LstPipe.Cli.Tests.Safety;

/// <summary>Every verb that writes, onto a full or read-only file system: exit 1 (2 for read-only), one line naming the
/// output, the cause and the device, and nothing half-written left; and one writer per <c>report</c> or <c>degrade</c>
/// output. A small tmpfs is mounted in a user and mount namespace where the machine allows one; elsewhere the writes are
/// made to fail at the write call by a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored) and the folder is reported full
/// through <see cref="Volume.SimulatedFullVariable"/>.</summary>
public class FullDiskTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "lstpipe.dll");

    [Fact]
    public void Every_verb_that_writes_onto_a_full_file_system_says_so_with_the_device_and_leaves_nothing_half_written()
    {
        using var dir = new TempDir();
        var full = Directory.CreateDirectory(dir.File("full")).FullName;
        var commands = Commands(Fixture(dir), full);
        var lines = OnSmallTmpfs(dir, full, commands, "size=100k");
        var device = $"tmpfs (tmpfs) mounted at {full}, ";
        if (lines is null)
        {
            lines = Simulated(dir, full, commands);
            var df = Df(full, "source,target,fstype");
            device = $"{df[0]} ({df[2]}) mounted at {df[1]}, 0 B free of ";
        }

        for (var i = 0; i < commands.Length; i++)
        {
            var (rc, error, left) = lines[i];
            var what = string.Join(' ', commands[i].Take(2));
            Assert.True(rc == 1, $"{what}: exit {rc}: {error}");
            Assert.Matches($"^lstpipe: {full}/[^ ]+: no space left on device ", error);
            Assert.Contains(device, error, StringComparison.Ordinal);
            Assert.EndsWith("; free some space or write the output elsewhere, then run again", error, StringComparison.Ordinal);
            Assert.DoesNotContain(".partial", error, StringComparison.Ordinal);
            Assert.DoesNotContain(".partial", left, StringComparison.Ordinal);
            Assert.DoesNotContain("lstpipe-lock", left, StringComparison.Ordinal);
            if (commands[i][0] != "train")
            {
                Assert.True(left.Length == 0, $"{what} left {left}");
            }
        }
    }

    [Fact]
    public void Where_no_file_system_can_be_mounted_a_write_refused_at_the_write_call_is_named_the_same_way()
    {
        using var dir = new TempDir();
        var f = Fixture(dir, train: false);
        var full = Directory.CreateDirectory(dir.File("full")).FullName;
        string[][] commands = [["degrade", f.Scene, "--scale", "2", "--out", $"{full}/lr.tif"], ["report", f.Dataset, "--out", $"{full}/r.html"]];
        var lines = Simulated(dir, full, commands);
        var df = Df(full, "source,target,fstype");
        Assert.Equal((1, $"lstpipe: {full}/lr.tif: no space left on device {df[0]} ({df[2]}) mounted at {df[1]}, 0 B free of "),
            (lines[0].Rc, lines[0].Error[..(lines[0].Error.IndexOf(" free of ", StringComparison.Ordinal) + 9)]));
        Assert.StartsWith($"lstpipe: {full}/", lines[1].Error, StringComparison.Ordinal);
        Assert.Contains(": no space left on device ", lines[1].Error, StringComparison.Ordinal);
        Assert.Equal(("", ""), (lines[0].Left, lines[1].Left));
    }

    [Fact]
    public void Predict_degrade_ingest_and_report_onto_a_read_only_file_system_name_the_device()
    {
        using var dir = new TempDir();
        var f = Fixture(dir);
        var ro = Directory.CreateDirectory(dir.File("ro")).FullName;
        var lines = OnSmallTmpfs(dir, ro, Commands(f, ro).Where(c => c[0] is "predict" or "degrade" or "ingest" or "report").ToArray(),
            "size=1m,ro");
        Assert.True(lines is not null, "this machine mounts no tmpfs in a user namespace (unshare --user --map-root-user --mount)");
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Matches($"^lstpipe: {ro}/[^ ]+: read-only file system: tmpfs \\(tmpfs\\) mounted at {ro}; write to a " +
            "folder on a writable file system \\(or remount it read-write\\)$", l.Error));
        Assert.All(lines, l => Assert.Equal(2, l.Rc));
    }

    [Theory]
    [InlineData("report")]
    [InlineData("degrade")]
    public void A_second_writer_of_a_report_or_degrade_output_is_refused_naming_the_first(string verb)
    {
        using var dir = new TempDir();
        var f = Fixture(dir, train: false);
        var output = dir.File(verb == "report" ? "r.html" : "coarse.tif");
        string[] args = verb == "report" ? ["report", f.Dataset, "--out", output] : ["degrade", f.Scene, "--scale", "2", "--out", output];
        using (OutputLock.Acquire(output, $"lstpipe {verb} (the first writer)"))
        {
            CliRunner.AssertOneLineError(CliRunner.Run(args), 2, $"{output}: another lstpipe is writing it (pid {Environment.ProcessId}: " +
                $"lstpipe {verb} (the first writer)); wait for it to finish or stop it");
            Assert.False(File.Exists(output));
        }

        Assert.Equal(0, CliRunner.Run(args).ExitCode);
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(OutputLock.LockPath(output)));
    }

    [Fact]
    public void A_report_of_a_dataset_that_another_lstpipe_is_rewriting_is_the_lock_message_not_a_damaged_dataset()
    {
        using var dir = new TempDir();
        var f = Fixture(dir, train: false);
        using (OutputLock.Acquire(f.Dataset, "lstpipe crop scene --out ds --force"))
        {
            CliRunner.AssertOneLineError(CliRunner.Run("report", f.Dataset, "--out", dir.File("r.html")), 2,
                $"{f.Dataset}: another lstpipe is writing it (pid {Environment.ProcessId}: lstpipe crop scene --out ds --force); wait for " +
                "it to finish or stop it, then run again");
        }

        Assert.False(File.Exists(dir.File("r.html")));
        Assert.Equal(0, CliRunner.Run("report", f.Dataset, "--out", dir.File("r.html")).ExitCode);
    }

    private sealed record Inputs(string Scene, string Dataset, string? Checkpoint, string Lr, string Recipe, string Pipeline);

    private static Inputs Fixture(TempDir dir, bool train = true)
    {
        var scene = SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = 128, Height = 128 }, dir.File("scene")).Directory;
        var ds = dir.File("ds");
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", ds, "--size", "64").ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", ds).ExitCode);
        Assert.Equal(0, CliRunner.Run("degrade", scene, "--scale", "4", "--out", dir.File("lr.tif")).ExitCode);
        if (train)
        {
            Assert.Equal(0, CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--iterations", "2", "--num-feats", "8",
                "--n-resblocks", "1", "--reduction", "4", "--val-every", "2", "--periods", "2").ExitCode);
        }

        File.WriteAllText(dir.File("r.yaml"), "product: geotiff\nbands:\n  lst: { file: lst.tif, calibrate: linear, scale: 1, offset: 0, " +
            "unit: K }\n  red: { file: guidance.tif, band: 5, kind: reflectance-surface }\n  nir: { file: guidance.tif, band: 7, kind: " +
            "reflectance-surface }\nlst:\n  band: lst\n  native_resolution: 30\nguidance:\n  red: red\n  nir: nir\n");
        File.WriteAllText(dir.File("p.yaml"), $"name: r\noutput: {dir.File("full")}/out\nregions:\n  a:\n    synthetic: {{ size: 128, " +
            "seed: 1 }\ncrop: { size: 64 }\n");
        return new Inputs(scene, ds, train ? dir.File("run/best.safetensors") : null, dir.File("lr.tif"), dir.File("r.yaml"), dir.File("p.yaml"));
    }

    private static string[][] Commands(Inputs f, string full) =>
    [
        ["predict", "--checkpoint", f.Checkpoint!, "--lst", f.Lr, "--guidance", Path.Combine(f.Scene, "guidance.tif"), "--out", $"{full}/sr.tif"],
        ["degrade", f.Scene, "--scale", "2", "--out", $"{full}/lr.tif"],
        ["ingest", "--recipe", f.Recipe, "--input", f.Scene, "--out", $"{full}/sc"],
        ["test", "--checkpoint", f.Checkpoint!, "--dataset", f.Dataset, "--out", $"{full}/eval"],
        ["report", f.Dataset, "--out", $"{full}/r.html"],
        ["train", "--dataset", f.Dataset, "--out", $"{full}/run", "--iterations", "2", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4"],
        ["crop", f.Scene, "--out", $"{full}/ds", "--size", "64"],
        ["run", f.Pipeline],
    ];

    /// <summary>Runs each command on a fresh tmpfs mounted (with <paramref name="options"/>) at <paramref name="mount"/> in a
    /// user and mount namespace: exit code, standard error without libtorch's warnings, and the files left. Null where the
    /// machine allows no such mount.</summary>
    private static (int Rc, string Error, string Left)[]? OnSmallTmpfs(TempDir dir, string mount, string[][] commands, string options)
    {
        var script = new System.Text.StringBuilder();
        for (var i = 0; i < commands.Length; i++)
        {
            var err = dir.File($"err-{i}");
            script.Append($"mount -t tmpfs -o {options} tmpfs '{mount}' || exit 99\n")
                .Append($"dotnet '{Dll}' {string.Join(' ', commands[i].Select(a => $"'{a}'"))} >/dev/null 2>'{err}'; rc=$?\n")
                .Append($"echo \"$rc|$(grep -v '^\\[W' '{err}' | tr '\\n' ' ')|$(find '{mount}' -type f | tr '\\n' ' ')\"\n")
                .Append($"umount '{mount}'\n");
        }

        var r = Processes.Run("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", script.ToString()], timeoutSeconds: 900);
        if (r.ExitCode == 99 || (r.ExitCode != 0 && r.StdOut.Length == 0))
        {
            return null;
        }

        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToArray();
    }

    /// <summary>Runs each command with every file limited to 64 KiB (a write past it fails with EFBIG, as a full disk fails
    /// a write) and <paramref name="full"/> (the temporary folder too) reported full.</summary>
    private static (int Rc, string Error, string Left)[] Simulated(TempDir dir, string full, string[][] commands)
    {
        var environment = new Dictionary<string, string>
        {
            [Volume.SimulatedFullVariable] = full,
            ["TMPDIR"] = full,
            ["DOTNET_EnableWriteXorExecute"] = "0",
        };
        return commands.Select(c =>
        {
            var r = Processes.Run("sh", ["-c", "trap '' XFSZ; ulimit -f 64; exec \"$@\"", "sh", "dotnet", Dll, .. c], dir.Path, environment);
            var left = string.Join(' ', Directory.GetFiles(full, "*", SearchOption.AllDirectories));
            var error = string.Join(' ', r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("[W",
                StringComparison.Ordinal)));
            return (r.ExitCode, error, left);
        }).ToArray();
    }

    /// <summary>What <c>df</c> says of <paramref name="path"/>'s file system, the independent reference.</summary>
    private static string[] Df(string path, string fields)
    {
        var r = Processes.Run("df", ["-B1", $"--output={fields}", path]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static (int Rc, string Error, string Left) Parse(string line)
    {
        var parts = line.Split('|');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1].Trim(), parts[2].Trim());
    }
}
