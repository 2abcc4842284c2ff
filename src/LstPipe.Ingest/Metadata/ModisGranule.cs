using System.Globalization;
using System.Text.RegularExpressions;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Metadata;

/// <summary>
/// What a MODIS LST granule says about itself: the product (<c>MOD11A1</c> Terra, <c>MYD11A1</c> Aqua), the granule id
/// and the acquisition date, from the HDF-EOS metadata GDAL exposes (<c>SHORTNAME</c>, <c>LOCALGRANULEID</c>,
/// <c>RANGEBEGINNINGDATE</c>, also carried by a <c>gdal_translate</c> subset), else from the file name
/// (<c>MOD11A1.A2021227.h11v05.061....hdf</c>, or an AppEEARS <c>MOD11A1.061_LST_Day_1km_doy2021227_aid0001.tif</c>).
/// </summary>
/// <param name="Product">The product short name, for example <c>MOD11A1</c>.</param>
/// <param name="GranuleId">The granule id without extension, where known.</param>
/// <param name="Date">The day the granule covers.</param>
public sealed partial record ModisGranule(string Product, string? GranuleId, DateOnly Date)
{
    /// <summary>The platform: Terra for <c>MOD</c> products, Aqua for <c>MYD</c>.</summary>
    public string Platform => Product.StartsWith("MYD", StringComparison.Ordinal) ? "Aqua" : "Terra";

    /// <summary>The sensor as <c>scene.json</c> records it: <c>MODIS Terra (MOD11A1)</c>.</summary>
    public string Sensor => $"MODIS {Platform} ({Product})";

    /// <summary>Reads a granule's identity from the LST field's dataset and its file name, or null when neither names a
    /// MODIS product and date.</summary>
    public static ModisGranule? Read(RasterDataset lst)
    {
        var file = Path.GetFileName(RasterDataset.SubdatasetFile(lst.Path) ?? lst.Path);
        var fromName = GranuleName().Match(file);
        var appeears = AppeearsName().Match(file);
        var product = lst.MetadataItem("SHORTNAME")
            ?? (fromName.Success ? fromName.Groups["product"].Value : appeears.Success ? appeears.Groups["product"].Value : null);
        var granule = lst.MetadataItem("LOCALGRANULEID") is { Length: > 0 } id ? Path.GetFileNameWithoutExtension(id)
            : fromName.Success ? fromName.Value : null;
        DateOnly? date = DateOnly.TryParseExact(lst.MetadataItem("RANGEBEGINNINGDATE") ?? "", "yyyy-MM-dd",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : fromName.Success ? FromYearDay(fromName.Groups["yday"].Value)
            : appeears.Success ? FromYearDay(appeears.Groups["yday"].Value) : null;
        return product is null || date is null ? null : new ModisGranule(product, granule, date.Value);
    }

    private static DateOnly FromYearDay(string yday) =>
        new DateOnly(int.Parse(yday[..4], CultureInfo.InvariantCulture), 1, 1)
            .AddDays(int.Parse(yday[4..], CultureInfo.InvariantCulture) - 1);

    [GeneratedRegex(@"^(?<product>M[OY]D\w+?)\.A(?<yday>\d{7})\.h\d\dv\d\d\.\d{3}\.\d{13}", RegexOptions.CultureInvariant)]
    private static partial Regex GranuleName();

    [GeneratedRegex(@"^(?<product>M[OY]D\w+?)\.\d{3}_.*doy(?<yday>\d{7})", RegexOptions.CultureInvariant)]
    private static partial Regex AppeearsName();
}
