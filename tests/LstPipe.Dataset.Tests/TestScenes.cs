using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;

namespace LstPipe.Dataset.Tests;

/// <summary>Scene folders for dataset tests: synthetic ones, and hand-made ones with chosen values.</summary>
internal static class TestScenes
{
    public static string Synthetic(string dir, int width, int height, int seed = 0) =>
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = width, Height = height, Seed = seed, Id = $"synth-{seed}" }, dir).Directory;

    /// <summary>Ten guidance channels of kind <c>other</c> (<c>g1</c> ... <c>g10</c>), which any values fit.</summary>
    public static IReadOnlyList<GuidanceChannel> Other { get; } =
        [.. Enumerable.Range(1, 10).Select(i => new GuidanceChannel($"g{i}", "1", "test values"))];

    /// <summary>A scene whose value at (x, y) in band b (0 = LST) is given; NaN becomes nodata. The channels are
    /// <see cref="Other"/> unless given.</summary>
    public static string Custom(string dir, string id, int width, int height, Func<int, int, int, float> value,
        IReadOnlyList<GuidanceChannel>? channels = null, double pixel = 30, double? nativeResolution = null)
    {
        channels ??= Other;
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTransform.NorthUp(500000, 4000000, pixel), width, height);
        using var writer = SceneWriter.Create(dir, grid, channels);
        var values = new float[width * height];
        for (var b = 0; b <= channels.Count; b++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var v = value(x, y, b);
                    values[y * width + x] = float.IsNaN(v) ? (float)SceneFolder.NoData : v;
                }
            }

            if (b == 0)
            {
                writer.Lst.Write(1, grid.Extent, values);
            }
            else
            {
                writer.Guidance!.Write(b, grid.Extent, values);
            }
        }

        var manifest = writer.Manifest(id, new SceneProvenance { Sensor = "test" }, 32650);
        if (nativeResolution is { } native)
        {
            manifest = manifest with { Lst = manifest.Lst with { NativeResolutionMetres = native } };
        }

        return writer.Commit(manifest).Directory;
    }

    /// <summary>SHA-256 of every file under a folder, by relative path.</summary>
    public static SortedDictionary<string, string> Hashes(string dir) => new(
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), Core.IO.Checksums.Sha256), StringComparer.Ordinal);
}
