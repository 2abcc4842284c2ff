using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Synthetic.Tests;

public class SyntheticSceneGeneratorTests
{
    private static SceneFolder Make(TempDir dir, string name, int size, int seed, int tile = 256) =>
        SyntheticSceneGenerator.Generate(
            new SyntheticSceneOptions { Width = size, Height = size, Seed = seed, Output = GeoTiffOptions.Default with { TileSize = tile } },
            dir.File(name));

    internal static float[] ReadBand(string path, int band)
    {
        using var ds = RasterDataset.Open(path);
        var v = new float[ds.Width * ds.Height];
        ds.GetBand(band).Read(ds.Extent, v);
        return v;
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes()
    {
        using var dir = new TempDir();
        var a = Make(dir, "a", 256, 5);
        var b = Make(dir, "b", 256, 5);
        Assert.Equal(Checksums.Sha256(a.LstPath), Checksums.Sha256(b.LstPath));
        Assert.Equal(Checksums.Sha256(a.GuidancePath), Checksums.Sha256(b.GuidancePath));
    }

    [Fact]
    public void Another_seed_gives_another_scene()
    {
        using var dir = new TempDir();
        Assert.NotEqual(ReadBand(Make(dir, "a", 128, 1).LstPath, 1), ReadBand(Make(dir, "b", 128, 2).LstPath, 1));
    }

    [Fact]
    public void A_small_scene_is_the_corner_of_a_large_one_whatever_the_strip_size()
    {
        using var dir = new TempDir();
        var small = Make(dir, "small", 192, 9, tile: 64);
        var large = Make(dir, "large", 320, 9, tile: 256);
        for (var band = 1; band <= 10; band++)
        {
            var s = ReadBand(small.GuidancePath, band);
            var l = ReadBand(large.GuidancePath, band);
            for (var r = 0; r < 192; r++)
            {
                Assert.Equal(s.AsSpan(r * 192, 192).ToArray(), l.AsSpan(r * 320, 192).ToArray());
            }
        }
    }

    [Fact]
    public void The_manifest_records_grid_channels_and_generator()
    {
        using var dir = new TempDir();
        var scene = Make(dir, "s", 128, 4);
        var m = scene.Manifest;
        Assert.Equal("synth-s4-128x128", m.Id);
        Assert.Equal(32650, m.Crs.Epsg);
        Assert.Equal([399960, 30, 0, 4400040, 0, -30], m.GeoTransform);
        Assert.Equal(Raster.Scenes.GuidanceChannel.GrokLstNames, m.Guidance.Bands.Select(b => b.Name));
        Assert.Equal("4", m.Provenance.Parameters["seed"]);
        Assert.Equal("K", m.Lst.Unit);
    }

    [Theory]
    [InlineData(10, 32650)]
    [InlineData(256, 4326)]
    public void Bad_options_are_usage_errors_and_write_nothing(int size, int epsg)
    {
        using var dir = new TempDir();
        Assert.Throws<UsageException>(() => SyntheticSceneGenerator.Generate(
            new SyntheticSceneOptions { Width = size, Height = size, Epsg = epsg }, dir.File("x")));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Cancellation_leaves_no_partial_scene()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => SyntheticSceneGenerator.Generate(
            new SyntheticSceneOptions { Width = 128, Height = 128 }, dir.File("x"), cancellationToken: cts.Token));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
