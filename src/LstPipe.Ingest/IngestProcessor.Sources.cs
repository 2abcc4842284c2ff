using System.Globalization;
using System.IO.Enumeration;
using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Masks;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest;

// Ingest: finding, opening and aligning the product's files and the masks.
public static partial class IngestProcessor
{
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
                    throw new UsageException($"{recipe.Path}:{m.Line}: 'scheme: auto' works for Landsat products only; name the " +
                        $"scheme (for example ecostress-qc or nonzero)");
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

    /// <summary>The product's files: those of the input folder, or the input file alone (a MODIS granule).</summary>
    private static IEnumerable<string> ProductFiles(string input) => File.Exists(input) ? [input] : Directory.EnumerateFiles(input);

    private static string FindFile(IngestRecipe recipe, string input, string glob, string what, int? line = null)
    {
        var matches = ProductFiles(input)
            .Where(f => FileSystemName.MatchesSimpleExpression(glob, Path.GetFileName(f), ignoreCase: true))
            .Order(StringComparer.Ordinal).ToArray();
        var at = line is { } l ? $"{recipe.Path}:{l}" : recipe.Path;
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new UsageException($"{at}: {what}: no file in {input} matches '{glob}'"),
            _ => throw new UsageException($"{at}: {what}: '{glob}' matches {matches.Length} files in {input} " +
                $"({string.Join(", ", matches.Take(3).Select(Path.GetFileName))}); make the pattern specific"),
        };
    }

    private static string? TryFindFile(string input, string glob)
    {
        var matches = ProductFiles(input)
            .Where(f => FileSystemName.MatchesSimpleExpression(glob, Path.GetFileName(f), ignoreCase: true))
            .Order(StringComparer.Ordinal).Take(1).ToArray();
        return matches.Length == 1 ? matches[0] : null;
    }

    private static SourceBand OpenSource(IngestRecipe recipe, string input, RecipeBand band)
    {
        var dataset = band.Subdataset is { } field ? OpenField(recipe, input, band, field)
            : RasterDataset.Open(FindFile(recipe, input, band.File, $"band '{band.Name}'", band.Line));
        var path = dataset.Path;
        if (band.Band > dataset.BandCount)
        {
            dataset.Dispose();
            throw new DataException($"{recipe.Path}:{band.Line}: band '{band.Name}' asks for band {band.Band} of {path}, which " +
                $"has {dataset.BandCount}");
        }

        if (!dataset.HasGeoTransform || dataset.CrsWkt.Length == 0)
        {
            dataset.Dispose();
            throw new DataException($"{path}: has no georeference (geotransform and CRS), so it cannot be put on the target grid");
        }

        return new SourceBand(band, dataset);
    }

    private static readonly string[] ContainerExtensions = [".hdf", ".hdf4", ".h4", ".he4", ".h5", ".he5", ".hdf5", ".nc"];

    /// <summary>A band named by its field: the subdataset of that name in the one container (HDF4-EOS granule) among
    /// the files the band's glob matches (or in the input file itself, whatever its name), else the one matching file
    /// whose name holds the field's name (a GeoTIFF subset of that field).</summary>
    private static RasterDataset OpenField(IngestRecipe recipe, string input, RecipeBand band, string field)
    {
        var at = $"{recipe.Path}:{band.Line}";
        var matches = File.Exists(input) ? [input] : ProductFiles(input)
            .Where(f => FileSystemName.MatchesSimpleExpression(band.File, Path.GetFileName(f), ignoreCase: true))
            .Order(StringComparer.Ordinal).ToArray();
        var containers = matches.Where(f => ContainerExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).ToArray();
        if (containers.Length > 1)
        {
            throw new UsageException($"{at}: band '{band.Name}': {containers.Length} granules in {input} match '{band.File}' " +
                $"({string.Join(", ", containers.Take(3).Select(Path.GetFileName))}); give the granule file itself as --input");
        }

        if (containers.Length == 1)
        {
            return RasterDataset.OpenSubdataset(containers[0], field)
                ?? throw new DataException($"{containers[0]}: has no field '{field}' (recipe {at}, band '{band.Name}'); " +
                    $"is it the product the recipe reads?");
        }

        var named = matches.Where(f => Path.GetFileName(f).Contains(field, StringComparison.OrdinalIgnoreCase)).ToArray();
        return named.Length switch
        {
            1 => RasterDataset.Open(named[0]),
            0 => throw new UsageException($"{at}: band '{band.Name}': no granule matching '{band.File}' in {input}, and no " +
                $"file whose name holds '{field}' (a GeoTIFF subset of that field)"),
            _ => throw new UsageException($"{at}: band '{band.Name}': {named.Length} files in {input} hold '{field}' in their " +
                $"names ({string.Join(", ", named.Take(3).Select(Path.GetFileName))}); keep one granule's files per folder"),
        };
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
        else if (g.Crs!.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) && int.TryParse(g.Crs[5..],
            CultureInfo.InvariantCulture, out var epsg))
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
                throw new DataException($"{s.Dataset.Path}: does not overlap the target grid ({grid.Bounds} in {target.Label}); " +
                    $"recipe {recipe.Path}:{s.Band.Line} band '{s.Band.Name}' comes from another place");
            }
        }
    }

    private static double PixelSizeMetres(RasterDataset d) => GroundPixel.Of(d.Grid, d.Path).NominalMetres;

    private static double PixelSizeMetres(RasterGrid grid) => GroundPixel.Of(grid, "the grid").NominalMetres;

    private static AlignedBand Align(SourceBand source, RecipeBand band, RasterGrid grid, double targetResolution, string work,
        Dictionary<string, RasterDataset> warped)
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
        a.Width == b.Width && a.Height == b.Height && a.Transform.IsNear(b.Transform)
            && Crs.FromWkt(a.CrsWkt).IsSameAs(Crs.FromWkt(b.CrsWkt));

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
