using LstPipe.Core.Units;

namespace LstPipe.Raster.Gdal;

/// <summary>What <c>lstpipe info</c> reports about a raster.</summary>
/// <param name="Path">Path of the raster.</param>
/// <param name="Driver">GDAL driver.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="Crs">CRS label and definition, or null when none is declared.</param>
/// <param name="GeoTransform">Geotransform, or null when none is declared.</param>
/// <param name="PixelWidth">Pixel width in CRS units.</param>
/// <param name="PixelHeight">Pixel height in CRS units (positive).</param>
/// <param name="Units">CRS units (<c>metre</c>, <c>degree</c>).</param>
/// <param name="Bounds">Map bounds, or null without a geotransform.</param>
/// <param name="Bands">Per-band details.</param>
public sealed record RasterSummary(
    string Path, string Driver, int Width, int Height, CrsSummary? Crs, double[]? GeoTransform,
    double PixelWidth, double PixelHeight, string? Units, MapBounds? Bounds, IReadOnlyList<BandSummary> Bands)
{
    /// <summary>The pixel size on the ground at the raster's centre, or null without a geotransform and CRS.</summary>
    public GroundPixel? Ground { get; init; }

    /// <summary>Whether the file stores its rows south first (they are read north first).</summary>
    public bool SouthUp { get; init; }

    /// <summary>Describes an open raster; with <paramref name="statistics"/> every band is read once to compute exact statistics.</summary>
    public static RasterSummary Describe(RasterDataset ds, bool statistics = true)
    {
        var crs = ds.Crs;
        var gt = ds.GeoTransform;
        var bands = ds.Bands.Select(b =>
        {
            var s = statistics ? BandStatistics.Compute(b) : null;
            return new BandSummary(b.Index, b.DataTypeName, b.NoData, b.Description, b.Scale, b.Offset, s);
        }).ToList();
        return new RasterSummary(
            ds.Path, ds.Driver, ds.Width, ds.Height,
            crs is null ? null : new CrsSummary(crs.Epsg, crs.Name, crs.Wkt),
            ds.HasGeoTransform ? gt.ToArray() : null,
            Math.Abs(gt.PixelWidth), Math.Abs(gt.PixelHeight),
            crs?.LinearUnit,
            ds.HasGeoTransform ? gt.BoundsOf(ds.Extent) : null,
            bands)
        {
            Ground = ds.HasGeoTransform && crs is not null ? GroundPixel.Of(ds.Grid, ds.Path) : null,
            SouthUp = ds.SouthUp,
        };
    }
}

/// <summary>A CRS in a summary.</summary>
/// <param name="Epsg">EPSG code, where there is one.</param>
/// <param name="Name">CRS name.</param>
/// <param name="Wkt">WKT definition.</param>
public sealed record CrsSummary(int? Epsg, string Name, string Wkt);

/// <summary>A band in a summary.</summary>
/// <param name="Index">1-based band index.</param>
/// <param name="DataType">Stored type name.</param>
/// <param name="NoData">Nodata value, if declared.</param>
/// <param name="Description">Band description.</param>
/// <param name="Scale">Declared scale, if any.</param>
/// <param name="Offset">Declared offset, if any.</param>
/// <param name="Statistics">Exact statistics of valid pixels, when computed.</param>
public sealed record BandSummary(int Index, string DataType, double? NoData, string Description, double? Scale, double? Offset,
    BandStatistics? Statistics);
