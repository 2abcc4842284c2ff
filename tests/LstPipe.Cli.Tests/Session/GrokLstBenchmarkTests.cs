namespace LstPipe.Cli.Tests.Session;

/// <summary>The published benchmark's path with a folder in GrokLST's layout written by scipy, as the original
/// authors' tools write it (MATLAB doubles and singles, compressed and not, names that are not lstpipe's): refused
/// until adopted, then adopt, train with the paper's protocol and constants, test with the paper's row beside ours.</summary>
public class GrokLstBenchmarkTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Session", "make_groklst_folder.py");

    private static string Folder(TempDir dir, string name, params string[] extra)
    {
        var r = Processes.Run("/usr/bin/python3", [Script, dir.File(name), "12", "64", .. extra]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return dir.File(name);
    }

    private static ProcessResult Ok(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.StdErr}");
        return r;
    }

    [Fact]
    public void A_scipy_written_grokLst_folder_is_adopted_trained_with_the_paper_s_protocol_and_tested_beside_the_paper()
    {
        using var dir = new TempDir();
        var ds = Folder(dir, "groklst");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run")), 2, $"run 'lstpipe adopt {ds}' once");

        var adopt = Ok(CliRunner.Run("adopt", ds));
        Assert.Contains("adopted 12 tiles of 64 px (30m x1, 60m x2, 120m x4, 240m x8; values stored as double and single)", adopt.StdOut);
        Assert.Contains("splits kept as shipped: test 4, train 7, trainval 8, val 1", adopt.StdOut);
        Assert.Equal("0\n1\n2\n3\n4\n5\n6\n", File.ReadAllText(Path.Combine(ds, "split", "train.txt")));
        Assert.False(File.Exists(Path.Combine(ds, "tiles.geojson")));
        CliRunner.AssertOneLineError(CliRunner.Run("adopt", ds), 2, "is already a dataset");
        CliRunner.AssertOneLineError(CliRunner.Run("split", "6:1:3", "--dataset", ds, "--strategy", "spatial"), 2, "an adopted dataset has no tile geometry");

        var train = Ok(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run"), "--protocol", "groklst", "--normalization", "groklst", "--batch-size", "2",
            "--iterations", "2", "--val-every", "2", "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4"));
        Assert.Contains("protocol groklst: trains on trainval, validates on test and keeps the best checkpoint by its RMSE, as the paper did: model selection uses the test split",
            System.Text.RegularExpressions.Regex.Replace(train.StdOut, @"\s+", " "));
        Assert.Contains("\"normalization\": \"groklst\"", File.ReadAllText(Path.Combine(dir.File("run"), "config.json")));
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", ds, "--out", dir.File("run2"), "--protocol", "groklst", "--train-split", "train"), 2, "--train-split: --protocol groklst trains on trainval");

        var test = Ok(CliRunner.Run("test", "--checkpoint", Path.Combine(dir.File("run"), "best.safetensors"), "--dataset", ds, "--out", dir.File("eval")));
        Assert.Matches(@"paper: mocolsk x4\s+│\s+0\.5590\s+│\s+0\.3883\s+│\s+-\s+│\s+0\.9771", test.StdOut);
        Assert.Contains("4 tiles of split 'test'", test.StdOut);

        Ok(CliRunner.Run("export", "--dataset", ds));
        Ok(CliRunner.Run("test", "--checkpoint", Path.Combine(dir.File("run"), "best.safetensors"), "--dataset", ds, "--format", "parquet", "--out", dir.File("eval-parquet")));
        Assert.Equal(File.ReadAllText(Path.Combine(dir.File("eval"), "metrics-test.csv")), File.ReadAllText(Path.Combine(dir.File("eval-parquet"), "metrics-test.csv")));
    }

    [Fact]
    public void Adopt_refuses_non_finite_values_and_mismatched_names_and_lists_missing_channels()
    {
        using var dir = new TempDir();
        var nan = Folder(dir, "nan", "--nan");
        CliRunner.AssertOneLineError(CliRunner.Run("adopt", nan), 1, "30m/lst/tile_0080.mat: 'data' holds NaN at row 3, column 5");
        Assert.False(File.Exists(Path.Combine(nan, "dataset.json")));

        var renamed = Folder(dir, "renamed");
        File.Move(Path.Combine(renamed, "60m", "guidance", "tile_0010.mat"), Path.Combine(renamed, "60m", "guidance", "tile_0011.mat"));
        CliRunner.AssertOneLineError(CliRunner.Run("adopt", renamed), 1, "60m/guidance: file 1 is 'tile_0011.mat' where 30m/lst has 'tile_0010.mat'");

        var subset = Folder(dir, "subset", "--channels", "dem,red,nir,ndvi");
        var r = Ok(CliRunner.Run("adopt", subset));
        Assert.Contains("guidance: dem, red, nir, ndvi (missing: deepblue, blue, green, vre, ndmvi, ndwi)", r.StdOut);
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", subset, "--out", dir.File("run"), "--normalization", "groklst", "--iterations", "1"), 2, "--normalization groklst: the paper's constants are for GrokLST's ten channels");
    }

    [Fact]
    public void An_export_for_the_original_toolkit_loads_as_its_loader_reads_it()
    {
        using var dir = new TempDir();
        var scene = LstPipe.Synthetic.SyntheticSceneGenerator.Generate(new LstPipe.Synthetic.SyntheticSceneOptions { Width = 192, Height = 192 }, dir.File("scene")).Directory;
        var ds = dir.File("ds");
        Ok(CliRunner.Run("crop", scene, "--out", ds, "--size", "64"));
        CliRunner.AssertOneLineError(CliRunner.Run("export", "--dataset", ds, "--format", "groklst", "--out", dir.File("root")), 2, "has no split files");
        Ok(CliRunner.Run("split", "6:1:3", "--dataset", ds));
        var export = Ok(CliRunner.Run("export", "--dataset", ds, "--format", "groklst", "--out", dir.File("root")));
        Assert.Contains("hard-linked", export.StdOut);
        var loaded = Ok(Processes.Run("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Session", "groklst_loader.py"), dir.File("root"), "120m"]));
        var v = loaded.StdOut.Trim().Split(' ');
        Assert.Equal(["25", "18", "7", "16", "64"], v[..5]);
        Assert.Contains("hr_guidance_data_field_name = [\"dem\", \"deepblue\"", File.ReadAllText(Path.Combine(dir.File("root"), "normalization.txt")));
        CliRunner.AssertOneLineError(CliRunner.Run("export", "--dataset", ds, "--format", "groklst", "--out", dir.File("root")), 2, "exists and is not empty");
        Ok(CliRunner.Run("export", "--dataset", ds, "--format", "groklst", "--out", dir.File("root"), "--force"));
    }
}
