using System.Globalization;
using System.IO.Enumeration;
using System.Text.RegularExpressions;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Scenes;
using LstPipe.Core.Units;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Lst;
using LstPipe.Ingest.Masks;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest;

/// <summary>What an ingest produced.</summary>
/// <param name="Scene">The scene folder written.</param>
/// <param name="ValidLstFraction">Fraction of grid pixels with a valid LST.</param>
/// <param name="MaskedFraction">Fraction of grid pixels removed by the quality masks.</param>
/// <param name="MeanLstKelvin">Mean of the valid LST pixels.</param>
/// <param name="Warnings">Warnings, also printed while running.</param>
public sealed record IngestResult(SceneFolder Scene, double ValidLstFraction, double MaskedFraction, double MeanLstKelvin, IReadOnlyList<string> Warnings);

/// <summary>Progress of an ingest: rows done of the grid's rows.</summary>
/// <param name="Rows">Rows written.</param>
/// <param name="TotalRows">Rows of the grid.</param>
public readonly record struct IngestProgress(int Rows, int TotalRows);

/// <summary>
/// Turns a raw product into a scene folder: finds each recipe band's file, calibrates it, puts every source on one
/// target grid (in-process GDAL warps: average when coarsening, bilinear when refining, nearest for quality bands),
/// builds LST (with the emissivity correction for Level-1 brightness temperature) and the guidance channels block by
/// block, and makes the union of the quality masks nodata in both rasters. The folder appears only when complete.
/// </summary>
public static class IngestProcessor
{
    /// <summary>Runs an ingest.</summary>
    /// <param name="options">Validated or not; validated here.</param>
    /// <param name="progress">Receives row progress.</param>
    /// <param name="warn">Receives each warning as it arises (they are also returned).</param>
    public static IngestResult Run(IngestOptions options, IProgress<IngestProgress>? progress = null, Action<string>? warn = null)
    {
        options = options.Validate();
        OutputGuard.RefuseOverlap(options.Output, [(options.Input, "product folder"), (options.Recipe, "recipe")]);
        using var writer = OutputLock.Acquire(options.Output, options.Command);
        var recipe = IngestRecipe.Load(options.Recipe);
        if (options.Grid is { } overrideGrid)
        {
            recipe = recipe with { Grid = overrideGrid };
        }

        var warnings = new List<string>();
        void Warn(string w)
        {
            warnings.Add(w);
            warn?.Invoke(w);
        }

        var input = Path.GetFullPath(options.Input);
        var mtl = recipe.Metadata is { } glob ? ProductMetadata.Read(FindFile(recipe, input, glob, recipe.Path + " (metadata)")) : null;
        recipe = LeaveOutMissingBands(recipe, input, Warn);
        var sources = recipe.Bands.ToDictionary(b => b.Name, b => OpenSource(recipe, input, b));
        var work = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Output)) ?? ".", AtomicFile.TemporaryName("ingest-work"));
        try
        {
            var calibrations = recipe.Bands.ToDictionary(b => b.Name, b => BandCalibration.For(recipe, b, mtl, g => TryFindFile(input, g)));
            var masks = ResolveMasks(recipe, mtl, Warn);
            WarnAboutPhysics(recipe, mtl, masks, Warn);
            var grid = TargetGrid(recipe, sources, options.GridLike);
            var lstSource = sources[recipe.Lst.Band];
            var targetResolution = PixelSizeMetres(grid);
            var (native, nativeSource) = NativeResolution(recipe, mtl, lstSource.Dataset);
            if (native > targetResolution * 1.01)
            {
                Warn(string.Create(CultureInfo.InvariantCulture,
                    $"the LST ({nativeSource}) is natively {native:0.#} m, coarser than the {targetResolution:0.#} m grid it is resampled onto: it cannot serve as {targetResolution:0.#} m truth; 'lstpipe crop --truth native' builds the dataset at a scale the sensor resolves"));
            }

            Directory.CreateDirectory(work);
            var readers = new Dictionary<string, AlignedBand>();
            var warped = new Dictionary<string, RasterDataset>();
            try
            {
                foreach (var band in recipe.Bands)
                {
                    readers[band.Name] = Align(sources[band.Name], band, grid, targetResolution, work, warped);
                }

                var retrieval = new LstRetrieval(recipe.Lst, calibrations[recipe.Lst.Band].Thermal);
                var smoothed = new Dictionary<string, AlignedBand>();
                var emissivityAt = "grid";
                if (retrieval.NeedsNdvi && recipe.Lst.EmissivityResolution == "thermal" && native > targetResolution * 1.01)
                {
                    if (Crs.FromWkt(grid.CrsWkt).IsGeographic)
                    {
                        Warn($"{recipe.Path}:{recipe.Lst.Line}: the grid is geographic, so the emissivity's NDVI stays at the grid resolution");
                    }
                    else
                    {
                        var coarse = ThermalGrid(grid, native / targetResolution);
                        foreach (var name in new[] { recipe.Lst.Red!, recipe.Lst.Nir! })
                        {
                            smoothed[name] = Smooth(sources[name], recipe.Band(name), grid, coarse, work, warped);
                        }

                        emissivityAt = string.Create(CultureInfo.InvariantCulture, $"thermal ({native:0.#} m: red and NIR averaged to the thermal band's pixels, then bilinear onto the grid)");
                    }
                }

                var context = new WriteContext(recipe, mtl, grid, readers, smoothed, calibrations, masks, sources, retrieval, native, nativeSource, emissivityAt);
                return Write(options, context, progress, warnings, Warn);
            }
            finally
            {
                foreach (var d in warped.Values)
                {
                    d.Dispose();
                }
            }
        }
        finally
        {
            foreach (var s in sources.Values)
            {
                s.Dataset.Dispose();
            }

            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Everything the block loop needs.</summary>
    private sealed record WriteContext(IngestRecipe Recipe, ProductMetadata? Mtl, RasterGrid Grid, Dictionary<string, AlignedBand> Readers,
        Dictionary<string, AlignedBand> Smoothed, Dictionary<string, BandCalibration> Calibrations, IReadOnlyList<(RecipeMask Mask, QualityMask Decoder)> Masks,
        Dictionary<string, SourceBand> Sources, LstRetrieval Retrieval, double NativeResolution, string NativeSource, string EmissivityAt);

    /// <summary>Drops the optional bands whose files the product lacks, with the channels and masks that need them.</summary>
    private static IngestRecipe LeaveOutMissingBands(IngestRecipe recipe, string input, Action<string> warn)
    {
        var missing = recipe.Bands.Where(b => b.Optional && TryFindFile(input, b.File) is null).Select(b => b.Name).ToHashSet();
        if (missing.Count == 0)
        {
            return recipe;
        }

        var lstNeeds = new[] { recipe.Lst.Band, recipe.Lst.Band2, recipe.Lst.Red, recipe.Lst.Nir }.Where(n => n is not null && missing.Contains(n)).ToArray();
        if (lstNeeds.Length > 0)
        {
            throw new UsageException($"{input}: has no file for band '{lstNeeds[0]}' ('{recipe.Band(lstNeeds[0]!).File}'), which the LST needs");
        }

        var channels = recipe.Guidance.Where(c => c.Expression.Names.Any(missing.Contains)).Select(c => c.Channel.Name).ToArray();
        if (channels.Length == recipe.Guidance.Count)
        {
            throw new UsageException($"{input}: lacks band(s) {string.Join(", ", missing.Order())}, and every guidance channel needs one of them");
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

    private static void WarnAboutPhysics(IngestRecipe recipe, ProductMetadata? mtl, IReadOnlyList<(RecipeMask Mask, QualityMask Decoder)> masks, Action<string> warn)
    {
        var lst = recipe.Lst;
        if (lst.Method == "single-channel" && lst.FromBrightness && lst.Emissivity == "none")
        {
            warn($"{recipe.Path}:{lst.Line}: no emissivity correction, so the LST is brightness temperature");
        }

        if (lst.Method == "single-channel" && lst.FromBrightness && lst.Atmosphere is null)
        {
            warn($"{recipe.Path}:{lst.Line}: the LST is not atmospherically corrected (typically several K too cold in humid air); give 'lst.atmosphere: {{transmittance, upwelling, downwelling}}' from NASA's atmospheric correction parameter calculator for this scene");
        }

        if (lst.Method == "split-window" && recipe.Product == ProductKind.Sdgsat1 && lst.CoefficientsSource == "jimenez-munoz2014")
        {
            warn($"{recipe.Path}:{lst.Line}: the split-window coefficients are Landsat 8 TIRS's (Jimenez-Munoz et al. 2014), applied to SDGSAT-1 TIS bands 2 and 3 as an approximation; give SDGSAT-1 coefficients under 'lst.coefficients' for a sensor-specific retrieval");
        }

        if (recipe.Product is ProductKind.LandsatL1 or ProductKind.LandsatC2L2 or ProductKind.Sdgsat1 &&
            !masks.Any(m => m.Decoder.Flags.Contains(QualityFlag.Cloud) && QualityMask.Supported(m.Decoder.Scheme) is var s && (s.Count == 0 || s.Contains(QualityFlag.Cloud))))
        {
            var cover = mtl?.Get("CLOUD_COVER") ?? mtl?.Get("CloudPercent") ?? mtl?.Get("CloudCover");
            warn($"{recipe.Path}: no cloud mask, so cloudy pixels stay in the LST" + (cover is null ? "" : $" (the product's cloud cover is {cover}%)") + "; add a quality band under 'masks'");
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
                var n when n.StartsWith("LC08", StringComparison.Ordinal) || n.StartsWith("LC09", StringComparison.Ordinal) => ThermalSensor.LandsatTirs,
                var n when n.StartsWith("LE07", StringComparison.Ordinal) => ThermalSensor.LandsatEtm,
                var n when n.StartsWith("LT0", StringComparison.Ordinal) => ThermalSensor.LandsatTm,
                _ => null,
            },
            ProductKind.EcostressL2 => ThermalSensor.Ecostress,
            ProductKind.Sdgsat1 => ThermalSensor.SdgsatTis,
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
        _ => "SDGSAT-1 TIS",
    };

    private static RasterGrid ThermalGrid(RasterGrid grid, double factor)
    {
        var t = grid.Transform;
        var size = t.PixelWidth * factor;
        return new RasterGrid(grid.CrsWkt, GeoTransform.NorthUp(t.OriginX, t.OriginY, size),
            (int)Math.Ceiling(grid.Width / factor - 1e-9), (int)Math.Ceiling(grid.Height / factor - 1e-9));
    }

    /// <summary>A reflective band averaged onto the thermal band's pixels, then interpolated back onto the grid.</summary>
    private static AlignedBand Smooth(SourceBand source, RecipeBand band, RasterGrid grid, RasterGrid coarse, string work, Dictionary<string, RasterDataset> warped)
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

    private static IngestResult Write(IngestOptions options, WriteContext x, IProgress<IngestProgress>? progress, List<string> warnings, Action<string> warn)
    {
        var (recipe, grid, readers) = (x.Recipe, x.Grid, x.Readers);
        var channels = recipe.Guidance.Select(c => c.Channel).ToArray();
        var rows = Math.Max(1, Math.Min(options.BlockRows, (1 << 24) / Math.Max(1, grid.Width * (readers.Count + x.Smoothed.Count + channels.Length + 3))));
        rows = Math.Max(8, rows - rows % 8);
        var capacity = rows * grid.Width;
        var values = readers.Keys.ToDictionary(k => k, _ => new float[capacity]);
        var smooth = x.Smoothed.Keys.ToDictionary(k => k, _ => new float[capacity]);
        var lst = new float[capacity];
        var term = new float[capacity];
        var channel = new float[capacity];
        var masked = new bool[capacity];
        long validLst = 0, maskedCount = 0;
        double sumLst = 0;
        var lstDetail = new DetailStatistics();
        var termDetail = new DetailStatistics();
        var lstBand = recipe.Band(recipe.Lst.Band);
        using var writer = SceneWriter.Create(options.Output, grid, channels, overwrite: options.Force);
        foreach (var strip in grid.Extent.Strips(rows))
        {
            var n = (int)strip.Area;
            foreach (var (name, reader) in readers)
            {
                var v = values[name].AsSpan(0, n);
                reader.Read(strip, v);
                x.Calibrations[name].Apply(v);
            }

            foreach (var (name, reader) in x.Smoothed)
            {
                var v = smooth[name].AsSpan(0, n);
                reader.Read(strip, v);
                x.Calibrations[name].Apply(v);
            }

            Array.Clear(masked, 0, n);
            foreach (var (mask, decoder) in x.Masks)
            {
                var q = values[mask.Band];
                for (var i = 0; i < n; i++)
                {
                    masked[i] |= decoder.IsMasked(q[i]);
                }
            }

            ReadOnlySpan<float> Band(string? name) => name is null ? default
                : (smooth.TryGetValue(name, out var s) ? s : values[name]).AsSpan(0, n);
            var t = values[lstBand.Name].AsSpan(0, n);
            var ndvi = x.Retrieval.NeedsNdvi;
            x.Retrieval.Compute(t, recipe.Lst.Band2 is { } b2 ? values[b2].AsSpan(0, n) : default,
                ndvi ? Band(recipe.Lst.Red) : default, ndvi ? Band(recipe.Lst.Nir) : default, lst.AsSpan(0, n));

            for (var i = 0; i < n; i++)
            {
                if (masked[i])
                {
                    maskedCount++;
                    lst[i] = float.NaN;
                }
                else if (float.IsFinite(lst[i]))
                {
                    validLst++;
                    sumLst += lst[i];
                }

                term[i] = lst[i] - t[i];
            }

            lstDetail.Add(lst.AsSpan(0, n), grid.Width, strip.Height);
            termDetail.Add(term.AsSpan(0, n), grid.Width, strip.Height);
            writer.Lst.Write(1, strip, ToNoData(lst.AsSpan(0, n)));
            for (var c = 0; c < recipe.Guidance.Count; c++)
            {
                var span = channel.AsSpan(0, n);
                recipe.Guidance[c].Expression.Evaluate(values, span);
                for (var i = 0; i < n; i++)
                {
                    if (masked[i])
                    {
                        span[i] = float.NaN;
                    }
                }

                writer.Guidance.Write(c + 1, strip, ToNoData(span));
            }

            progress?.Report(new IngestProgress(strip.Bottom, grid.Height));
        }

        if (validLst == 0)
        {
            throw new DataException($"{x.Sources[lstBand.Name].Dataset.Path}: no valid LST pixel on the target grid after calibration and masking " +
                                    "(all fill, cloud or outside the grid); check the recipe's masks and grid");
        }

        foreach (var (name, calibration) in x.Calibrations.Where(c => c.Value.Saturated > 0).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            warn(string.Create(CultureInfo.InvariantCulture,
                $"band '{name}': {calibration.Saturated} pixel(s) saturated (DN {calibration.SaturatedDn} or more) are nodata"));
        }

        var total = (double)grid.Width * grid.Height;
        var provenance = Provenance(options, x, warnings, lstDetail, termDetail);
        var manifest = writer.Manifest(SceneId(options, x.Mtl, x.Sources, lstBand), provenance, Crs.FromWkt(grid.CrsWkt).Epsg) with
        {
            Lst = new SceneLst(SceneFolder.LstFileName, "K", SceneFolder.NoData, Math.Round(x.NativeResolution, 3)),
        };
        var scene = writer.Commit(manifest);
        return new IngestResult(scene, validLst / total, maskedCount / total, sumLst / validLst, warnings);
    }

    private static ReadOnlySpan<float> ToNoData(Span<float> values)
    {
        var nd = (float)SceneFolder.NoData;
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                values[i] = nd;
            }
        }

        return values;
    }

    private static string SceneId(IngestOptions options, ProductMetadata? mtl, Dictionary<string, SourceBand> sources, RecipeBand lstBand)
    {
        if (options.Id is { } id)
        {
            return id;
        }

        if ((mtl?.Get("LANDSAT_PRODUCT_ID") ?? mtl?.Get("LANDSAT_SCENE_ID")) is { } product)
        {
            return product;
        }

        var match = EcostressName.Match(Path.GetFileName(sources[lstBand.Name].Dataset.Path));
        return match.Success ? $"ECOSTRESS_{match.Groups["doy"].Value}" : Path.GetFileName(Path.GetFullPath(options.Output));
    }

    private static readonly Regex EcostressName = new(@"^(?<product>ECO_L\w+?\.\d{3})_.*doy(?<doy>\d{13})", RegexOptions.CultureInvariant);

    private static SceneProvenance Provenance(IngestOptions options, WriteContext x, IReadOnlyList<string> warnings, DetailStatistics lstDetail, DetailStatistics termDetail)
    {
        var (recipe, mtl, sources, masks) = (x.Recipe, x.Mtl, x.Sources, x.Masks);
        var files = new List<SourceFile>();
        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        string Sha(string path) => checksums.TryGetValue(path, out var s) ? s : checksums[path] = Checksums.Sha256(path);
        foreach (var group in recipe.Bands.GroupBy(b => sources[b.Name].Dataset.Path))
        {
            files.Add(new SourceFile(group.Key, Sha(group.Key), string.Join(",", group.Select(b => b.Name))));
        }

        if (mtl is not null)
        {
            files.Add(new SourceFile(mtl.Path, Sha(mtl.Path), "metadata"));
        }

        files.Add(new SourceFile(recipe.Path, Sha(recipe.Path), "recipe"));
        var inv = CultureInfo.InvariantCulture;
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["recipe"] = recipe.Name,
            ["recipe.path"] = recipe.Path,
            ["product"] = recipe.Product.ToString(),
            ["lst.band"] = recipe.Lst.Band,
            ["lst.emissivity"] = recipe.Lst.Emissivity,
            ["thermal_constants"] = recipe.HandbookThermalConstants ? "handbook where the MTL has none" : "mtl",
            ["lst.method"] = x.Retrieval.Description,
            ["lst.atmosphere"] = recipe.Lst.Atmosphere is { } a
                ? string.Create(inv, $"transmittance {a.Transmittance}, upwelling {a.Upwelling}, downwelling {a.Downwelling}")
                : recipe.Lst.FromBrightness && recipe.Lst.Method == "single-channel" ? "none (uncorrected)" : "not needed",
            ["lst.native_resolution"] = string.Create(inv, $"{x.NativeResolution:0.###} m ({x.NativeSource})"),
        };
        if (x.Retrieval.NeedsNdvi)
        {
            parameters["lst.emissivity_resolution"] = x.EmissivityAt;
        }

        for (var k = 0; k < DetailStatistics.Scales.Length; k++)
        {
            var key = "x" + DetailStatistics.Scales[k].ToString(inv);
            parameters[$"lst.detail_rms_K.{key}"] = lstDetail.Rms[k].ToString("0.0000", inv);
            if (recipe.Lst.FromBrightness)
            {
                parameters[$"lst.emissivity_term_detail_rms_K.{key}"] = termDetail.Rms[k].ToString("0.0000", inv);
            }
        }

        foreach (var (name, c) in x.Calibrations.Where(c => c.Value.Note is not null).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            parameters["calibration." + name] = c.Note!;
        }
        foreach (var c in recipe.Guidance)
        {
            parameters["guidance." + c.Channel.Name] = c.Expression.Text;
        }

        foreach (var (m, decoder) in masks)
        {
            parameters["mask." + m.Band] = $"{decoder.Scheme}: {string.Join(",", decoder.Flags.Order())} (confidence >= {decoder.Confidence})";
        }

        for (var i = 0; i < warnings.Count; i++)
        {
            parameters["warning." + (i + 1).ToString(inv)] = warnings[i];
        }

        var productIds = new List<string>();
        if (mtl?.Get("LANDSAT_PRODUCT_ID") is { } pid)
        {
            productIds.Add(pid);
        }

        if (mtl?.Get("LANDSAT_SCENE_ID") is { } sid)
        {
            productIds.Add(sid);
        }

        string? acquired = mtl?.Acquired();
        string? sensor = recipe.Product == ProductKind.Sdgsat1 ? "SDGSAT-1 TIS/MII" : mtl is not null ? LandsatCalibration.DisplayName(mtl) : null;
        foreach (var s in sources.Values)
        {
            var m = EcostressName.Match(Path.GetFileName(s.Dataset.Path));
            if (m.Success)
            {
                var doy = m.Groups["doy"].Value;
                var id = $"{m.Groups["product"].Value} doy{doy}";
                if (!productIds.Contains(id))
                {
                    productIds.Add(id);
                }

                sensor ??= "ECOSTRESS PHyTIR";
                acquired ??= new DateTime(int.Parse(doy[..4], inv), 1, 1, 0, 0, 0, DateTimeKind.Utc)
                    .AddDays(int.Parse(doy[4..7], inv) - 1)
                    .Add(new TimeSpan(int.Parse(doy[7..9], inv), int.Parse(doy[9..11], inv), int.Parse(doy[11..13], inv)))
                    .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv);
            }
        }

        return new SceneProvenance
        {
            Command = options.Command,
            Sensor = sensor ?? recipe.Product.ToString(),
            Acquired = acquired,
            ProductIds = productIds,
            Sources = files,
            Parameters = parameters,
        };
    }

    private static IReadOnlyList<(RecipeMask, QualityMask)> ResolveMasks(IngestRecipe recipe, ProductMetadata? mtl, Action<string> warn)
    {
        var result = new List<(RecipeMask, QualityMask)>();
        foreach (var m in recipe.Masks)
        {
            var decoder = m.Mask;
            if ((int)decoder.Scheme == -1)
            {
                if (recipe.Product is not (ProductKind.LandsatL1 or ProductKind.LandsatC2L2))
                {
                    throw new UsageException($"{recipe.Path}:{m.Line}: 'scheme: auto' works for Landsat products only; name the scheme (for example ecostress-qc or nonzero)");
                }

                var collection = mtl?.Get("COLLECTION_NUMBER");
                var scheme = recipe.Product == ProductKind.LandsatC2L2 || collection is "02" or "2" ? QualityScheme.LandsatC2QaPixel
                    : collection is "01" or "1" ? QualityScheme.LandsatC1Bqa
                    : QualityScheme.LandsatPreCollectionBqa;
                decoder = decoder with { Scheme = scheme };
            }

            var supported = QualityMask.Supported(decoder.Scheme);
            if (supported.Count > 0)
            {
                foreach (var f in decoder.Flags.Where(f => !supported.Contains(f)).Order())
                {
                    warn($"{recipe.Path}:{m.Line}: the {decoder.Scheme} quality band has no '{f}' flag; those pixels stay unmasked");
                }
            }

            result.Add((m, decoder));
        }

        return result;
    }

    private static string FindFile(IngestRecipe recipe, string input, string glob, string what, int? line = null)
    {
        var matches = Directory.EnumerateFiles(input)
            .Where(f => FileSystemName.MatchesSimpleExpression(glob, Path.GetFileName(f), ignoreCase: true))
            .Order(StringComparer.Ordinal).ToArray();
        var at = line is { } l ? $"{recipe.Path}:{l}" : recipe.Path;
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new UsageException($"{at}: {what}: no file in {input} matches '{glob}'"),
            _ => throw new UsageException($"{at}: {what}: '{glob}' matches {matches.Length} files in {input} ({string.Join(", ", matches.Take(3).Select(Path.GetFileName))}); make the pattern specific"),
        };
    }

    private static string? TryFindFile(string input, string glob)
    {
        var matches = Directory.EnumerateFiles(input)
            .Where(f => FileSystemName.MatchesSimpleExpression(glob, Path.GetFileName(f), ignoreCase: true))
            .Order(StringComparer.Ordinal).Take(1).ToArray();
        return matches.Length == 1 ? matches[0] : null;
    }

    private static SourceBand OpenSource(IngestRecipe recipe, string input, RecipeBand band)
    {
        var path = FindFile(recipe, input, band.File, $"band '{band.Name}'", band.Line);
        var dataset = RasterDataset.Open(path);
        if (band.Band > dataset.BandCount)
        {
            dataset.Dispose();
            throw new DataException($"{recipe.Path}:{band.Line}: band '{band.Name}' asks for band {band.Band} of {path}, which has {dataset.BandCount}");
        }

        if (!dataset.HasGeoTransform || dataset.CrsWkt.Length == 0)
        {
            dataset.Dispose();
            throw new DataException($"{path}: has no georeference (geotransform and CRS), so it cannot be put on the target grid");
        }

        return new SourceBand(band, dataset);
    }

    private static RasterGrid TargetGrid(IngestRecipe recipe, Dictionary<string, SourceBand> sources, string? gridLike)
    {
        if (gridLike is not null)
        {
            using var other = RasterDataset.Open(gridLike);
            CheckOverlap(recipe, sources, other.Grid);
            return other.Grid;
        }

        var g = recipe.Grid;
        if (g.Like is { } like)
        {
            var d = sources[like].Dataset;
            if (!d.GeoTransform.IsNorthUp)
            {
                throw new DataException($"{d.Path}: is not north-up; give the recipe an explicit grid (crs, resolution)");
            }

            CheckOverlap(recipe, sources, d.Grid);
            return d.Grid;
        }

        var lst = sources[recipe.Lst.Band].Dataset;
        var lstCrs = lst.Crs!;
        Crs target;
        if (string.Equals(g.Crs, "utm", StringComparison.OrdinalIgnoreCase))
        {
            var geo = lstCrs.TransformBounds(lst.Grid.Bounds, Crs.FromEpsg(4326));
            target = Crs.FromEpsg(Crs.UtmEpsg((geo.MinX + geo.MaxX) / 2, (geo.MinY + geo.MaxY) / 2));
        }
        else if (g.Crs!.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) && int.TryParse(g.Crs[5..], CultureInfo.InvariantCulture, out var epsg))
        {
            target = Crs.FromEpsg(epsg);
        }
        else
        {
            target = Crs.FromWkt(g.Crs, $"{recipe.Path}:{g.Line}");
        }

        var r = g.ResolutionMetres!.Value;
        var b = g.Bounds is { } e ? new MapBounds(e[0], e[1], e[2], e[3]) : lstCrs.TransformBounds(lst.Grid.Bounds, target);
        var minX = Math.Floor(b.MinX / r) * r;
        var maxY = Math.Ceiling(b.MaxY / r) * r;
        var width = (int)Math.Ceiling((b.MaxX - minX) / r - 1e-9);
        var height = (int)Math.Ceiling((maxY - b.MinY) / r - 1e-9);
        var grid = new RasterGrid(target.Wkt, GeoTransform.NorthUp(minX, maxY, r), width, height);
        CheckOverlap(recipe, sources, grid);
        return grid;
    }

    private static void CheckOverlap(IngestRecipe recipe, Dictionary<string, SourceBand> sources, RasterGrid grid)
    {
        var target = Crs.FromWkt(grid.CrsWkt);
        foreach (var s in sources.Values)
        {
            var crs = s.Dataset.Crs!;
            var bounds = crs.IsSameAs(target) ? s.Dataset.Grid.Bounds : crs.TransformBounds(s.Dataset.Grid.Bounds, target);
            if (!bounds.Overlaps(grid.Bounds))
            {
                throw new DataException($"{s.Dataset.Path}: does not overlap the target grid ({grid.Bounds} in {target.Label}); recipe {recipe.Path}:{s.Band.Line} band '{s.Band.Name}' comes from another place");
            }
        }
    }

    private static double PixelSizeMetres(RasterDataset d) => PixelSizeMetres(d.Grid);

    private static double PixelSizeMetres(RasterGrid grid)
    {
        var crs = Crs.FromWkt(grid.CrsWkt);
        var size = Math.Sqrt(Math.Abs(grid.Transform.PixelWidth * grid.Transform.PixelHeight));
        if (!crs.IsGeographic)
        {
            return size * crs.MetresPerUnit;
        }

        var lat = grid.Transform.OriginY + grid.Transform.PixelHeight * grid.Height / 2.0;
        var metresPerDegree = 111_320.0;
        return size * metresPerDegree * Math.Sqrt(Math.Cos(lat * Math.PI / 180));
    }

    private static AlignedBand Align(SourceBand source, RecipeBand band, RasterGrid grid, double targetResolution, string work, Dictionary<string, RasterDataset> warped)
    {
        var d = source.Dataset;
        var noData = band.NoData ?? d.GetBand(band.Band).NoData ?? (BandCalibration.ZeroIsFill(band.Calibration) ? 0 : null);
        if (SameGrid(d.Grid, grid))
        {
            return new AlignedBand(d.GetBand(band.Band), noData);
        }

        var method = band.Calibration == CalibrationKind.Quality ? Resampling.Nearest
            : PixelSizeMetres(d) < targetResolution / 1.01 ? Resampling.Average
            : Resampling.Bilinear;
        var key = $"{d.Path}|{method}|{noData?.ToString("R", CultureInfo.InvariantCulture)}";
        if (!warped.TryGetValue(key, out var target))
        {
            var path = Path.Combine(work, $"warp-{warped.Count}.tif");
            Warper.Warp(d, path, new WarpOptions
            {
                Target = grid,
                Method = method,
                SourceNoData = noData,
                DestinationNoData = SceneFolder.NoData,
                Output = GeoTiffOptions.Default with { Compression = TiffCompression.None },
            });
            target = RasterDataset.Open(path);
            warped[key] = target;
        }

        return new AlignedBand(target.GetBand(band.Band), SceneFolder.NoData);
    }

    private static bool SameGrid(RasterGrid a, RasterGrid b) =>
        a.Width == b.Width && a.Height == b.Height && a.Transform.IsNear(b.Transform) && Crs.FromWkt(a.CrsWkt).IsSameAs(Crs.FromWkt(b.CrsWkt));

    private sealed record SourceBand(RecipeBand Band, RasterDataset Dataset);

    /// <summary>A band on the target grid, read by windows with nodata as NaN.</summary>
    private sealed class AlignedBand(RasterBand band, double? noData)
    {
        public void Read(PixelWindow window, Span<float> values)
        {
            band.Read(window, values);
            ValidityMask.ToNaN(values, noData);
        }
    }
}
