using LstPipe.Core.Errors;
using LstPipe.Core.Resilience;
using LstPipe.Core.Units;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>
/// An open GDAL raster. Not thread-safe: use one instance per thread (opening is cheap).
/// Errors name <see cref="Path"/>. Rows always come out north first: a south-up raster (positive y pixel size, as
/// rasters converted from NetCDF often are) is read and written with its rows reversed and shown with the north-up
/// <see cref="GeoTransform"/> of the same ground; a rotated geotransform is refused when the raster is opened.
/// </summary>
public sealed unsafe class RasterDataset : IDisposable
{
    private readonly RasterBand?[] _bands;
    private nint _handle;
    private Crs? _crs;

    private RasterDataset(nint handle, string path)
    {
        _handle = handle;
        Path = path;
        Width = GDALGetRasterXSize(handle);
        Height = GDALGetRasterYSize(handle);
        BandCount = GDALGetRasterCount(handle);
        Driver = GdalRuntime.Utf8(GDALGetDriverShortName(GDALGetDatasetDriver(handle))) ?? "unknown";
        _bands = new RasterBand?[BandCount];
        var gt = new double[6];
        fixed (double* p = gt)
        {
            HasGeoTransform = GDALGetGeoTransform(handle, p) == CE_None;
        }

        var stored = HasGeoTransform ? GeoTransform.FromArray(gt) : new GeoTransform(0, 1, 0, 0, 0, 1);
        SouthUp = HasGeoTransform && stored.IsSouthUp;
        GeoTransform = SouthUp ? stored.FlipRows(Height) : stored;
        CrsWkt = GdalRuntime.Utf8(GDALGetProjectionRef(handle)) ?? string.Empty;
    }

    /// <summary>The path the raster was opened from.</summary>
    public string Path { get; }

    /// <summary>GDAL driver short name (<c>GTiff</c>, <c>netCDF</c>, ...).</summary>
    public string Driver { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Number of bands.</summary>
    public int BandCount { get; }

    /// <summary>Whether the raster declares a geotransform.</summary>
    public bool HasGeoTransform { get; }

    /// <summary>Whether the file stores its rows south first; its rows are still read and written north first, and
    /// <see cref="GeoTransform"/> is the north-up one.</summary>
    public bool SouthUp { get; }

    /// <summary>The geotransform of the rows as read, north first (identity-like when <see cref="HasGeoTransform"/> is
    /// false).</summary>
    public GeoTransform GeoTransform { get; }

    /// <summary>The CRS as WKT; empty when the raster declares none.</summary>
    public string CrsWkt { get; }

    /// <summary>The CRS, or null when the raster declares none.</summary>
    public Crs? Crs => _crs ??= CrsWkt.Length == 0 ? null : Crs.FromWkt(CrsWkt, Path);

    /// <summary>The grid of the raster (size, geotransform and CRS).</summary>
    public RasterGrid Grid => new(CrsWkt, GeoTransform, Width, Height);

    /// <summary>The rows of the file that hold a window of rows as read (the same rows unless <see cref="SouthUp"/>).</summary>
    public PixelWindow Stored(PixelWindow window) =>
        SouthUp ? new PixelWindow(window.X, Height - window.Y - window.Height, window.Width, window.Height) : window;

    /// <summary>The whole raster as a window.</summary>
    public PixelWindow Extent => PixelWindow.Whole(Width, Height);

    /// <summary>Opens a raster read-only.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">GDAL cannot read it as a raster.</exception>
    public static RasterDataset Open(string path) => Open(path, update: false);

    internal static RasterDataset Open(string path, bool update)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        GdalRuntime.EnsureInitialized();
        if (SubdatasetFile(path) is { } container ? !File.Exists(container)
            : !path.StartsWith("/vsi", StringComparison.Ordinal) && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new UsageException($"{SubdatasetFile(path) ?? path}: no such file");
        }

        var flags = GDAL_OF_RASTER | GDAL_OF_VERBOSE_ERROR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY);
        nint OpenOnce()
        {
            GdalRuntime.ResetError();
            var h = GDALOpenEx(path, flags, 0, 0, 0);
            return h != 0 ? h : throw GdalRuntime.Failure(path, "not a raster GDAL can read");
        }

        var handle = IsNetwork(path)
            ? Retries.ForExceptions(path, e => TransientReason(e), NetworkRetries, RetryLog).Execute(() =>
            {
                try
                {
                    return OpenOnce();
                }
                catch (DataException e) when (TransientReason(e) is not null)
                {
                    VSICurlPartialClearCache(path);
                    throw;
                }
            })
            : OpenOnce();

        var ds = new RasterDataset(handle, path);
        if (ds.Width <= 0 || ds.Height <= 0 || ds.BandCount <= 0)
        {
            ds.Dispose();
            throw new DataException($"{path}: holds no raster bands");
        }

        if (ds.HasGeoTransform && !ds.GeoTransform.IsNorthUp)
        {
            ds.Dispose();
            throw new DataException($"{path}: its geotransform ({ds.GeoTransform}) is rotated or runs west, so its rows and " +
                $"columns are not north and east; warp it north-up first (gdalwarp -r near {path} north-up.tif)");
        }

        return ds;
    }

    /// <summary>Retries of opening a raster on network storage (<c>/vsicurl/</c>, <c>/vsis3/</c>, ...) that failed
    /// transiently (HTTP 5xx or 429, a time-out, a reset connection); a missing or unreadable file is not retried.</summary>
    public static RetryPolicy NetworkRetries { get; set; } = RetryPolicy.Default;

    /// <summary>Receives one line per network retry (the CLI prints them as warnings).</summary>
    public static Action<string>? RetryLog { get; set; }

    /// <summary>Whether a path is read through one of GDAL's network file systems.</summary>
    public static bool IsNetwork(string path) =>
        new[] { "/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss", "/vsiswift",
            "/vsiwebhdfs" }.Any(p => path.Contains(p, StringComparison.Ordinal));

    /// <summary>Why a failed network open or read is worth another try (HTTP 5xx or 429, a time-out, a reset
    /// connection), or null when it is final.</summary>
    public static string? TransientReason(Exception e)
    {
        var m = e.Message;
        var http = System.Text.RegularExpressions.Regex.Match(m, @"HTTP (?:error )?(?:response )?code\s*:?\s*(\d{3})",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (http.Success)
        {
            var code = int.Parse(http.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return code is >= 500 or 429 ? $"HTTP {code}" : null;
        }

        string[] transient = ["timed out", "Timeout was reached", "Connection reset", "Operation too slow", "Recv failure", "Send failure"];
        return transient.FirstOrDefault(t => m.Contains(t, StringComparison.OrdinalIgnoreCase));
    }

    internal static RasterDataset Adopt(nint handle, string path) => new(handle, path);

    /// <summary>The file of a GDAL subdataset name (<c>HDF4_EOS:EOS_GRID:"FILE":GRID:FIELD</c>,
    /// <c>HDF5:"FILE"://PATH</c>), or null when <paramref name="path"/> is not one.</summary>
    public static string? SubdatasetFile(string path)
    {
        var m = System.Text.RegularExpressions.Regex.Match(path, "^[A-Z][A-Z0-9_]*:(?:[A-Z_]+:)?\"(?<file>[^\"]+)\"");
        return m.Success ? m.Groups["file"].Value : null;
    }

    /// <summary>The metadata items of a domain (the default domain when null) as name/value pairs, in GDAL's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata(string? domain = null)
    {
        var list = GDALGetMetadata(Handle, domain);
        var items = new List<KeyValuePair<string, string>>();
        for (var p = (nint*)list; list != 0 && *p != 0; p++)
        {
            var entry = GdalRuntime.Utf8(*p) ?? "";
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            items.Add(eq < 0 ? new(entry, "") : new(entry[..eq], entry[(eq + 1)..]));
        }

        return items;
    }

    /// <summary>The value of a default-domain metadata item, or null.</summary>
    public string? MetadataItem(string name) =>
        Metadata().Where(kv => kv.Key == name).Select(kv => kv.Value).FirstOrDefault();

    /// <summary>The subdatasets of a container (HDF4, HDF5, netCDF): their GDAL names and descriptions, in order;
    /// empty for a plain raster.</summary>
    public IReadOnlyList<(string Name, string Description)> Subdatasets()
    {
        var items = Metadata("SUBDATASETS").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var result = new List<(string, string)>();
        for (var i = 1; items.TryGetValue($"SUBDATASET_{i}_NAME", out var name); i++)
        {
            result.Add((name, items.GetValueOrDefault($"SUBDATASET_{i}_DESC", "")));
        }

        return result;
    }

    /// <summary>Opens a container's subdataset whose name ends with <c>:FIELD</c> (an HDF-EOS field such as
    /// <c>LST_Day_1km</c>), or null when it has none.</summary>
    public static RasterDataset? OpenSubdataset(string container, string field)
    {
        using var c = OpenContainer(container);
        var match = c.Subdatasets().Select(s => s.Name)
            .FirstOrDefault(n => n.EndsWith(":" + field, StringComparison.Ordinal) || n.EndsWith("/" + field, StringComparison.Ordinal));
        return match is null ? null : Open(match);
    }

    /// <summary>Opens a file that may hold subdatasets and no raster of its own.</summary>
    private static RasterDataset OpenContainer(string path)
    {
        GdalRuntime.EnsureInitialized();
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        GdalRuntime.ResetError();
        var h = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_VERBOSE_ERROR | GDAL_OF_READONLY, 0, 0, 0);
        return h != 0 ? new RasterDataset(h, path) : throw GdalRuntime.Failure(path, "not a raster GDAL can read");
    }

    internal nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == 0, this);
            return _handle;
        }
    }

    /// <summary>The band of a 1-based index.</summary>
    /// <exception cref="UsageException">There is no such band.</exception>
    public RasterBand GetBand(int index)
    {
        if (index < 1 || index > BandCount)
        {
            throw new UsageException(
                $"{Path}: band {index} does not exist (the raster has {BandCount} band{(BandCount == 1 ? "" : "s")}, numbered from 1)");
        }

        return _bands[index - 1] ??= new RasterBand(this, GDALGetRasterBand(Handle, index), index);
    }

    /// <summary>Every band in order.</summary>
    public IEnumerable<RasterBand> Bands => Enumerable.Range(1, BandCount).Select(GetBand);

    /// <summary>Closes the raster, flushing pending writes; errors on close are raised.</summary>
    public void Close()
    {
        if (_handle == 0)
        {
            return;
        }

        GdalRuntime.ResetError();
        GDALClose(_handle);
        _handle = 0;
        GdalRuntime.ThrowOnFailure(Path, "failed to close");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_handle != 0)
        {
            GDALClose(_handle);
            _handle = 0;
        }
    }
}
