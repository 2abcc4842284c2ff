using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Scenes;

/// <summary>
/// A scene folder: <c>scene.json</c>, <c>lst.tif</c> and <c>guidance.tif</c> on one grid. Opening validates the
/// contract (files present, sizes and band counts as declared, guidance band descriptions equal to the channel names).
/// </summary>
public sealed class SceneFolder
{
    /// <summary>Manifest file name.</summary>
    public const string ManifestFileName = "scene.json";

    /// <summary>LST raster file name.</summary>
    public const string LstFileName = "lst.tif";

    /// <summary>Guidance raster file name.</summary>
    public const string GuidanceFileName = "guidance.tif";

    /// <summary>The nodata value lstpipe writes into scene rasters.</summary>
    public const double NoData = -9999;

    private SceneFolder(string directory, SceneManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The parsed manifest.</summary>
    public SceneManifest Manifest { get; }

    /// <summary>Path of the LST raster.</summary>
    public string LstPath => Path.Combine(Directory, Manifest.Lst.File);

    /// <summary>The LST's declared unit (checked when the folder was opened).</summary>
    public TemperatureUnit LstUnit => LstUnits.TryParse(Manifest.Lst.Unit) ?? TemperatureUnit.Kelvin;

    /// <summary>Whether the scene has guidance channels; a coarse scene (a MODIS granule) has none.</summary>
    public bool HasGuidance => Manifest.Guidance.Present;

    /// <summary>Path of the guidance raster.</summary>
    /// <exception cref="UsageException">The scene is a coarse one, without guidance.</exception>
    public string GuidancePath => Manifest.Guidance.File is { } file && HasGuidance ? Path.Combine(Directory, file)
        : throw new UsageException($"{Directory}: a coarse scene ({Manifest.Provenance.Sensor ?? "LST only"}, " +
            $"{Manifest.Lst.NativeResolutionMetres?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) ?? "?"} m) " +
            $"has no guidance channels; use it as the coarse LST ('crop --real-lr', 'predict --lst'), not as guidance or truth");

    /// <summary>Whether <paramref name="path"/> is a folder with a <c>scene.json</c>.</summary>
    public static bool IsSceneFolder(string path) =>
        System.IO.Directory.Exists(path) && File.Exists(Path.Combine(path, ManifestFileName));

    /// <summary>Opens and validates a scene folder.</summary>
    /// <exception cref="UsageException">The folder or its manifest is missing.</exception>
    /// <exception cref="DataException">The manifest or rasters break the contract.</exception>
    public static SceneFolder Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new UsageException($"{directory}: no such scene folder");
        }

        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new UsageException(
                $"{directory}: not a scene folder (no {ManifestFileName}); make one with 'lstpipe synth' or 'lstpipe ingest'");
        }

        SceneManifest manifest;
        try
        {
            manifest = SceneManifest.FromJson(File.ReadAllText(manifestPath));
        }
        catch (JsonException e)
        {
            throw new DataException($"{manifestPath}: not a valid scene manifest: {GdalRuntime.OneLine(e.Message)}");
        }

        if (manifest.Format != SceneManifest.CurrentFormat)
        {
            throw new DataException($"{manifestPath}: format '{manifest.Format}' is not '{SceneManifest.CurrentFormat}'");
        }

        if (LstUnits.TryParse(manifest.Lst.Unit) is null)
        {
            throw new DataException($"{manifestPath}: lst.unit '{manifest.Lst.Unit}' is not a temperature unit; use {LstUnits.Accepted}");
        }

        foreach (var (key, name) in new[] { ("lst.file", manifest.Lst?.File), ("guidance.file", manifest.Guidance?.File) })
        {
            if (key == "guidance.file" && name is null && manifest.Guidance is { Present: false })
            {
                continue;
            }

            if (PlainFileName.Problem(name) is { } problem)
            {
                throw new DataException($"{manifestPath}: {key} {PlainFileName.Quoted(name)} is not a plain file name " +
                    $"({problem}); a scene's rasters lie inside its folder");
            }
        }

        var scene = new SceneFolder(directory, manifest);
        scene.Validate(manifestPath);
        return scene;
    }

    /// <summary>Opens the LST raster.</summary>
    public RasterDataset OpenLst() => RasterDataset.Open(LstPath);

    /// <summary>Opens the guidance raster.</summary>
    public RasterDataset OpenGuidance() => RasterDataset.Open(GuidancePath);

    private void Validate(string manifestPath)
    {
        var m = Manifest;
        if (m.GeoTransform.Length != 6)
        {
            throw new DataException($"{manifestPath}: geoTransform must hold six numbers");
        }

        if (!m.Transform.IsNorthUp)
        {
            throw new DataException($"{manifestPath}: geoTransform ({m.Transform}) is not north-up; a scene's grid is north-up " +
                $"(its rasters are read north first): write the north-up transform of the same ground, or re-ingest the scene");
        }

        if (!m.Guidance.Present && m.Guidance.File is not null)
        {
            throw new DataException($"{manifestPath}: guidance.file '{m.Guidance.File}' is named but declares no channels; a " +
                $"coarse scene leaves guidance.file out");
        }

        GuidanceCheck.Channels(m.Guidance.Bands, manifestPath);
        using var lst = OpenLst();
        CheckGrid(lst, 1);
        if (!m.Guidance.Present)
        {
            return;
        }

        using var guidance = OpenGuidance();
        CheckGrid(guidance, m.Guidance.Bands.Count);
        for (var i = 0; i < m.Guidance.Bands.Count; i++)
        {
            var description = guidance.GetBand(i + 1).Description;
            if (description != m.Guidance.Bands[i].Name)
            {
                throw new DataException(
                    $"{GuidancePath}: band {i + 1} is '{description}' but {ManifestFileName} says '{m.Guidance.Bands[i].Name}'");
            }
        }
    }

    private void CheckGrid(RasterDataset raster, int bands)
    {
        var m = Manifest;
        if (raster.Width != m.Width || raster.Height != m.Height)
        {
            throw new DataException(
                $"{raster.Path}: is {raster.Width} x {raster.Height} px but {ManifestFileName} says {m.Width} x {m.Height}");
        }

        if (raster.BandCount != bands)
        {
            throw new DataException($"{raster.Path}: has {raster.BandCount} bands, expected {bands}");
        }

        var gt = raster.GeoTransform.ToArray();
        for (var i = 0; i < 6; i++)
        {
            if (Math.Abs(gt[i] - m.GeoTransform[i]) > 1e-6 * Math.Max(1, Math.Abs(m.GeoTransform[i])))
            {
                throw new DataException($"{raster.Path}: geotransform differs from {ManifestFileName}; the rasters must share " +
                    $"the scene grid");
            }
        }

        var declared = Gdal.Crs.FromWkt(m.Crs.Wkt, System.IO.Path.Combine(Directory, ManifestFileName));
        if (raster.Crs is not { } crs || !crs.IsSameAs(declared))
        {
            throw new DataException($"{raster.Path}: its CRS ({raster.Crs?.Label ?? "none"}) differs from {ManifestFileName}'s " +
                $"({declared.Label}); the rasters must share the scene grid");
        }
    }
}
