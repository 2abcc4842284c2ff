using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>
/// Writes a tiled, compressed GeoTIFF under a temporary name and renames it into place on <see cref="Commit"/>;
/// disposing without committing removes the partial file. Write windows in any order; writing whole rows of tiles
/// at a time avoids re-reading blocks. With <see cref="GeoTiffOptions.CloudOptimized"/> the finished tiled file is
/// converted into a cloud-optimized GeoTIFF (a second temporary) before the rename.
/// </summary>
public sealed class GeoTiffWriter : IDisposable
{
    private readonly AtomicFile _file;
    private readonly RasterDataset _dataset;
    private readonly GeoTiffOptions _options;
    private readonly RasterDataType _type;
    private bool _done;

    private GeoTiffWriter(AtomicFile file, RasterDataset dataset, GeoTiffOptions options, RasterDataType type)
    {
        (_file, _dataset, _options, _type) = (file, dataset, options, type);
    }

    /// <summary>The final path.</summary>
    public string Path => _file.FinalPath;

    /// <summary>The grid being written.</summary>
    public RasterGrid Grid => _dataset.Grid;

    /// <summary>Number of bands.</summary>
    public int BandCount => _dataset.BandCount;

    /// <summary>Starts a GeoTIFF on <paramref name="grid"/>.</summary>
    /// <param name="path">Final path of the file.</param>
    /// <param name="grid">Grid (CRS, geotransform, size).</param>
    /// <param name="bandCount">Number of bands.</param>
    /// <param name="dataType">Stored pixel type.</param>
    /// <param name="noData">Nodata value set on every band, if any.</param>
    /// <param name="bandDescriptions">Descriptions of the bands, in order (for example the guidance channel names).</param>
    /// <param name="options">Layout and codec; <see cref="GeoTiffOptions.Default"/> when null.</param>
    /// <param name="unit">The unit of every band's values (GDAL's unit type, for example <c>K</c>), if any.</param>
    public static GeoTiffWriter Create(
        string path,
        RasterGrid grid,
        int bandCount,
        RasterDataType dataType = RasterDataType.Float32,
        double? noData = null,
        IReadOnlyList<string>? bandDescriptions = null,
        GeoTiffOptions? options = null,
        string? unit = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bandCount, 1);
        if (bandDescriptions is not null && bandDescriptions.Count != bandCount)
        {
            throw new ArgumentException($"{bandDescriptions.Count} descriptions for {bandCount} bands", nameof(bandDescriptions));
        }

        GdalRuntime.EnsureInitialized();
        options ??= GeoTiffOptions.Default;
        var file = AtomicFile.Begin(path);
        RasterDataset? ds = null;
        try
        {
            using var co = new GdalStringList(options.CreationOptions(dataType));
            GdalRuntime.ResetError();
            var handle = GDALCreate(GDALGetDriverByName("GTiff"), file.TemporaryPath, grid.Width, grid.Height, bandCount,
                (int)dataType, co.Handle);
            if (handle == 0)
            {
                throw GdalRuntime.Failure(path, "cannot create GeoTIFF");
            }

            ds = RasterDataset.Adopt(handle, path);
            SetGeoreference(ds, grid, path);
            for (var b = 1; b <= bandCount; b++)
            {
                var band = ds.GetBand(b);
                if (noData is { } nd)
                {
                    band.SetNoData(nd);
                }

                if (bandDescriptions is not null)
                {
                    band.SetDescription(bandDescriptions[b - 1]);
                }

                if (unit is not null)
                {
                    band.SetUnit(unit);
                }
            }

            return new GeoTiffWriter(file, ds, options, dataType);
        }
        catch (Exception e) when (WriteFailure.Classify(file.TemporaryPath, e) is { } failure)
        {
            ds?.Dispose();
            file.Dispose();
            throw failure;
        }
        catch
        {
            ds?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes a window of band <paramref name="band"/> (1-based).</summary>
    public void Write(int band, PixelWindow window, ReadOnlySpan<float> values)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        try
        {
            _dataset.GetBand(band).Write(window, values);
        }
        catch (Exception e) when (WriteFailure.Classify(_file.TemporaryPath, e) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Flushes, closes (converts into a COG where asked) and renames the file into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        try
        {
            _dataset.Close();
            if (_options.CloudOptimized)
            {
                CloudOptimizedGeoTiff.Commit(_file, _options, _type);
            }
            else
            {
                _file.Commit();
            }
        }
        catch (Exception e) when (WriteFailure.Classify(_file.TemporaryPath, e) is { } failure)
        {
            throw failure;
        }
        finally
        {
            _file.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        _dataset.Dispose();
        _file.Dispose();
    }

    internal static unsafe void SetGeoreference(RasterDataset ds, RasterGrid grid, string path)
    {
        var gt = grid.Transform.ToArray();
        GdalRuntime.ResetError();
        fixed (double* p = gt)
        {
            if (GDALSetGeoTransform(ds.Handle, p) != CE_None)
            {
                throw GdalRuntime.Failure(path, "cannot set the geotransform");
            }
        }

        if (grid.CrsWkt.Length > 0 && GDALSetProjection(ds.Handle, grid.CrsWkt) != CE_None)
        {
            throw GdalRuntime.Failure(path, "cannot set the CRS");
        }
    }
}
