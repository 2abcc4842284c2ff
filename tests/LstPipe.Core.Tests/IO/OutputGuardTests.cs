using LstPipe.Core.Errors;
using LstPipe.Core.IO;

namespace LstPipe.Core.Tests.IO;

public class OutputGuardTests
{
    [Fact]
    public void An_input_reached_through_a_symlink_into_the_output_is_refused()
    {
        using var dir = new TempDir();
        var scene = Directory.CreateDirectory(dir.File("out/scene")).FullName;
        Directory.CreateSymbolicLink(dir.File("scene_link"), "out/scene");
        var e = Assert.Throws<UsageException>(() => OutputGuard.RefuseOverlap(dir.File("out"), [(dir.File("scene_link"), "scene")]));
        Assert.Contains("the output contains the scene", e.Message, StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => OutputGuard.RefuseOverlap(dir.File("scene_link"), [(scene, "scene")]));
    }

    [Fact]
    public void An_output_whose_parent_or_existing_part_is_a_symlink_into_an_input_is_refused()
    {
        using var dir = new TempDir();
        var dataset = Directory.CreateDirectory(dir.File("ds")).FullName;
        Directory.CreateSymbolicLink(dir.File("alias"), dataset);
        Directory.CreateDirectory(dir.File("a/b"));
        Directory.CreateSymbolicLink(dir.File("a/b/up"), "../..");
        var e = Assert.Throws<UsageException>(() => OutputGuard.RefuseOverlap(dir.File("alias/new/run"), [(dataset, "dataset")]));
        Assert.Contains("the output lies inside the dataset", e.Message, StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => OutputGuard.RefuseOverlap(dir.File("a/b/up/ds"), [(dataset, "dataset")]));
        Assert.Throws<UsageException>(() => OutputGuard.RefuseOverlap(dir.File("a/b/up/ds/../ds"), [(dataset, "dataset")]));
        OutputGuard.RefuseOverlap(dir.File("a/b/up/elsewhere"), [(dataset, "dataset")]);
    }

    [Fact]
    public void A_file_inside_an_input_folder_that_links_into_the_output_is_refused()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("out"));
        File.WriteAllText(dir.File("out/lst.tif"), "x");
        var scene = Directory.CreateDirectory(dir.File("scene")).FullName;
        File.CreateSymbolicLink(Path.Combine(scene, "lst.tif"), dir.File("out/lst.tif"));
        var e = Assert.Throws<UsageException>(() => OutputGuard.RefuseOverlap(dir.File("out"), [(scene, "scene")]));
        Assert.Contains("lst.tif", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_follows_every_link_and_stops_on_a_loop()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("real/inner"));
        Directory.CreateSymbolicLink(dir.File("l1"), "real");
        Directory.CreateSymbolicLink(dir.File("real/l2"), "inner");
        var real = Path.Combine(new DirectoryInfo(dir.Path).ResolveLinkTarget(true)?.FullName ?? dir.Path, "real", "inner", "missing", "x");
        Assert.Equal(real, OutputGuard.Resolve(dir.File("l1/l2/missing/./x")));
        Directory.CreateSymbolicLink(dir.File("loop"), "loop");
        Assert.Contains("too many levels of symbolic links", Assert.Throws<UsageException>(() => OutputGuard.Resolve(dir.File("loop/x"))).Message, StringComparison.Ordinal);
    }
}
