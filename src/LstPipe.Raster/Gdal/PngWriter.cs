using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>Writes 8-bit RGB images as PNG through GDAL's MEM and PNG drivers (atomically).</summary>
public static unsafe class PngWriter
{
    /// <summary>Writes an image given as interleaved RGB bytes, row-major.</summary>
    public static void Write(string path, int width, int height, ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"{rgb.Length} bytes are not a {width} x {height} RGB image");
        }

        GdalRuntime.EnsureInitialized();
        GdalRuntime.ResetError();
        var mem = GDALCreate(GDALGetDriverByName("MEM"), "", width, height, 3, 1, 0);
        if (mem == 0)
        {
            throw GdalRuntime.Failure(path, "cannot create an in-memory image");
        }

        try
        {
            fixed (byte* p = rgb)
            {
                for (var b = 0; b < 3; b++)
                {
                    if (GDALRasterIO(GDALGetRasterBand(mem, b + 1), 1, 0, 0, width, height, p + b, width, height, 1, 3, width * 3) != 0)
                    {
                        throw GdalRuntime.Failure(path, "cannot fill the in-memory image");
                    }
                }
            }

            using var file = AtomicFile.Begin(path);
            WriteFailure.Guard(file.TemporaryPath, () =>
            {
                var png = GDALCreateCopy(GDALGetDriverByName("PNG"), file.TemporaryPath, mem, 0, 0, 0, 0);
                if (png == 0)
                {
                    throw GdalRuntime.Failure(path, "cannot write PNG");
                }

                GDALClose(png);
                GdalRuntime.ThrowOnFailure(path, "cannot write PNG");
                foreach (var aux in Directory.GetFiles(Path.GetDirectoryName(file.TemporaryPath)!,
                    Path.GetFileName(file.TemporaryPath) + ".aux.xml"))
                {
                    File.Delete(aux);
                }

                file.Commit();
            });
        }
        finally
        {
            GDALClose(mem);
        }
    }
}
