using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Scenes;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Scenes;

/// <summary>
/// Builds a scene folder under a temporary folder name beside the target and moves it into place on
/// <see cref="Commit"/>, so a failed or killed run leaves no half-made scene behind.
/// </summary>
public sealed class SceneWriter : IDisposable
{
    private readonly string _finalDirectory;
    private readonly string _workDirectory;
    private bool _done;

    private SceneWriter(string finalDirectory, string workDirectory, RasterGrid grid, IReadOnlyList<GuidanceChannel> channels, GeoTiffOptions options)
    {
        _finalDirectory = finalDirectory;
        _workDirectory = workDirectory;
        Grid = grid;
        Channels = channels;
        Lst = GeoTiffWriter.Create(Path.Combine(workDirectory, SceneFolder.LstFileName), grid, 1, RasterDataType.Float32,
            SceneFolder.NoData, ["lst"], options);
        Guidance = GeoTiffWriter.Create(Path.Combine(workDirectory, SceneFolder.GuidanceFileName), grid, channels.Count,
            RasterDataType.Float32, SceneFolder.NoData, channels.Select(c => c.Name).ToArray(), options);
    }

    /// <summary>The scene grid.</summary>
    public RasterGrid Grid { get; }

    /// <summary>The guidance channels, in band order.</summary>
    public IReadOnlyList<GuidanceChannel> Channels { get; }

    /// <summary>The LST raster being written (one band, Kelvin).</summary>
    public GeoTiffWriter Lst { get; }

    /// <summary>The guidance raster being written (one band per channel).</summary>
    public GeoTiffWriter Guidance { get; }

    /// <summary>Starts a scene at <paramref name="directory"/>, which must not exist or be empty unless
    /// <paramref name="overwrite"/> is set.</summary>
    /// <exception cref="UsageException">The target exists and is not empty.</exception>
    public static SceneWriter Create(string directory, RasterGrid grid, IReadOnlyList<GuidanceChannel> channels,
        GeoTiffOptions? options = null, bool overwrite = false)
    {
        var full = Path.GetFullPath(directory);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !overwrite)
        {
            throw new UsageException($"{directory}: exists and is not empty; choose another --out or pass --force");
        }

        var parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, AtomicFile.TemporaryName(Path.GetFileName(full)));
        Directory.CreateDirectory(work);
        try
        {
            return new SceneWriter(full, work, grid, channels, options ?? GeoTiffOptions.Default);
        }
        catch
        {
            Directory.Delete(work, recursive: true);
            throw;
        }
    }

    /// <summary>Finishes both rasters, writes <c>scene.json</c> and moves the folder into place.</summary>
    public SceneFolder Commit(SceneManifest manifest)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        Lst.Commit();
        Guidance.Commit();
        File.WriteAllText(Path.Combine(_workDirectory, SceneFolder.ManifestFileName), manifest.ToJson() + "\n");
        if (Directory.Exists(_finalDirectory))
        {
            Directory.Delete(_finalDirectory, recursive: true);
        }

        Directory.Move(_workDirectory, _finalDirectory);
        _done = true;
        return SceneFolder.Open(_finalDirectory);
    }

    /// <summary>A manifest skeleton for this writer's grid and channels; the LST is native at the grid's resolution
    /// (true of synthetic scenes) until the caller says otherwise.</summary>
    public SceneManifest Manifest(string id, SceneProvenance provenance, int? epsg) => new()
    {
        Id = id,
        Crs = new SceneCrs(Grid.CrsWkt, epsg),
        GeoTransform = Grid.Transform.ToArray(),
        Width = Grid.Width,
        Height = Grid.Height,
        Lst = new SceneLst(SceneFolder.LstFileName, "K", SceneFolder.NoData, Math.Abs(Grid.Transform.PixelWidth)),
        Guidance = new SceneGuidance(SceneFolder.GuidanceFileName, SceneFolder.NoData, Channels),
        Provenance = provenance,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        Lst.Dispose();
        Guidance.Dispose();
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }
}
