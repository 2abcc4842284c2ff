using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Scenes;

/// <summary>
/// Writes a scene folder inside an <see cref="OutputTransaction"/>: the rasters and <c>scene.json</c> go into its
/// staging folder, which <see cref="Commit"/> puts in place, so a failed or killed run leaves no half-made scene
/// behind and a replaced scene stays as it was until the new one is whole. Both rasters are cloud-optimized GeoTIFFs
/// (<see cref="GeoTiffOptions.CloudOptimized"/>), whatever codec and tiles the options give.
/// </summary>
public sealed class SceneWriter : IDisposable
{
    private readonly OutputTransaction _output;
    private readonly bool _ownsOutput;
    private readonly string _workDirectory;
    private bool _done;

    private SceneWriter(OutputTransaction output, RasterGrid grid, IReadOnlyList<GuidanceChannel> channels,
        GeoTiffOptions options, bool owns = false)
    {
        (_output, _ownsOutput) = (output, owns);
        var workDirectory = _workDirectory = output.Path;
        Grid = grid;
        Channels = channels;
        options = options with { CloudOptimized = true };
        Lst = GeoTiffWriter.Create(Path.Combine(workDirectory, SceneFolder.LstFileName), grid, 1, RasterDataType.Float32,
            SceneFolder.NoData, ["lst"], options);
        Guidance = channels.Count == 0 ? null : GeoTiffWriter.Create(Path.Combine(workDirectory, SceneFolder.GuidanceFileName), grid,
            channels.Count, RasterDataType.Float32, SceneFolder.NoData, channels.Select(c => c.Name).ToArray(), options);
    }

    /// <summary>The scene grid.</summary>
    public RasterGrid Grid { get; }

    /// <summary>The guidance channels, in band order.</summary>
    public IReadOnlyList<GuidanceChannel> Channels { get; }

    /// <summary>The LST raster being written (one band, Kelvin).</summary>
    public GeoTiffWriter Lst { get; }

    /// <summary>The guidance raster being written (one band per channel); null for a coarse scene (no channels).</summary>
    public GeoTiffWriter? Guidance { get; }

    /// <summary>Starts a scene in the folder of <paramref name="output"/> (begun with
    /// <see cref="OutputTransaction.Folder"/>, not in place).</summary>
    public static SceneWriter Create(OutputTransaction output, RasterGrid grid, IReadOnlyList<GuidanceChannel> channels,
        GeoTiffOptions? options = null) => new(output, grid, channels, options ?? GeoTiffOptions.Default);

    /// <summary>Starts a scene at <paramref name="directory"/> in a transaction of its own (no inputs to guard), which
    /// must be absent or empty unless <paramref name="overwrite"/> is set.</summary>
    /// <exception cref="Core.Errors.UsageException">The target exists and is not empty.</exception>
    public static SceneWriter Create(string directory, RasterGrid grid, IReadOnlyList<GuidanceChannel> channels,
        GeoTiffOptions? options = null, bool overwrite = false)
    {
        var output = OutputTransaction.Folder(directory, overwrite ? OutputMode.Force : OutputMode.New, "lstpipe", [],
            occupied: $"{directory}: exists and is not empty; choose another --out or pass --force");
        try
        {
            return new SceneWriter(output, grid, channels, options ?? GeoTiffOptions.Default, owns: true);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Finishes both rasters, writes <c>scene.json</c> and moves the folder into place.</summary>
    public SceneFolder Commit(SceneManifest manifest)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        Lst.Commit();
        Guidance?.Commit();
        File.WriteAllText(Path.Combine(_workDirectory, SceneFolder.ManifestFileName), manifest.ToJson() + "\n");
        _output.Commit();
        _done = true;
        return SceneFolder.Open(_output.FinalPath);
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
        Guidance = new SceneGuidance(Channels.Count == 0 ? null : SceneFolder.GuidanceFileName, SceneFolder.NoData, Channels),
        Provenance = provenance,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_done)
        {
            _done = true;
            Lst.Dispose();
            Guidance?.Dispose();
        }

        if (_ownsOutput)
        {
            _output.Dispose();
        }
    }
}
