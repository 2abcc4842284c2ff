using System.Globalization;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>Resampling kernels for warping.</summary>
public enum Resampling
{
    /// <summary>Nearest neighbour: for masks and classes.</summary>
    Nearest,

    /// <summary>Bilinear: for refining continuous fields.</summary>
    Bilinear,

    /// <summary>Cubic convolution: for refining continuous fields.</summary>
    Cubic,

    /// <summary>Mean of the valid source pixels under each target pixel: for coarsening.</summary>
    Average,
}

/// <summary>The validated options of one warp: the target grid, the kernel and how nodata is handled.</summary>
public sealed record WarpOptions
{
    /// <summary>The grid to warp onto (CRS, geotransform, size).</summary>
    public required RasterGrid Target { get; init; }

    /// <summary>The kernel.</summary>
    public Resampling Method { get; init; } = Resampling.Bilinear;

    /// <summary>Treat this source value as nodata (overrides the source's own nodata).</summary>
    public double? SourceNoData { get; init; }

    /// <summary>Nodata of the output, written where no valid source covers a pixel.</summary>
    public double DestinationNoData { get; init; } = -9999;

    /// <summary>Output pixel type.</summary>
    public RasterDataType OutputType { get; init; } = RasterDataType.Float32;

    /// <summary>Output layout (<see cref="GeoTiffOptions.Published"/> for a cloud-optimized GeoTIFF).</summary>
    public GeoTiffOptions Output { get; init; } = GeoTiffOptions.Default;

    /// <summary>Threads GDAL's warper may use; null for all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>Working memory of the warper in megabytes (bounds memory for any scene size).</summary>
    public int WorkingMemoryMegabytes { get; init; } = 256;

    internal IEnumerable<string> Arguments(double? sourceNoData)
    {
        var inv = CultureInfo.InvariantCulture;
        var b = Target.Bounds;
        string R(double v) => v.ToString("R", inv);
        yield return "-of";
        yield return "GTiff";
        if (Target.CrsWkt.Length > 0)
        {
            yield return "-t_srs";
            yield return Target.CrsWkt;
        }

        foreach (var a in new[] { "-te", R(b.MinX), R(b.MinY), R(b.MaxX), R(b.MaxY) })
        {
            yield return a;
        }

        foreach (var a in new[] { "-ts", Target.Width.ToString(inv), Target.Height.ToString(inv) })
        {
            yield return a;
        }

        yield return "-r";
        yield return Method switch
        {
            Resampling.Nearest => "near",
            Resampling.Bilinear => "bilinear",
            Resampling.Cubic => "cubic",
            Resampling.Average => "average",
            _ => throw new ArgumentOutOfRangeException(nameof(Method)),
        };
        yield return "-ot";
        yield return OutputType.ToString();
        if (sourceNoData is { } snd)
        {
            yield return "-srcnodata";
            yield return double.IsNaN(snd) ? "nan" : R(snd);
        }

        yield return "-dstnodata";
        yield return R(DestinationNoData);
        yield return "-et";
        yield return "0";
        yield return "-wm";
        yield return WorkingMemoryMegabytes.ToString(inv);
        yield return "-wo";
        yield return "NUM_THREADS=" + (Threads is { } t ? t.ToString(inv) : "ALL_CPUS");
        yield return "-wo";
        yield return "INIT_DEST=NO_DATA";
        foreach (var co in Output.CreationOptions(OutputType))
        {
            yield return "-co";
            yield return co;
        }
    }
}

/// <summary>
/// Warps and resamples rasters onto a target grid in-process with GDAL's warper (no gdalwarp process).
/// Source pixels equal to the nodata value or NaN never contribute. GDAL's warper skips NaN only when the declared
/// nodata is NaN, so a floating-point source with a numeric nodata is first streamed into a temporary copy whose
/// nodata and NaN pixels are all NaN.
/// </summary>
public static class Warper
{
    /// <summary>Warps every band of <paramref name="sourcePath"/> onto the target grid and writes a GeoTIFF at
    /// <paramref name="destinationPath"/> (under a temporary name until complete).</summary>
    public static void Warp(string sourcePath, string destinationPath, WarpOptions options)
    {
        using var source = RasterDataset.Open(sourcePath);
        Warp(source, destinationPath, options);
    }

    /// <summary>Warps an open raster; see <see cref="Warp(string, string, WarpOptions)"/>.</summary>
    public static void Warp(RasterDataset source, string destinationPath, WarpOptions options)
    {
        if (!source.HasGeoTransform || source.CrsWkt.Length == 0)
        {
            throw new Core.Errors.DataException(
                $"{source.Path}: has no georeference (geotransform and CRS); it cannot be warped onto a grid");
        }

        var isFloat = source.Bands.Any(b => b.DataType is RasterDataType.Float32 or RasterDataType.Float64);
        var declared = options.SourceNoData ?? source.GetBand(1).NoData;
        if (!isFloat)
        {
            Run(source, destinationPath, options, declared);
            return;
        }

        if (declared is null || double.IsNaN(declared.Value))
        {
            Run(source, destinationPath, options, double.NaN);
            return;
        }

        if (Under(source, options.Target) is not { } window)
        {
            Run(source, destinationPath, options, declared);
            return;
        }

        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(destinationPath)) ?? ".",
            AtomicFile.TemporaryName(Path.GetFileName(destinationPath)));
        try
        {
            using (var normalized = WriteNanNormalized(source, window, temporary, options.SourceNoData))
            {
                Run(normalized, destinationPath, options, double.NaN);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The window of the source under the target grid (two pixels of margin for the resampling kernel),
    /// or null when the two do not overlap; the whole source where its geotransform is rotated.</summary>
    private static PixelWindow? Under(RasterDataset source, RasterGrid target)
    {
        var gt = source.GeoTransform;
        if (!gt.IsNorthUp || source.Crs is not { } crs || target.CrsWkt.Length == 0)
        {
            return source.Extent;
        }

        try
        {
            return Translator.WindowOver(source, target.Bounds, Crs.FromWkt(target.CrsWkt, "the target grid"), margin: 2);
        }
        catch (Core.Errors.DataException)
        {
            return source.Extent;
        }
    }

    private static RasterDataset WriteNanNormalized(RasterDataset source, PixelWindow window, string path, double? noDataOverride)
    {
        var rows = Math.Max(1, (1 << 22) / Math.Max(1, window.Width));
        var values = new float[rows * window.Width];
        using (var writer = GeoTiffWriter.Create(path, source.Grid.Window(window), source.BandCount, RasterDataType.Float32, double.NaN,
                   options: GeoTiffOptions.Default with { Compression = TiffCompression.None }))
        {
            foreach (var band in source.Bands)
            {
                var nd = noDataOverride ?? band.NoData;
                foreach (var strip in PixelWindow.Whole(window.Width, window.Height).Strips(rows))
                {
                    var span = values.AsSpan(0, (int)strip.Area);
                    band.Read(new PixelWindow(window.X + strip.X, window.Y + strip.Y, strip.Width, strip.Height), span);
                    ValidityMask.ToNaN(span, nd);
                    writer.Write(band.Index, strip, span);
                }
            }

            writer.Commit();
        }

        return RasterDataset.Open(path);
    }

    private static unsafe void Run(RasterDataset source, string destinationPath, WarpOptions options, double? sourceNoData)
    {
        using var file = AtomicFile.Begin(destinationPath);
        using var argv = new GdalStringList(options.Arguments(sourceNoData));
        GdalRuntime.ResetError();
        var warpOptions = GDALWarpAppOptionsNew(argv.Handle, 0);
        if (warpOptions == 0)
        {
            throw GdalRuntime.Failure(destinationPath, "invalid warp options");
        }

        try
        {
            var src = source.Handle;
            var result = GDALWarp(file.TemporaryPath, 0, 1, &src, warpOptions, out var usageError);
            if (result == 0 || usageError != 0)
            {
                throw GdalRuntime.Failure(source.Path, $"warp to {destinationPath} failed");
            }

            using var output = RasterDataset.Adopt(result, destinationPath);
            output.Close();
            if (options.Output.CloudOptimized)
            {
                CloudOptimizedGeoTiff.Commit(file, options.Output, options.OutputType);
            }
            else
            {
                file.Commit();
            }
        }
        catch (Exception e) when (Core.Errors.WriteFailure.Classify(file.TemporaryPath, e) is { } failure)
        {
            throw failure;
        }
        finally
        {
            GDALWarpAppOptionsFree(warpOptions);
        }
    }
}
