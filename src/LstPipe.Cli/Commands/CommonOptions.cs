using System.CommandLine;
using LstPipe.Core.Errors;
using LstPipe.Raster.Gdal;

namespace LstPipe.Cli.Commands;

/// <summary>Options shared by several verbs.</summary>
internal static class CommonOptions
{
    public static Option<string> Compression() => new("--compress")
    {
        Description = "GeoTIFF codec: deflate, zstd, lzw or none",
        DefaultValueFactory = _ => "deflate",
    };

    public static TiffCompression ParseCompression(string value)
    {
        try
        {
            return GeoTiffOptions.ParseCompression(value);
        }
        catch (FormatException e)
        {
            throw new UsageException("--compress: " + e.Message);
        }
    }
}
