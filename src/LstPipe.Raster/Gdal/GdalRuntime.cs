using System.Runtime.InteropServices;
using LstPipe.Core.Errors;
using LstPipe.Core.Interop;
using static LstPipe.Raster.Native.NativeMethods;

namespace LstPipe.Raster.Gdal;

/// <summary>
/// Loads and configures GDAL once per process: registers the drivers, silences GDAL's own stderr printing
/// (errors are read back and raised as exceptions that name the file), bounds the block cache so memory does not
/// grow with the scene, keeps GDAL from writing <c>.aux.xml</c> files beside inputs and from listing remote folders.
/// </summary>
public static class GdalRuntime
{
    private static readonly Lazy<bool> Initialized = new(Initialize);

    /// <summary>The block cache size GDAL is given, in megabytes.</summary>
    public const int CacheMegabytes = 256;

    /// <summary>Initializes GDAL; safe to call often and from any thread.</summary>
    /// <exception cref="DataException">libgdal is not installed.</exception>
    public static void EnsureInitialized() => _ = Initialized.Value;

    private static bool Initialize()
    {
        NativeLibraries.Register(typeof(GdalRuntime).Assembly);
        var library = NativeLibraries.Require("gdal");
        GDALAllRegister();
        CPLSetErrorHandler(NativeLibrary.GetExport(library, "CPLQuietErrorHandler"));
        CPLSetConfigOption("GDAL_CACHEMAX", CacheMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
        CPLSetConfigOption("GTIFF_REPORT_COMPD_CS", "NO");
        if (Environment.GetEnvironmentVariable("GDAL_DISABLE_READDIR_ON_OPEN") is null)
        {
            CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
        }

        return true;
    }

    /// <summary>The GDAL release string, for example <c>3.6.2</c>.</summary>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8(GDALVersionInfo("RELEASE_NAME")) ?? "unknown";
        }
    }

    /// <summary>Limits the HTTP requests GDAL makes on this thread (<c>/vsicurl/</c>, <c>/vsis3/</c>, ...) to
    /// <paramref name="timeout"/>, each answer read whole (<c>GDAL_HTTP_TIMEOUT</c>), and their connections to the same or
    /// 30 s, the shorter (<c>GDAL_HTTP_CONNECTTIMEOUT</c>), until the result is disposed, which puts back the settings of
    /// before. The settings are this thread's, so reads on other threads keep theirs. GDAL's cache of
    /// <paramref name="path"/> is emptied first, so what the server answers now is read, not what it gave before.</summary>
    public static IDisposable HttpTimeouts(TimeSpan timeout, string path)
    {
        EnsureInitialized();
        VSICurlPartialClearCache(path);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        return new ConfigScope(new Dictionary<string, string>
        {
            ["GDAL_HTTP_TIMEOUT"] = seconds.ToString(inv),
            ["GDAL_HTTP_CONNECTTIMEOUT"] = Math.Min(seconds, 30).ToString(inv),
        }, threadLocal: true);
    }

    internal static void ResetError() => CPLErrorReset();

    internal static bool HasFailure() => CPLGetLastErrorType() >= CE_Failure;

    internal static string LastErrorMessage()
    {
        var text = Marshal.PtrToStringUTF8(CPLGetLastErrorMsg());
        return string.IsNullOrWhiteSpace(text) ? "GDAL reported no detail" : OneLine(text);
    }

    /// <summary>Builds a data error naming <paramref name="path"/>, with GDAL's last message.</summary>
    internal static DataException Failure(string path, string what) =>
        new($"{path}: {what}: {LastErrorMessage()}");

    /// <summary>Throws when the last GDAL call reported an error.</summary>
    internal static void ThrowOnFailure(string path, string what)
    {
        if (HasFailure())
        {
            throw Failure(path, what);
        }
    }

    internal static string? Utf8(nint pointer) => pointer == 0 ? null : Marshal.PtrToStringUTF8(pointer);

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>A GDAL <c>char**</c> string list built from managed strings; frees itself.</summary>
internal sealed class GdalStringList : IDisposable
{
    public GdalStringList(IEnumerable<string> values)
    {
        foreach (var v in values)
        {
            Handle = CSLAddString(Handle, v);
        }
    }

    public nint Handle { get; private set; }

    public void Dispose()
    {
        if (Handle != 0)
        {
            CSLDestroy(Handle);
            Handle = 0;
        }
    }
}

/// <summary>GDAL configuration options set until disposed, then put back as they were.</summary>
internal sealed class ConfigScope : IDisposable
{
    private readonly Dictionary<string, string?> _before = new(StringComparer.Ordinal);
    private readonly bool _threadLocal;

    public ConfigScope(IReadOnlyDictionary<string, string> values, bool threadLocal = false)
    {
        _threadLocal = threadLocal;
        foreach (var (key, value) in values)
        {
            _before[key] = GdalRuntime.Utf8(threadLocal ? CPLGetThreadLocalConfigOption(key, null) : CPLGetConfigOption(key, null));
            Set(key, value);
        }
    }

    public void Dispose()
    {
        foreach (var (key, value) in _before)
        {
            Set(key, value);
        }

        _before.Clear();
    }

    private void Set(string key, string? value)
    {
        if (_threadLocal)
        {
            CPLSetThreadLocalConfigOption(key, value);
        }
        else
        {
            CPLSetConfigOption(key, value);
        }
    }
}
