using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest.Tests;

/// <summary>SDGSAT-1 L4 ingest on a product folder built here from the documented layout (no real SDGSAT-1 file can be
/// had): TIS 30 m, MII 10 m, calibration files, meta.xml and a DEM, with known DNs checked against hand-worked values.</summary>
public class Sdgsat1Tests
{
    private const int Size = 64;
    private const double SunElevation = 60;
    private static readonly (double Gain, double Bias)[] TisCalibration = [(0.0036, 0.1), (0.004, 0.11), (0.0052, 0.2)];
    private const double MiiGain = 0.02, MiiBias = 0.5, Esun = 1500;

    // DNs by half: left vegetation, right bare soil.
    private static readonly ushort[] Tis2 = [2300, 2450];
    private static readonly ushort[] Tis3 = [1600, 1700];
    private static readonly ushort[][] Mii =
    [
        [3000, 3600], [2800, 3400], [2600, 4200], [800, 5800], [3500, 6000], [9000, 7000], [9200, 7100],
    ];

    private static string Recipe => Path.Combine(RepoPaths.Root, "pipelines", "sdgsat1.yaml");

    internal static void MakeProduct(string folder, bool withCalibration = true)
    {
        Directory.CreateDirectory(folder);
        var wkt = Crs.FromEpsg(32650).Wkt;
        var tisGrid = new RasterGrid(wkt, GeoTransform.NorthUp(500000, 4000000, 30), Size, Size);
        var miiGrid = new RasterGrid(wkt, GeoTransform.NorthUp(500000, 4000000, 10), Size * 3, Size * 3);
        const string stem = "KX10_TIS_20220621_E116.50_N36.10_202200123456_L4A";
        const string miiStem = "KX10_MII_20220621_E116.50_N36.10_202200123457_L4A";
        Write(Path.Combine(folder, stem + ".tiff"), tisGrid, RasterDataType.UInt16,
            [(_, _) => 1000, (x, _) => Tis2[x < Size / 2 ? 0 : 1], (x, _) => Tis3[x < Size / 2 ? 0 : 1]]);
        Write(Path.Combine(folder, miiStem + ".tiff"), miiGrid, RasterDataType.UInt16,
            Mii.Select(b => (Func<int, int, float>)((x, _) => b[x < Size * 3 / 2 ? 0 : 1])).ToArray());
        Write(Path.Combine(folder, "srtm_dem.tif"), tisGrid, RasterDataType.Float32, [(x, y) => 900 + x + 2 * y]);
        File.WriteAllText(Path.Combine(folder, miiStem + ".meta.xml"),
            "<?xml version=\"1.0\"?>\n<ProductMetaData><SatelliteID>KX10</SatelliteID><SensorID>MII</SensorID>" +
            "<StartTime>2022-06-21 02:30:00</StartTime><CenterTime>2022-06-21 02:30:10</CenterTime>" +
            $"<SunElevation>{SunElevation}</SunElevation><CloudPercent>0</CloudPercent></ProductMetaData>\n");
        if (withCalibration)
        {
            File.WriteAllText(Path.Combine(folder, stem + ".calib.xml"), "<?xml version=\"1.0\"?>\n<Calibration sensor=\"TIS\">" +
                string.Concat(TisCalibration.Select((c, i) => FormattableString.Invariant($"<Band id=\"{i + 1}\"><Gain>{c.Gain}</Gain><Bias>{c.Bias}</Bias></Band>"))) + "</Calibration>\n");
            File.WriteAllText(Path.Combine(folder, miiStem + ".calib.xml"), "<?xml version=\"1.0\"?>\n<Calibration sensor=\"MII\">" +
                string.Concat(Enumerable.Range(1, 7).Select(i => FormattableString.Invariant($"<Band id=\"{i}\"><Gain>{MiiGain}</Gain><Bias>{MiiBias}</Bias><ESUN>{Esun}</ESUN></Band>"))) + "</Calibration>\n");
        }
    }

    private static void Write(string path, RasterGrid grid, RasterDataType type, IReadOnlyList<Func<int, int, float>> bands)
    {
        using var w = GeoTiffWriter.Create(path, grid, bands.Count, type, options: new GeoTiffOptions { Compression = TiffCompression.None });
        for (var b = 0; b < bands.Count; b++)
        {
            var values = new float[grid.Width * grid.Height];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = bands[b](i % grid.Width, i / grid.Width);
            }

            w.Write(b + 1, grid.Extent, values);
        }

        w.Commit();
    }

    private static double Brightness(double dn, (double Gain, double Bias) c, double micrometres)
    {
        var radiance = dn * c.Gain + c.Bias;
        var k1 = 1.191042e8 / Math.Pow(micrometres, 5);
        var k2 = 14387.77 / micrometres;
        return k2 / Math.Log(k1 / radiance + 1);
    }

    private static double Reflectance(double dn)
    {
        var d = 1 - 0.01672 * Math.Cos(0.9856 * (172 - 4) * Math.PI / 180);
        return Math.PI * (dn * MiiGain + MiiBias) * d * d / (Esun * Math.Sin(SunElevation * Math.PI / 180));
    }

    private static float[] Read(string path, int band)
    {
        using var d = RasterDataset.Open(path);
        var values = new float[d.Width * d.Height];
        d.GetBand(band).Read(d.Extent, values);
        return values;
    }

    [Fact]
    public void A_product_folder_ingests_to_all_ten_grokLst_channels_with_native_30_m_truth()
    {
        using var dir = new TempDir();
        MakeProduct(dir.File("product"));
        var result = IngestProcessor.Run(new IngestOptions { Recipe = Recipe, Input = dir.File("product"), Output = dir.File("scene") });
        var m = result.Scene.Manifest;

        Assert.Equal(GuidanceChannel.GrokLstNames, m.Guidance.Bands.Select(b => b.Name));
        Assert.Equal(30, m.Lst.NativeResolutionMetres);
        Assert.Equal(30, m.GeoTransform[1]);
        Assert.Equal("SDGSAT-1 TIS/MII", m.Provenance.Sensor);
        Assert.Equal("2022-06-21T02:30:10Z", m.Provenance.Acquired);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("natively", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("Landsat 8 TIRS's", StringComparison.Ordinal));
        Assert.StartsWith("gain 0.004 bias 0.11 from calibration file KX10_TIS_", m.Provenance.Parameters["calibration.tis2"], StringComparison.Ordinal);
        Assert.Contains("top-of-atmosphere reflectance", m.Guidance.Bands.First(b => b.Name == "red").Description, StringComparison.Ordinal);

        var lst = Read(result.Scene.LstPath, 1);
        var red = Read(result.Scene.GuidancePath, 5);
        var ndvi = Read(result.Scene.GuidancePath, 9);
        var dem = Read(result.Scene.GuidancePath, 1);
        foreach (var (x, y, half) in new[] { (3, 5, 0), (20, 60, 0), (40, 7, 1), (63, 63, 1) })
        {
            var i = y * Size + x;
            var r = Reflectance(Mii[3][half]);
            var n = Reflectance(Mii[5][half]);
            var v = (n - r) / (n + r);
            Assert.Equal(r, red[i], 1e-5);
            Assert.Equal(v, ndvi[i], 1e-5);
            Assert.Equal(900 + x + 2 * y, dem[i]);

            // Emissivities worked by hand from the NDVI thresholds: vegetation (NDVI > 0.5) 0.987 / 0.989,
            // bare soil (NDVI < 0.2) 0.979 - 0.046 red / 0.982 - 0.027 red.
            var (e2, e3) = v > 0.5 ? (0.987, 0.989) : (0.979 - 0.046 * r, 0.982 - 0.027 * r);
            Assert.True(half == 0 ? v > 0.5 : v < 0.2, $"the fixture's NDVI {v} is not in the class it was made for");
            var t2 = Brightness(Tis2[half], TisCalibration[1], 10.8);
            var t3 = Brightness(Tis3[half], TisCalibration[2], 12.0);
            var d = t2 - t3;
            var w = 2.0;
            var expected = t2 + 1.378 * d + 0.183 * d * d - 0.268 + (54.30 - 2.238 * w) * (1 - (e2 + e3) / 2) + (-129.20 + 16.40 * w) * (e2 - e3);
            Assert.Equal(expected, lst[i], 0.01);
        }
    }

    [Fact]
    public void Without_calibration_files_the_published_tis_defaults_are_used_and_mii_needs_esun()
    {
        using var dir = new TempDir();
        MakeProduct(dir.File("product"), withCalibration: false);
        var e = Assert.Throws<DataException>(() => IngestProcessor.Run(new IngestOptions { Recipe = Recipe, Input = dir.File("product"), Output = dir.File("scene") }));
        Assert.Contains("band 'deepblue': no calibration file matches 'KX10_MII_*.calib.xml'", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("scene")));

        File.WriteAllText(dir.File("r.yaml"), File.ReadAllText(Recipe).Replace("calibrate: radiance-toa, calibration_file", "calibrate: radiance-toa, gain: 0.02, bias: 0.5, calibration_file", StringComparison.Ordinal));
        var result = IngestProcessor.Run(new IngestOptions { Recipe = dir.File("r.yaml"), Input = dir.File("product"), Output = dir.File("scene") });
        var p = result.Scene.Manifest.Provenance.Parameters;
        Assert.StartsWith("gain 0.003946 bias 0.124622 from recipe defaults (no calibration file); planck: K1 ", p["calibration.tis2"], StringComparison.Ordinal);
        Assert.EndsWith("(Planck's law at 10.8 um)", p["calibration.tis2"], StringComparison.Ordinal);
        Assert.Contains("estimated from a 5778 K black body over 630-690 nm", p["calibration.red"], StringComparison.Ordinal);
        var lst = Read(result.Scene.LstPath, 1);
        Assert.InRange(lst[5 * Size + 3], 250, 330);
    }
}
