namespace LstPipe.Testing;

/// <summary>
/// A Landsat TM or ETM+ Level-1 product folder as USGS delivers it (one GeoTIFF per band, <c>*_B1.TIF</c> ...,
/// <c>*_MTL.txt</c>), made with <c>gdal_translate</c> from the real Talca ETM+ band stack of <c>tests/data/landsat7-talca</c>.
/// The ETM+ product is the real scene; the TM product is the same DNs under an MTL that names a TM (a made product, for
/// the TM path: band 6 keys without VCID, the TM's sensor and spacecraft).
/// </summary>
public static class LandsatLevel1Product
{
    private static readonly int[] Reflective = [1, 2, 3, 4];

    /// <summary>Writes the product into <paramref name="folder"/> and returns it.</summary>
    /// <param name="folder">The product folder to make.</param>
    /// <param name="spacecraft"><c>LANDSAT_7</c> (ETM+, the real scene), <c>LANDSAT_5</c> or <c>LANDSAT_4</c> (TM).</param>
    /// <param name="k1k2">K1 and K2 to add to the MTL for band 6 (as a Collection 2 MTL has them); null: the MTL has none,
    /// as the real one.</param>
    public static string Make(string folder, string spacecraft = "LANDSAT_7", (double K1, double K2)? k1k2 = null)
    {
        Directory.CreateDirectory(folder);
        var tm = spacecraft != "LANDSAT_7";
        var prefix = tm ? $"LT0{spacecraft[^1]}_L1TP_233085_19950215_20200910_01_T1" : "LE07_L1TP_233085_20130215_20200907_01_T1";
        var thermal = tm ? "6" : "6_VCID_1";
        var stack = RepoPaths.Data("landsat7-talca", "L7_Talca.tif");
        foreach (var (band, name) in Reflective.Select(b => (b, b.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append((6, thermal)))
        {
            var r = Processes.Run("gdal_translate", ["-q", "-b", band.ToString(System.Globalization.CultureInfo.InvariantCulture), stack,
                Path.Combine(folder, $"{prefix}_B{name}.TIF")]);
            if (r.ExitCode != 0)
            {
                throw new InvalidOperationException($"gdal_translate: {r.StdErr}");
            }
        }

        var mtl = File.ReadAllText(RepoPaths.Data("landsat7-talca", "L7.MTL.txt")).TrimEnd('\0');
        if (tm)
        {
            mtl = mtl.Replace("\"LANDSAT_7\"", $"\"{spacecraft}\"", StringComparison.Ordinal)
                .Replace("SENSOR_ID = \"ETM\"", "SENSOR_ID = \"TM\"", StringComparison.Ordinal)
                .Replace("_BAND_6_VCID_1", "_BAND_6", StringComparison.Ordinal);
        }

        if (k1k2 is { } k)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            mtl = mtl.Replace("  END_GROUP = RADIOMETRIC_RESCALING", string.Create(inv,
                $"  END_GROUP = RADIOMETRIC_RESCALING\n  GROUP = THERMAL_CONSTANTS\n    K1_CONSTANT_BAND_{thermal} = {k.K1}\n" +
                $"    K2_CONSTANT_BAND_{thermal} = {k.K2}\n  END_GROUP = THERMAL_CONSTANTS"), StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(folder, $"{prefix}_MTL.txt"), mtl);
        return folder;
    }
}
