using LstPipe.Ingest.Recipes;

namespace LstPipe.Pipelines.Catalog;

/// <summary>
/// The licence of a collection as STAC 1.0.0 words it: an SPDX identifier where the data has one, otherwise
/// <c>proprietary</c> (STAC 1.0.0's word for a licence not on the SPDX list; 1.1.0 renamed it <c>other</c>) with a
/// <c>license</c> link to the terms, and <c>various</c> with a link per licence for a dataset built from sources under
/// different terms. A <c>proprietary</c> collection without a link grants no rights (STAC 1.0.0).
/// </summary>
/// <param name="Id">The <c>license</c> field.</param>
/// <param name="Href">The terms' URL, or null.</param>
/// <param name="Title">What the terms say, for the link's title.</param>
public sealed record StacLicense(string Id, string? Href, string? Title)
{
    /// <summary>USGS products (Landsat): public domain, no copyright; USGS asks for a citation.</summary>
    public static StacLicense Usgs { get; } = new("proprietary", "https://www.usgs.gov/centers/eros/data-citation",
        "USGS data: public domain (no copyright restrictions), cite the source");

    /// <summary>NASA products distributed by the LP DAAC (ECOSTRESS, MODIS): no restrictions on use, cite the source.</summary>
    public static StacLicense LpDaac { get; } = new("proprietary", "https://lpdaac.usgs.gov/data/data-citation-and-policies/",
        "NASA LP DAAC data: no restrictions on reuse, cite the source");

    /// <summary>Terms that lstpipe cannot know (SDGSAT-1, ready GeoTIFFs): the provider's; no rights are assumed.</summary>
    public static StacLicense Unknown { get; } = new("proprietary", null, null);

    /// <summary>What lstpipe itself generates (synthetic scenes): the project's licence. The project declares none yet
    /// (no LICENSE file), so no rights are granted; naming one here (an SPDX id) licenses every synthetic collection.</summary>
    public static StacLicense Project { get; } = Unknown;

    /// <summary>The licence of a source product.</summary>
    public static StacLicense Of(ProductKind product) => product switch
    {
        ProductKind.LandsatL1 or ProductKind.LandsatC2L2 => Usgs,
        ProductKind.EcostressL2 or ProductKind.ModisLst => LpDaac,
        _ => Unknown,
    };

    /// <summary>The licence of data built from sources under <paramref name="licences"/>: theirs when they agree,
    /// otherwise <c>various</c> (whose links are every source's).</summary>
    public static StacLicense Combine(IEnumerable<StacLicense> licences)
    {
        var distinct = licences.Distinct().ToArray();
        return distinct.Length == 1 ? distinct[0] : new StacLicense("various", null, null);
    }
}
