using LstPipe.Core.IO;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>Turns a finished tiled GeoTIFF into a cloud-optimized one with GDAL's COG driver, which reads the source
/// by blocks (memory stays bounded by GDAL's block cache) and builds the overviews in a temporary file beside the
/// destination.</summary>
internal static class CloudOptimizedGeoTiff
{
    /// <summary>Writes the COG of <paramref name="tiled"/>'s temporary file under a second temporary name and renames it
    /// onto <paramref name="tiled"/>'s final path; the caller disposes <paramref name="tiled"/>, which removes the
    /// tiled temporary.</summary>
    /// <exception cref="Core.Errors.DataException">GDAL cannot read the tiled file or write the COG.</exception>
    public static void Commit(AtomicFile tiled, GeoTiffOptions options, RasterDataType type)
    {
        using var cog = AtomicFile.Begin(tiled.FinalPath);
        using (var source = RasterDataset.Open(tiled.TemporaryPath))
        {
            using var co = new GdalStringList(options.CloudOptimizedOptions(type));
            GdalRuntime.ResetError();
            var copy = GDALCreateCopy(GDALGetDriverByName("COG"), cog.TemporaryPath, source.Handle, 1, co.Handle, 0, 0);
            if (copy == 0)
            {
                throw GdalRuntime.Failure(tiled.FinalPath, "cannot write the cloud-optimized GeoTIFF");
            }

            using var written = RasterDataset.Adopt(copy, tiled.FinalPath);
            written.Close();
        }

        cog.Commit();
    }
}
