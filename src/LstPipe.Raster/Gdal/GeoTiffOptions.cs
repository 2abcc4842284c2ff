using System.Globalization;

namespace LstPipe.Raster.Gdal;

/// <summary>GeoTIFF compression codecs.</summary>
public enum TiffCompression
{
    /// <summary>No compression (fastest to write, largest).</summary>
    None,

    /// <summary>DEFLATE (zlib): read by every GeoTIFF reader.</summary>
    Deflate,

    /// <summary>Zstandard: faster and smaller than DEFLATE; needs GDAL 2.3+ or libtiff 4.0.10+ to read.</summary>
    Zstd,

    /// <summary>LZW.</summary>
    Lzw,
}

/// <summary>How a GeoTIFF is laid out: tiled, with a codec and the floating-point predictor when compressed, and
/// cloud-optimized (overviews, the COG layout) where it is an output for others to read.</summary>
public sealed record GeoTiffOptions
{
    /// <summary>DEFLATE, 256 x 256 tiles, predictor for floats; no overviews (working files and test inputs).</summary>
    public static GeoTiffOptions Default { get; } = new();

    /// <summary>The layout of every GeoTIFF lstpipe publishes (scenes, predictions, degraded LSTs): <see cref="Default"/>
    /// as a cloud-optimized GeoTIFF.</summary>
    public static GeoTiffOptions Published { get; } = new() { CloudOptimized = true };

    /// <summary>The media type of a cloud-optimized GeoTIFF (STAC, HTTP).</summary>
    public const string CloudOptimizedMediaType = "image/tiff; application=geotiff; profile=cloud-optimized";

    /// <summary>Codec.</summary>
    public TiffCompression Compression { get; init; } = TiffCompression.Deflate;

    /// <summary>Codec level (DEFLATE 1-9, ZSTD 1-22); null for the codec's default.</summary>
    public int? Level { get; init; }

    /// <summary>Tile edge in pixels; a multiple of 16.</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Whether to use the horizontal predictor (2 for integers, 3 for floats) when compressing.</summary>
    public bool Predictor { get; init; } = true;

    /// <summary>Whether the file is converted, once written, into a cloud-optimized GeoTIFF by GDAL's COG driver: the
    /// same tiles and codec, overviews by averaging (nodata left out) down to one tile, and the COG layout (the image
    /// file directories first, each level's tiles together, smallest level first), so that a reader over HTTP fetches
    /// only the tiles and level it shows.</summary>
    public bool CloudOptimized { get; init; }

    /// <summary>Parses a codec name (<c>deflate</c>, <c>zstd</c>, <c>lzw</c>, <c>none</c>).</summary>
    public static TiffCompression ParseCompression(string name) => name.Trim().ToLowerInvariant() switch
    {
        "none" => TiffCompression.None,
        "deflate" => TiffCompression.Deflate,
        "zstd" => TiffCompression.Zstd,
        "lzw" => TiffCompression.Lzw,
        _ => throw new FormatException($"unknown compression '{name}': use deflate, zstd, lzw or none"),
    };

    /// <summary>The COG driver's creation options of this layout.</summary>
    internal IEnumerable<string> CloudOptimizedOptions(RasterDataType type)
    {
        var inv = CultureInfo.InvariantCulture;
        var codec = CodecName();
        yield return "COMPRESS=" + codec;
        yield return "OVERVIEW_COMPRESS=" + codec;
        yield return "BLOCKSIZE=" + TileSize.ToString(inv);
        yield return "BIGTIFF=IF_SAFER";
        yield return "OVERVIEWS=IGNORE_EXISTING";
        yield return "OVERVIEW_RESAMPLING=AVERAGE";
        yield return "NUM_THREADS=ALL_CPUS"; // compression on every core; the bytes do not depend on it
        if (Compression != TiffCompression.None && Predictor)
        {
            var predictor = type is RasterDataType.Float32 or RasterDataType.Float64 ? "FLOATING_POINT" : "STANDARD";
            yield return "PREDICTOR=" + predictor;
            yield return "OVERVIEW_PREDICTOR=" + predictor;
        }

        if (Compression is TiffCompression.Deflate or TiffCompression.Zstd && Level is { } level)
        {
            yield return "LEVEL=" + level.ToString(inv);
        }
    }

    /// <summary>The GTiff driver's creation options of the file written first: this layout, or for a file to be
    /// cloud-optimized a working copy that the COG driver re-encodes, so ZSTD level 1 (fastest to write and read).</summary>
    internal IEnumerable<string> CreationOptions(RasterDataType type)
    {
        if (TileSize < 16 || TileSize % 16 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TileSize), TileSize, "GeoTIFF tiles must be a multiple of 16 pixels");
        }

        var inv = CultureInfo.InvariantCulture;
        var file = CloudOptimized ? this with { Compression = TiffCompression.Zstd, Level = 1, Predictor = true } : this;
        yield return "TILED=YES";
        yield return "BLOCKXSIZE=" + TileSize.ToString(inv);
        yield return "BLOCKYSIZE=" + TileSize.ToString(inv);
        yield return "BIGTIFF=IF_SAFER";
        // GDAL 3.6's COG driver writes an uncompressed multi-band COG only from a pixel-interleaved source (from a
        // band-interleaved one it drops the COG layout), so a working copy for an uncompressed COG is pixel-interleaved.
        yield return CloudOptimized && Compression == TiffCompression.None ? "INTERLEAVE=PIXEL" : "INTERLEAVE=BAND";
        yield return "COMPRESS=" + file.CodecName();
        if (file.Compression == TiffCompression.None)
        {
            yield break;
        }

        if (file.Predictor)
        {
            yield return "PREDICTOR=" + (type is RasterDataType.Float32 or RasterDataType.Float64 ? "3" : "2");
        }

        if (file.Level is { } level)
        {
            yield return (file.Compression == TiffCompression.Zstd ? "ZSTD_LEVEL=" : "ZLEVEL=") + level.ToString(inv);
        }
    }

    private string CodecName() => Compression switch
    {
        TiffCompression.None => "NONE",
        TiffCompression.Deflate => "DEFLATE",
        TiffCompression.Zstd => "ZSTD",
        TiffCompression.Lzw => "LZW",
        _ => throw new ArgumentOutOfRangeException(nameof(Compression)),
    };
}
