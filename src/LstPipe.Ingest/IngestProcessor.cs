using System.Globalization;
using System.IO.Enumeration;
using System.Text.RegularExpressions;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Scenes;
using LstPipe.Core.Units;
using LstPipe.Ingest.Calibration;
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
        var sources = recipe.Bands.ToDictionary(b => b.Name, b => OpenSource(recipe, input, b));
        var work = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Output)) ?? ".", AtomicFile.TemporaryName("ingest-work"));
        try
        {
            var calibrations = recipe.Bands.ToDictionary(b => b.Name, b => BandCalibration.For(recipe, b, mtl));
            var masks = ResolveMasks(recipe, mtl, Warn);
            if (recipe.Lst.Emissivity == "none" && recipe.Band(recipe.Lst.Band).Calibration == CalibrationKind.BrightnessTemperature)
            {
                Warn($"{recipe.Path}:{recipe.Lst.Line}: no emissivity correction, so the LST is brightness temperature");
            }

            var grid = TargetGrid(recipe, sources, options.GridLike);
            var lstSource = sources[recipe.Lst.Band];
            var lstResolution = PixelSizeMetres(lstSource.Dataset);
            var targetResolution = PixelSizeMetres(grid);
            if (lstResolution > targetResolution * 1.01)
            {
                Warn(string.Create(CultureInfo.InvariantCulture,
                    $"the LST source {lstSource.Dataset.Path} is {lstResolution:0.#} m, coarser than the {targetResolution:0.#} m target grid: it cannot serve as {targetResolution:0.#} m truth"));
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

                return Write(options, recipe, mtl, grid, readers, calibrations, masks, sources, lstResolution, progress, warnings);
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

    private static IngestResult Write(IngestOptions options, IngestRecipe recipe, ProductMetadata? mtl, RasterGrid grid,
        Dictionary<string, AlignedBand> readers, Dictionary<string, BandCalibration> calibrations, IReadOnlyList<(RecipeMask Mask, QualityMask Decoder)> masks,
        Dictionary<string, SourceBand> sources, double lstResolution, IProgress<IngestProgress>? progress, List<string> warnings)
    {
        var channels = recipe.Guidance.Select(c => c.Channel).ToArray();
        var rows = Math.Max(1, Math.Min(options.BlockRows, (1 << 24) / Math.Max(1, grid.Width * (readers.Count + channels.Length + 2))));
        var capacity = rows * grid.Width;
        var values = readers.Keys.ToDictionary(k => k, _ => new float[capacity]);
        var lst = new float[capacity];
        var channel = new float[capacity];
        var masked = new bool[capacity];
        long validLst = 0, maskedCount = 0;
        double sumLst = 0;
        var lstBand = recipe.Band(recipe.Lst.Band);
        var thermal = calibrations[lstBand.Name];
        using var writer = SceneWriter.Create(options.Output, grid, channels, overwrite: options.Force);
        foreach (var strip in grid.Extent.Strips(rows))
        {
            var n = (int)strip.Area;
            foreach (var (name, reader) in readers)
            {
                var v = values[name].AsSpan(0, n);
                reader.Read(strip, v);
                calibrations[name].Apply(v);
            }

            Array.Clear(masked, 0, n);
            foreach (var (mask, decoder) in masks)
            {
                var q = values[mask.Band];
                for (var i = 0; i < n; i++)
                {
                    masked[i] |= decoder.IsMasked(q[i]);
                }
            }

            var t = values[lstBand.Name];
            if (recipe.Lst.Emissivity == "sobrino2004")
            {
                var red = values[recipe.Lst.Red!];
                var nir = values[recipe.Lst.Nir!];
                for (var i = 0; i < n; i++)
                {
                    var den = nir[i] + red[i];
                    var ndvi = MathF.Abs(den) < 1e-12f ? float.NaN : (nir[i] - red[i]) / den;
                    var e = Emissivity.Sobrino2004(ndvi, red[i]);
                    lst[i] = float.IsNaN(t[i]) || float.IsNaN(e) ? float.NaN : LandsatCalibration.EmissivityCorrected(t[i], e, thermal.Thermal!.Value.Wavelength);
                }
            }
            else
            {
                t.AsSpan(0, n).CopyTo(lst);
            }

            for (var i = 0; i < n; i++)
            {
                if (masked[i])
                {
                    maskedCount++;
                    lst[i] = float.NaN;
                }
                else if (!float.IsNaN(lst[i]))
                {
                    validLst++;
                    sumLst += lst[i];
                }
            }

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
            throw new DataException($"{sources[lstBand.Name].Dataset.Path}: no valid LST pixel on the target grid after calibration and masking " +
                                    "(all fill, cloud or outside the grid); check the recipe's masks and grid");
        }

        var total = (double)grid.Width * grid.Height;
        var manifest = writer.Manifest(SceneId(options, mtl, sources, lstBand), Provenance(options, recipe, mtl, sources, masks, warnings), Crs.FromWkt(grid.CrsWkt).Epsg) with
        {
            Lst = new SceneLst(SceneFolder.LstFileName, "K", SceneFolder.NoData, Math.Round(lstResolution, 3)),
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

    private static SceneProvenance Provenance(IngestOptions options, IngestRecipe recipe, ProductMetadata? mtl, Dictionary<string, SourceBand> sources,
        IReadOnlyList<(RecipeMask Mask, QualityMask Decoder)> masks, IReadOnlyList<string> warnings)
    {
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
        };
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
        string? sensor = mtl is not null ? LandsatCalibration.DisplayName(mtl) : null;
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
            0 => throw new DataException($"{at}: {what}: no file in {input} matches '{glob}'"),
            _ => throw new DataException($"{at}: {what}: '{glob}' matches {matches.Length} files in {input} ({string.Join(", ", matches.Take(3).Select(Path.GetFileName))}); make the pattern specific"),
        };
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
