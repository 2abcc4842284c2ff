using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Lst;
using LstPipe.Ingest.Masks;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest;

/// <summary>What an ingest produced.</summary>
/// <param name="Scene">The scene folder written.</param>
/// <param name="ValidLstFraction">Fraction of grid pixels with a valid LST.</param>
/// <param name="MaskedFraction">Fraction of grid pixels removed by the quality masks.</param>
/// <param name="MeanLstKelvin">Mean of the valid LST pixels.</param>
/// <param name="Warnings">Warnings, also printed while running.</param>
public sealed record IngestResult(SceneFolder Scene, double ValidLstFraction, double MaskedFraction, double MeanLstKelvin,
    IReadOnlyList<string> Warnings);

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
public static partial class IngestProcessor
{
    /// <summary>Runs an ingest.</summary>
    /// <param name="options">Validated or not; validated here.</param>
    /// <param name="progress">Receives row progress.</param>
    /// <param name="warn">Receives each warning as it arises (they are also returned).</param>
    public static IngestResult Run(IngestOptions options, IProgress<IngestProgress>? progress = null, Action<string>? warn = null)
    {
        options = options.Validate();
        using var output = OutputTransaction.Folder(options.Output, options.Force ? OutputMode.Force : OutputMode.New, options.Command,
            [(options.Input, "product folder"), (options.Recipe, "recipe")],
            occupied: $"{options.Output}: exists and is not empty; choose another --out or pass --force");
        var recipe = IngestRecipe.Load(options.Recipe);
        if (options.Assets is { } assets)
        {
            recipe = recipe.WithAssets(assets, options.Item ?? options.Input);
        }

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
                    $"the LST ({nativeSource}) is natively {native:0.#} m, coarser than the {targetResolution:0.#} m grid it is " +
                        $"resampled onto: it cannot serve as {targetResolution:0.#} m truth; 'lstpipe crop --truth native' " +
                            $"builds the dataset at a scale the sensor resolves"));
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
                        Warn($"{recipe.Path}:{recipe.Lst.Line}: the grid is geographic, so the emissivity's NDVI stays at the " +
                            $"grid resolution");
                    }
                    else
                    {
                        var coarse = ThermalGrid(grid, native / targetResolution);
                        foreach (var name in new[] { recipe.Lst.Red!, recipe.Lst.Nir! })
                        {
                            smoothed[name] = Smooth(sources[name], recipe.Band(name), grid, coarse, work, warped);
                        }

                        emissivityAt = string.Create(CultureInfo.InvariantCulture, $"thermal ({native:0.#} m: red and NIR " +
                            $"averaged to the thermal band's pixels, then bilinear onto the grid)");
                    }
                }

                var context = new WriteContext(recipe, mtl, grid, readers, smoothed, calibrations, masks, sources, retrieval,
                    native, nativeSource, emissivityAt)
                {
                    Modis = recipe.Product == ProductKind.ModisLst ? ModisGranule.Read(lstSource.Dataset) : null,
                    Views = recipe.Lst.ViewTime is null ? null : new ViewStatistics(grid),
                };
                return Write(options, output, context, progress, warnings, Warn);
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
        Dictionary<string, AlignedBand> Smoothed, Dictionary<string, BandCalibration> Calibrations,
        IReadOnlyList<(RecipeMask Mask, QualityMask Decoder)> Masks,
        Dictionary<string, SourceBand> Sources, LstRetrieval Retrieval, double NativeResolution, string NativeSource, string EmissivityAt)
    {
        /// <summary>The MODIS granule's product and date, for a MODIS recipe.</summary>
        public ModisGranule? Modis { get; init; }

        /// <summary>The view times of the kept pixels, where the recipe names a view-time band.</summary>
        public ViewStatistics? Views { get; init; }

        /// <summary>Pixels made nodata by the view-zenith limit.</summary>
        public long ZenithMasked { get; set; }
    }

    private static IngestResult Write(IngestOptions options, OutputTransaction output, WriteContext x, IProgress<IngestProgress>? progress,
        List<string> warnings, Action<string> warn)
    {
        var (recipe, grid, readers) = (x.Recipe, x.Grid, x.Readers);
        var channels = recipe.Guidance.Select(c => c.Channel).ToArray();
        var rows = Math.Max(1, Math.Min(options.BlockRows, (1 << 24) / Math.Max(1,
            grid.Width * (readers.Count + x.Smoothed.Count + channels.Length + 3))));
        rows = Math.Max(8, rows - rows % 8);
        var capacity = rows * grid.Width;
        var values = readers.Keys.ToDictionary(k => k, _ => new float[capacity]);
        var smooth = x.Smoothed.Keys.ToDictionary(k => k, _ => new float[capacity]);
        var lst = new float[capacity];
        var term = new float[capacity];
        var guidance = channels.Select(_ => new float[capacity]).ToArray();
        var masked = new bool[capacity];
        long validLst = 0, maskedCount = 0;
        double sumLst = 0;
        var lstDetail = new DetailStatistics();
        long outliers = 0;
        var termDetail = new DetailStatistics();
        var lstBand = recipe.Band(recipe.Lst.Band);
        var lstPlace = $"{x.Sources[lstBand.Name].Dataset.Path} (calibrated onto the target grid)";
        var lstFix = $"check the calibration of band '{lstBand.Name}' (calibrate, scale, offset, unit) in {recipe.Path}; " +
            "nothing was written";
        using var writer = SceneWriter.Create(output, grid, channels);
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

            if (recipe.Lst.MaxViewZenith is { } maxZenith)
            {
                var z = values[recipe.Lst.ViewZenith!];
                for (var i = 0; i < n; i++)
                {
                    if (!masked[i] && !(z[i] <= maxZenith))
                    {
                        masked[i] = true;
                        x.ZenithMasked++;
                    }
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

            outliers += LstCheck.MaskOutliers(lst.AsSpan(0, n));
            LstCheck.Rows(lst.AsSpan(0, n), null, new LstPlace(lstPlace, grid.Width, strip.Y, TemperatureUnit.Kelvin, lstFix));
            x.Views?.Add(strip, lst.AsSpan(0, n), values[recipe.Lst.ViewTime!].AsSpan(0, n));
            lstDetail.Add(lst.AsSpan(0, n), grid.Width, strip.Height);
            termDetail.Add(term.AsSpan(0, n), grid.Width, strip.Height);
            writer.Lst.Write(1, strip, ToNoData(lst.AsSpan(0, n)));
            for (var c = 0; c < recipe.Guidance.Count; c++)
            {
                var span = guidance[c].AsSpan(0, n);
                recipe.Guidance[c].Expression.Evaluate(values, span);
                for (var i = 0; i < n; i++)
                {
                    if (masked[i] || !float.IsFinite(span[i]))
                    {
                        span[i] = float.NaN;
                    }
                }
            }

            GuidanceCheck.Strip(channels, guidance, 0, n, $"{options.Input} (recipe {recipe.Path})", "check its guidance expressions");
            for (var c = 0; c < recipe.Guidance.Count; c++)
            {
                writer.Guidance!.Write(c + 1, strip, ToNoData(guidance[c].AsSpan(0, n)));
            }

            progress?.Report(new IngestProgress(strip.Bottom, grid.Height));
        }

        if (validLst == 0)
        {
            throw new DataException($"{x.Sources[lstBand.Name].Dataset.Path}: no valid LST pixel on the target grid after " +
                $"calibration and masking " +
                                    "(all fill, cloud or outside the grid); check the recipe's masks and grid");
        }

        if (outliers > 0)
        {
            warn(string.Create(CultureInfo.InvariantCulture, $"{outliers} LST pixel(s) outside 150-400 K (fires, flares, " +
                $"calibration artefacts; at most {100 * LstCheck.OutlierShare:0.#}% of a strip's valid pixels) are nodata"));
        }

        foreach (var (name, calibration) in x.Calibrations.Where(c => c.Value.Saturated > 0).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            warn(string.Create(CultureInfo.InvariantCulture,
                $"band '{name}': {calibration.Saturated} pixel(s) saturated (DN {calibration.SaturatedDn} or more) are nodata"));
        }

        var total = (double)grid.Width * grid.Height;
        var provenance = Provenance(options, x, warnings, lstDetail, termDetail, validLst);
        var manifest = writer.Manifest(SceneId(options, x, lstBand), provenance, Crs.FromWkt(grid.CrsWkt).Epsg) with
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
}
