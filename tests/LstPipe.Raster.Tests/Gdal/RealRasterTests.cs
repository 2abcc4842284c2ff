using System.Text.Json;
using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

/// <summary>Every raster in tests/data, described by lstpipe and by the gdalinfo program, must agree.</summary>
public class RealRasterTests
{
    public static TheoryData<string> SharedRasters()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(RepoPaths.SharedData))
        {
            foreach (var f in Directory.GetFiles(RepoPaths.SharedData, "*.tif", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepoPaths.SharedData, f));
            }
        }
        else
        {
            data.Add("(shared data absent)");
        }

        return data;
    }

    [SharedDataTheory]
    [MemberData(nameof(SharedRasters))]
    public void Summary_matches_gdalinfo(string relative)
    {
        var path = RepoPaths.Data(relative);
        var gdalinfo = Processes.Run("gdalinfo", ["-json", "-stats", "--config", "GDAL_PAM_ENABLED", "NO", path]);
        Assert.True(gdalinfo.ExitCode == 0, "gdalinfo failed: " + gdalinfo.StdErr);
        using var json = JsonDocument.Parse(gdalinfo.StdOut);
        var root = json.RootElement;

        using var ds = RasterDataset.Open(path);
        var s = RasterSummary.Describe(ds);
        Assert.Equal(root.GetProperty("size")[0].GetInt32(), s.Width);
        Assert.Equal(root.GetProperty("size")[1].GetInt32(), s.Height);
        var gt = root.GetProperty("geoTransform").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.All(gt.Zip(s.GeoTransform!), p => Assert.Equal(p.First, p.Second, Math.Abs(p.First) * 1e-12));
        Assert.Equal(Math.Abs(gt[1]), s.PixelWidth, Math.Abs(gt[1]) * 1e-12);
        int? epsg = root.GetProperty("stac").TryGetProperty("proj:epsg", out var e) && e.ValueKind == JsonValueKind.Number
            ? e.GetInt32() : null; // MODIS's sinusoidal grid has no EPSG code
        Assert.Equal(epsg, s.Crs!.Epsg);

        var bands = root.GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(bands.Count, s.Bands.Count);
        foreach (var (expected, actual) in bands.Zip(s.Bands))
        {
            Assert.Equal(expected.GetProperty("type").GetString(), actual.DataType);
            if (expected.TryGetProperty("noDataValue", out var nd))
            {
                Assert.NotNull(actual.NoData);
                Assert.Equal(nd.GetDouble(), actual.NoData!.Value, Math.Abs(nd.GetDouble()) * 1e-6);
            }
            else
            {
                Assert.Null(actual.NoData);
            }

        }

        // gdalinfo -stats returns statistics embedded in a file when it has them (the Talca files carry a stale
        // STATISTICS_MEAN=-9999), so the pixel statistics are checked against numpy instead.
        var numpy = NumpyStatistics(path);
        foreach (var (expected, actual) in numpy.Zip(s.Bands))
        {
            var st = actual.Statistics!;
            Assert.Equal(expected.Valid, st.ValidCount);
            Assert.Equal(expected.Min, st.Min);
            Assert.Equal(expected.Max, st.Max);
            Assert.True(Math.Abs(expected.Mean - st.Mean) <= 1e-9 * Math.Max(1, Math.Abs(expected.Mean)),
                $"band {actual.Index}: mean {st.Mean} vs numpy {expected.Mean}");
        }
    }

    private sealed record Stats(long Valid, double Min, double Max, double Mean);

    private static List<Stats> NumpyStatistics(string path)
    {
        const string script = """
            import sys, json
            import numpy as np
            from osgeo import gdal
            ds = gdal.Open(sys.argv[1])
            out = []
            for i in range(1, ds.RasterCount + 1):
                b = ds.GetRasterBand(i)
                a = b.ReadAsArray().astype(np.float32)
                ok = ~np.isnan(a)
                nd = b.GetNoDataValue()
                if nd is not None:
                    ok &= a != np.float32(nd)
                v = a[ok].astype(np.float64)
                out.append([int(v.size), float(v.min()), float(v.max()), float(v.mean())])
            print(json.dumps(out))
            """;
        var r = Processes.Run("/usr/bin/python3", ["-c", script, path]);
        Assert.True(r.ExitCode == 0, "numpy reference failed: " + r.StdErr);
        return JsonSerializer.Deserialize<double[][]>(r.StdOut)!.Select(a => new Stats((long)a[0], a[1], a[2], a[3])).ToList();
    }

    [SharedDataFact]
    public void Geographic_crs_is_recognized_as_degrees()
    {
        using var ds = RasterDataset.Open(RepoPaths.Data("ecostress-la", "ECO_L2_LSTE.002_LST_doy2023173193234_aid0001.tif"));
        Assert.True(ds.Crs!.IsGeographic);
        Assert.Equal(4326, ds.Crs.Epsg);
        Assert.Equal("degree", ds.Crs.LinearUnit);
        Assert.Equal(0.02, ds.GetBand(1).Scale);
    }
}
