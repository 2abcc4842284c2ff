namespace LstPipe.Cli.Tests.Contracts;

/// <summary><c>test</c> under the data contract: a dataset whose truth the model was not trained on is refused, the
/// table says what it measures against, a random split says how much it leaks, and metrics never land in the dataset.</summary>
public partial class ContractCommandTests
{
    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Test_refuses_a_dataset_whose_truth_is_60_m()
    {
        var scene = f.File("scene60");
        CopyFolder(f.Scene, scene);
        var manifest = Path.Combine(scene, "scene.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"nativeResolutionMetres\": 30", "\"nativeResolutionMetres\": 60", StringComparison.Ordinal));
        ContractFixture.Ok(CliRunner.Run("crop", scene, "--out", f.File("ds60"), "--size", "32", "--truth", "native"));
        ContractFixture.Ok(CliRunner.Run("split", "6:1:3", "--dataset", f.File("ds60")));
        var r = CliRunner.Run("test", "--checkpoint", f.Checkpoint, "--dataset", f.File("ds60"), "--out", f.File("eval60"));
        CliRunner.AssertOneLineError(r, 2, "ds60: its truth is 60 m; ");
        Assert.Contains("was trained on 30 m truth", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(f.File("eval60")));
    }

    [Fact]
    public void Test_states_the_truth_it_measures_against_and_the_leakage_of_a_random_split()
    {
        var copy = f.File("ds-random");
        CopyFolder(f.Dataset, copy);
        ContractFixture.Ok(CliRunner.Run("split", "6:1:3", "--dataset", copy, "--strategy", "random"));
        var r = ContractFixture.Ok(CliRunner.Run("test", "--checkpoint", f.Checkpoint, "--dataset", copy, "--out", f.File("eval-random"), "--panels", "0"));
        Assert.Contains("x4 against 30 m truth (the scenes' grid", Flat(r), StringComparison.Ordinal);
        Assert.Matches(@"random split: \d+% of the test pixels lie in training tiles", Flat(r));

        var spatial = ContractFixture.Ok(CliRunner.Run("test", "--checkpoint", f.Checkpoint, "--dataset", f.Dataset, "--out", f.File("eval-spatial"), "--panels", "0"));
        Assert.DoesNotContain("of the test pixels lie in training tiles", Flat(spatial), StringComparison.Ordinal);
    }

    [Fact]
    public void Test_metrics_are_never_written_into_the_dataset()
    {
        var r = CliRunner.Run("test", "--checkpoint", f.Checkpoint, "--dataset", f.Dataset, "--out", Path.Combine(f.Dataset, "metrics"));
        CliRunner.AssertOneLineError(r, 2, "lies inside the dataset");
        Assert.False(Directory.Exists(Path.Combine(f.Dataset, "metrics")));
    }
}
