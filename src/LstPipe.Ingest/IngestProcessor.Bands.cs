using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Masks;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest;

// Ingest: which bands a product has, physics warnings, the LST's native resolution and the smoothing at it.
public static partial class IngestProcessor
{
    /// <summary>Drops the optional bands whose files the product lacks, with the channels and masks that need them.</summary>
    private static IngestRecipe LeaveOutMissingBands(IngestRecipe recipe, string input, Action<string> warn)
    {
        var missing = recipe.Bands.Where(b => b.Optional && TryFindFile(input, b.File) is null).Select(b => b.Name).ToHashSet();
        if (missing.Count == 0)
        {
            return recipe;
        }

        var lstNeeds = new[] { recipe.Lst.Band, recipe.Lst.Band2, recipe.Lst.Red,
            recipe.Lst.Nir }.Where(n => n is not null && missing.Contains(n)).ToArray();
        if (lstNeeds.Length > 0)
        {
            throw new UsageException($"{input}: has no file for band '{lstNeeds[0]}' ('{recipe.Band(lstNeeds[0]!).File}'), " +
                $"which the LST needs");
        }

        var channels = recipe.Guidance.Where(c => c.Expression.Names.Any(missing.Contains)).Select(c => c.Channel.Name).ToArray();
        if (channels.Length == recipe.Guidance.Count)
        {
            throw new UsageException($"{input}: lacks band(s) {string.Join(", ", missing.Order())}, and every guidance channel " +
                $"needs one of them");
        }

        var masks = recipe.Masks.Where(m => missing.Contains(m.Band)).Select(m => m.Band).ToArray();
        foreach (var b in missing.Order(StringComparer.Ordinal))
        {
            warn($"{input}: no file matches '{recipe.Band(b).File}' (optional band '{b}')" +
                 (channels.Length > 0 ? $"; channels left out: {string.Join(", ", channels)}" : "") +
                 (masks.Contains(b) ? "; its quality mask is not applied" : ""));
        }

        return recipe with
        {
            Bands = recipe.Bands.Where(b => !missing.Contains(b.Name)).ToArray(),
            Guidance = recipe.Guidance.Where(c => !channels.Contains(c.Channel.Name)).ToArray(),
            Masks = recipe.Masks.Where(m => !missing.Contains(m.Band)).ToArray(),
        };
    }

    private static void WarnAboutPhysics(IngestRecipe recipe, ProductMetadata? mtl, IReadOnlyList<(RecipeMask Mask,
        QualityMask Decoder)> masks, Action<string> warn)
    {
        var lst = recipe.Lst;
        var guessed = recipe.Guidance.Where(c => !c.KindStated && c.Channel.Kind is GuidanceKinds.ReflectanceToa
            or GuidanceKinds.ReflectanceSurface).ToArray();
        if (guessed.Length > 0)
        {
            warn($"{recipe.Path}:{guessed[0].Line}: channel(s) {string.Join(", ", guessed.Select(c => c.Channel.Name))} are " +
                $"labelled {guessed[0].Channel.Kind} by their names only; say what the bands are with 'kind: reflectance-toa' " +
                $"or 'kind: reflectance-surface' (or dn, radiance, ...) under 'bands'");
        }

        if (recipe.Sensor is null && mtl is null && recipe.Product == ProductKind.GeoTiff)
        {
            warn($"{recipe.Path}: states no 'sensor', so scene.json names none; add for example 'sensor: Landsat 8 OLI/TIRS'");
        }

        if (lst.Method == "single-channel" && lst.FromBrightness && lst.Emissivity == "none")
        {
            warn($"{recipe.Path}:{lst.Line}: no emissivity correction, so the LST is brightness temperature");
        }

        if (lst.Method == "single-channel" && lst.FromBrightness && lst.Atmosphere is null)
        {
            warn($"{recipe.Path}:{lst.Line}: the LST is not atmospherically corrected (typically several K too cold in humid " +
                $"air); give 'lst.atmosphere: {{transmittance, upwelling, downwelling}}' from NASA's atmospheric correction " +
                    $"parameter calculator for this scene");
        }

        if (lst.Method == "split-window" && recipe.Product == ProductKind.Sdgsat1 && lst.CoefficientsSource == "jimenez-munoz2014")
        {
            warn($"{recipe.Path}:{lst.Line}: the split-window coefficients are Landsat 8 TIRS's (Jimenez-Munoz et al. 2014), " +
                $"applied to SDGSAT-1 TIS bands 2 and 3 as an approximation; give SDGSAT-1 coefficients under " +
                    $"'lst.coefficients' for a sensor-specific retrieval");
        }

        if (recipe.Product is ProductKind.LandsatL1 or ProductKind.LandsatC2L2 or ProductKind.Sdgsat1 &&
            !masks.Any(m => m.Decoder.Flags.Contains(QualityFlag.Cloud) && QualityMask.Supported(m.Decoder.Scheme) is var s
                && (s.Count == 0 || s.Contains(QualityFlag.Cloud))))
        {
            var cover = mtl?.Get("CLOUD_COVER") ?? mtl?.Get("CloudPercent") ?? mtl?.Get("CloudCover");
            warn($"{recipe.Path}: no cloud mask, so cloudy pixels stay in the " +
                $"LST" + (cover is null ? "" : $" (the product's cloud cover is {cover}%)") + "; add a quality band under 'masks'");
        }
    }

    /// <summary>The native resolution of the LST in metres: the recipe's, else the sensor's, and never finer than
    /// the LST source's own pixels.</summary>
    private static (double Metres, string Source) NativeResolution(IngestRecipe recipe, ProductMetadata? mtl, RasterDataset lstSource)
    {
        var pixel = PixelSizeMetres(lstSource);
        ThermalSensor? sensor = recipe.Product switch
        {
            ProductKind.LandsatL1 or ProductKind.LandsatC2L2 when mtl is not null => ThermalPhysics.Of(LandsatCalibration.SensorOf(mtl)),
            ProductKind.LandsatC2L2 => Path.GetFileName(lstSource.Path).ToUpperInvariant() switch
            {
                var n when n.StartsWith("LC08", StringComparison.Ordinal) || n.StartsWith("LC09",
                    StringComparison.Ordinal) => ThermalSensor.LandsatTirs,
                var n when n.StartsWith("LE07", StringComparison.Ordinal) => ThermalSensor.LandsatEtm,
                var n when n.StartsWith("LT0", StringComparison.Ordinal) => ThermalSensor.LandsatTm,
                _ => null,
            },
            ProductKind.EcostressL2 => ThermalSensor.Ecostress,
            ProductKind.Sdgsat1 => ThermalSensor.SdgsatTis,
            ProductKind.ModisLst => ThermalSensor.Modis,
            _ => null,
        };
        var (metres, source) = recipe.Lst.NativeResolutionMetres is { } r ? (r, "the recipe's lst.native_resolution")
            : sensor is { } s ? (ThermalPhysics.NativeResolutionMetres(s), SensorName(s))
            : throw new UsageException($"{recipe.Path}: cannot tell which sensor made {lstSource.Path}, so not what it resolved; " +
                "state it as 'lst.native_resolution' (metres) in the recipe");
        return pixel > metres * 1.01 ? (pixel, $"{Path.GetFileName(lstSource.Path)}, resampled coarser than the sensor") : (metres, source);
    }

    private static string SensorName(ThermalSensor s) => s switch
    {
        ThermalSensor.LandsatTm => "Landsat 4/5 TM band 6",
        ThermalSensor.LandsatEtm => "Landsat 7 ETM+ band 6",
        ThermalSensor.LandsatTirs => "Landsat 8/9 TIRS",
        ThermalSensor.Ecostress => "ECOSTRESS",
        ThermalSensor.Modis => "MODIS 1 km sinusoidal grid",
        _ => "SDGSAT-1 TIS",
    };

    /// <summary>The thermal band's pixels over the grid: cells of the native size on the CRS's lattice of multiples of that
    /// size, so a place averages the same pixels whatever the extent of the product it is read from (a whole scene, or
    /// a window of it clipped to a region).</summary>
    private static RasterGrid ThermalGrid(RasterGrid grid, double factor)
    {
        var t = grid.Transform;
        var size = t.PixelWidth * factor;
        var (right, bottom) = (t.OriginX + grid.Width * t.PixelWidth, t.OriginY + grid.Height * t.PixelHeight);
        var (x0, y0) = (Math.Floor(t.OriginX / size + 1e-9) * size, Math.Ceiling(t.OriginY / size - 1e-9) * size);
        return new RasterGrid(grid.CrsWkt, GeoTransform.NorthUp(x0, y0, size),
            (int)Math.Ceiling((right - x0) / size - 1e-9), (int)Math.Ceiling((y0 - bottom) / size - 1e-9));
    }

    /// <summary>A reflective band averaged onto the thermal band's pixels, then interpolated back onto the grid.</summary>
    private static AlignedBand Smooth(SourceBand source, RecipeBand band, RasterGrid grid, RasterGrid coarse, string work,
        Dictionary<string, RasterDataset> warped)
    {
        var d = source.Dataset;
        var noData = band.NoData ?? d.GetBand(band.Band).NoData ?? (BandCalibration.ZeroIsFill(band.Calibration) ? 0 : null);
        var key = $"{d.Path}|thermal";
        if (!warped.TryGetValue(key, out var target))
        {
            var coarsePath = Path.Combine(work, $"thermal-{warped.Count}.tif");
            Warper.Warp(d, coarsePath, new WarpOptions
            {
                Target = coarse,
                Method = Resampling.Average,
                SourceNoData = noData,
                DestinationNoData = SceneFolder.NoData,
                Output = GeoTiffOptions.Default with { Compression = TiffCompression.None },
            });
            var backPath = Path.Combine(work, $"thermal-{warped.Count}-grid.tif");
            Warper.Warp(coarsePath, backPath, new WarpOptions
            {
                Target = grid,
                Method = Resampling.Bilinear,
                SourceNoData = SceneFolder.NoData,
                DestinationNoData = SceneFolder.NoData,
                Output = GeoTiffOptions.Default with { Compression = TiffCompression.None },
            });
            target = RasterDataset.Open(backPath);
            warped[key] = target;
        }

        return new AlignedBand(target.GetBand(band.Band), SceneFolder.NoData);
    }
}
