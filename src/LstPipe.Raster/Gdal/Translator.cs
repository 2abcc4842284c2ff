using LstPipe.Core.IO;
using LstPipe.Core.Units;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>Windows of rasters: which pixels lie under an area, and those pixels copied into a GeoTIFF (GDAL's
/// translate), values, data type, nodata and georeference as they are. Over <c>/vsicurl/</c> only the tiles of a
/// cloud-optimized GeoTIFF that the window touches are read.</summary>
public static class Translator
{
    /// <summary>The window of <paramref name="source"/> holding <paramref name="bounds"/> (in <paramref name="crs"/>)
    /// with <paramref name="margin"/> pixels around it, clipped to the raster; null when they do not overlap.</summary>
    /// <exception cref="Core.Errors.DataException">The raster has no georeference, or the bounds do not transform.</exception>
    public static PixelWindow? WindowOver(RasterDataset source, MapBounds bounds, Crs crs, int margin)
    {
        var gt = source.GeoTransform;
        if (!gt.IsNorthUp || source.Crs is not { } own)
        {
            return source.Extent;
        }

        var b = crs.IsSameAs(own) ? bounds : crs.TransformBounds(bounds, own);
        var x0 = Math.Max(0, (long)Math.Floor((b.MinX - gt.OriginX) / gt.PixelWidth) - margin);
        var x1 = Math.Min(source.Width, (long)Math.Ceiling((b.MaxX - gt.OriginX) / gt.PixelWidth) + margin);
        var y0 = Math.Max(0, (long)Math.Floor((b.MaxY - gt.OriginY) / gt.PixelHeight) - margin);
        var y1 = Math.Min(source.Height, (long)Math.Ceiling((b.MinY - gt.OriginY) / gt.PixelHeight) + margin);
        return x1 <= x0 || y1 <= y0 ? null : new PixelWindow((int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0));
    }

    /// <summary>Copies a window (rows counted north first) of every band into a tiled, DEFLATE-compressed GeoTIFF at
    /// <paramref name="destination"/> (under a temporary name until whole; a south-up source stays south-up).</summary>
    /// <exception cref="Core.Errors.DataException">GDAL cannot read the window (a network read that failed).</exception>
    public static unsafe void CopyWindow(RasterDataset source, PixelWindow window, string destination)
    {
        using var file = AtomicFile.Begin(destination);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var stored = source.Stored(window);
        using var argv = new GdalStringList(["-of", "GTiff", "-srcwin", stored.X.ToString(inv), stored.Y.ToString(inv),
            window.Width.ToString(inv), window.Height.ToString(inv), "-co", "COMPRESS=DEFLATE", "-co", "TILED=YES"]);
        GdalRuntime.ResetError();
        var options = GDALTranslateOptionsNew(argv.Handle, 0);
        if (options == 0)
        {
            throw GdalRuntime.Failure(destination, "invalid translate options");
        }

        try
        {
            var result = GDALTranslate(file.TemporaryPath, source.Handle, options, out var usageError);
            if (result == 0 || usageError != 0 || GdalRuntime.HasFailure())
            {
                if (result != 0)
                {
                    GDALClose(result);
                }

                throw GdalRuntime.Failure(source.Path, $"reading pixels {window} failed");
            }

            using var output = RasterDataset.Adopt(result, destination);
            output.Close();
            file.Commit();
        }
        catch (Exception e) when (Core.Errors.WriteFailure.Classify(file.TemporaryPath, e) is { } failure)
        {
            throw failure;
        }
        finally
        {
            GDALTranslateOptionsFree(options);
        }
    }
}
