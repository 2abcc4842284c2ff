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
}
