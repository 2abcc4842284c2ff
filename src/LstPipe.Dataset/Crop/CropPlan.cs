using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Dataset.Crop;

/// <summary>A scene as cropped: its base grid is the scene's grid coarsened by <paramref name="Factor"/>.</summary>
internal sealed record ScenePlan(string GivenPath, SceneFolder Scene, TileGrid Grid, Crs Crs, int Factor, int Width, int Height,
    GeoTransform Transform);

/// <summary>The scenes of a crop and what they share: channels, base grid, scale labels, how the truth was made.</summary>
internal sealed record RunPlan(IReadOnlyList<ScenePlan> Scenes, IReadOnlyList<GuidanceChannel> Channels,
    GroundSamplingDistance BaseGsd, string[] Labels,
    double? TruthResampledFrom, double? TruthCoarsenedFrom);

/// <summary>Plans a crop: the scenes, their shared grid and channels, and where the truth sits.</summary>
internal static class CropPlanner
{
    /// <summary>Opens the scenes and checks that they make one dataset: north-up metric grids of one pixel size and
    /// one channel list, the truth where the options put it, tile positions a dataset can name.</summary>
    public static RunPlan Plan(CropOptions o)
    {
        var scenes = new List<ScenePlan>();
        IReadOnlyList<GuidanceChannel>? channels = null;
        double? pixel = null;
        string? firstId = null;
        foreach (var given in o.Scenes)
        {
            var scene = SceneFolder.Open(Path.Combine(o.WorkingDirectory, given));
            var m = scene.Manifest;
            if (!scene.HasGuidance)
            {
                throw new UsageException($"{given}: a coarse scene ({m.Provenance.Sensor ?? "LST only"}, no guidance channels) " +
                    $"cannot be cropped as truth; give it as --real-lr to the crop of a fine scene");
            }

            var gt = m.Transform;
            var crs = Crs.FromWkt(m.Crs.Wkt, Path.Combine(given, SceneFolder.ManifestFileName));
            if (!gt.IsNorthUp || Math.Abs(gt.PixelWidth + gt.PixelHeight) > 1e-9 * gt.PixelWidth)
            {
                throw new DataException($"{given}: the scene grid must be north-up with square pixels to be cropped");
            }

            if (!crs.IsProjected || Math.Abs(crs.MetresPerUnit - 1) > 1e-9)
            {
                throw new DataException($"{given}: the scene CRS ({crs.Label}) is not projected in metres; ingest it onto a " +
                    $"metric grid (for example UTM)");
            }

            var ground = GroundPixel.Of(new RasterGrid(m.Crs.Wkt, gt, m.Width, m.Height), given);
            if (Math.Abs(ground.Metres - gt.PixelWidth) > 0.02 * ground.Metres)
            {
                throw new DataException(string.Create(CultureInfo.InvariantCulture, $"{given}: its pixels are " +
                    $"{ground.MapSize(crs.Label)}, on the ground {ground.Metres:0.##} m; ingest it onto a grid whose metres are " +
                        $"metres on the ground (for example UTM; near a pole, a polar grid true to scale at its centre, such as " +
                        $"EPSG:6931 or 6932, Lambert azimuthal equal-area)"));
            }

            if (channels is null)
            {
                channels = m.Guidance.Bands;
                pixel = gt.PixelWidth;
                firstId = m.Id;
            }
            else if (!channels.Select(c => c.Name).SequenceEqual(m.Guidance.Bands.Select(c => c.Name)))
            {
                throw new DataException(
                    $"{given}: guidance channels [{string.Join(",", m.Guidance.Bands.Select(b => b.Name))}] differ from scene " +
                        $"{firstId}'s [{string.Join(",", channels.Select(b => b.Name))}]; one dataset needs one channel list");
            }
            else if (Math.Abs(gt.PixelWidth - pixel!.Value) > 1e-6)
            {
                throw new DataException(string.Create(CultureInfo.InvariantCulture,
                    $"{given}: pixel size {gt.PixelWidth} m differs from scene {firstId}'s {pixel} m; one dataset needs one " +
                        $"base resolution"));
            }

            if (scenes.Any(s => s.Scene.Manifest.Id == m.Id))
            {
                throw new UsageException($"{given}: scene id '{m.Id}' is given twice");
            }

            scenes.Add(new ScenePlan(given, scene, new TileGrid(m.Width, m.Height, new Pixels(o.TileSize), o.Step), crs, 1,
                m.Width, m.Height, gt));
        }

        var (factor, resampledFrom) = TruthFactor(o, scenes, pixel ?? 30);
        for (var i = 0; i < scenes.Count; i++)
        {
            var sp = scenes[i];
            var m = sp.Scene.Manifest;
            var (w, h) = (m.Width / factor, m.Height / factor);
            var grid = new TileGrid(w, h, new Pixels(o.TileSize), o.Step);
            if (grid.Count == 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"{sp.GivenPath}: the scene is {w} x {h} px at {pixel * factor} m, smaller than one {o.TileSize} px tile; " +
                        $"use a smaller --size or a larger scene"));
            }

            var t = sp.Transform;
            scenes[i] = sp with
            {
                Grid = grid,
                Factor = factor,
                Width = w,
                Height = h,
                Transform = new GeoTransform(t.OriginX,
                t.PixelWidth * factor, t.RowRotation, t.OriginY, t.ColumnRotation, t.PixelHeight * factor)
            };
        }

        var gsd = GroundSamplingDistance.FromMetres((pixel ?? 30) * factor);
        var labels = o.Scales.Select(s => DatasetLayout.ScaleLabel(gsd, s)).ToArray();
        var positions = scenes.Sum(s => (long)s.Grid.Count);
        if (positions > DatasetLayout.MaxTiles)
        {
            throw new UsageException($"{positions} tile positions exceed the {DatasetLayout.MaxTiles} a dataset can name with " +
                $"{DatasetLayout.NameDigits} digits; split the scenes over several datasets");
        }

        return new RunPlan(scenes, channels!, gsd, labels, resampledFrom, factor > 1 ? pixel : null);
    }

    /// <summary>The factor from the scenes' grid to the dataset's base grid, and the native resolution the truth was
    /// resampled from where <see cref="TruthMode.Resampled"/> allows it.</summary>
    /// <exception cref="UsageException">The LST is natively coarser than the grid and the options do not say what to do.</exception>
    private static (int Factor, double? ResampledFrom) TruthFactor(CropOptions o, IReadOnlyList<ScenePlan> scenes, double pixel)
    {
        var coarsest = scenes.MaxBy(s => s.Scene.Manifest.Lst.NativeResolutionMetres ?? pixel);
        var native = coarsest?.Scene.Manifest.Lst.NativeResolutionMetres ?? pixel;
        if (native <= pixel * 1.01)
        {
            return (1, null);
        }

        var factor = 1;
        while (pixel * factor < native / 1.01)
        {
            factor *= 2;
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return o.Truth switch
        {
            TruthMode.Native => (factor, null),
            TruthMode.Resampled => (1, native),
            _ => throw new UsageException(string.Create(inv,
                $"{coarsest!.GivenPath}: its LST is natively {native:0.#} m, so {pixel:0.#} m truth would be resampled, not " +
                    $"measured; crop with --truth native (base {pixel * factor:0.#} m: " +
                        $"{string.Join("/", o.Scales.Select(s => (pixel * factor * s.Value).ToString("0.#", inv)))} m, guidance " +
                            $"averaged onto it) or --truth resampled (keeps {pixel:0.#} m; the card records truthResampledFrom: " +
                                $"{native:0.#})")),
        };
    }

    /// <summary>SHA-256 of a scene's three files.</summary>
    public static SortedDictionary<string, string> SceneChecksums(ScenePlan sp) => new(StringComparer.Ordinal)
    {
        [SceneFolder.ManifestFileName] = Checksums.Sha256(Path.Combine(sp.Scene.Directory, SceneFolder.ManifestFileName)),
        [SceneFolder.LstFileName] = Checksums.Sha256(sp.Scene.LstPath),
        [SceneFolder.GuidanceFileName] = Checksums.Sha256(sp.Scene.GuidancePath),
    };
}
