using System.Text.Json;

namespace LstPipe.Testing;

/// <summary>What the <c>gdalinfo</c> program (GDAL's own reader, out of process) says about a raster.</summary>
public static class GdalInfo
{
    /// <summary><c>gdalinfo -json</c> of a file.</summary>
    public static JsonDocument Json(string path)
    {
        var r = Processes.Run("gdalinfo", ["-json", "--config", "GDAL_PAM_ENABLED", "NO", path]);
        Xunit.Assert.True(r.ExitCode == 0, $"gdalinfo {path}: {r.StdErr}");
        return JsonDocument.Parse(r.StdOut);
    }

    /// <summary>The IMAGE_STRUCTURE item <c>LAYOUT</c> (<c>COG</c> for a cloud-optimized GeoTIFF), or null.</summary>
    public static string? Layout(string path)
    {
        using var json = Json(path);
        return json.RootElement.TryGetProperty("metadata", out var m) && m.TryGetProperty("IMAGE_STRUCTURE", out var s)
            && s.TryGetProperty("LAYOUT", out var l) ? l.GetString() : null;
    }

    /// <summary>Asserts that every <c>*.tif</c> under <paramref name="folder"/> (none of them a temporary) is a COG
    /// by gdalinfo, and returns how many there are.</summary>
    public static int AssertAllCloudOptimized(string folder)
    {
        var files = Directory.GetFiles(folder, "*.tif", SearchOption.AllDirectories);
        foreach (var f in files)
        {
            Xunit.Assert.True(Layout(f) == "COG", $"{f}: gdalinfo reports no LAYOUT=COG");
        }

        return files.Length;
    }
}
