using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Synthetic;

/// <summary>Writes a synthetic scene folder strip by strip: memory holds one strip of rows of the eleven bands,
/// whatever the scene size.</summary>
public static class SyntheticSceneGenerator
{
    /// <summary>Generates the scene described by <paramref name="options"/> into <paramref name="directory"/>.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="directory">Output scene folder; must be absent or empty unless <paramref name="overwrite"/>.</param>
    /// <param name="overwrite">Replace an existing folder.</param>
    /// <param name="command">The command line, recorded in provenance.</param>
    /// <param name="progress">Receives the fraction of rows done.</param>
    /// <param name="cancellationToken">Stops between strips; nothing is left behind.</param>
    public static SceneFolder Generate(SyntheticSceneOptions options, string directory, bool overwrite = false,
        string? command = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var crs = Crs.FromEpsg(options.Epsg);
        if (!crs.IsProjected || Math.Abs(crs.MetresPerUnit - 1) > 1e-9)
        {
            throw new UsageException($"EPSG:{options.Epsg} is not a projected CRS in metres; synthetic scenes need one (for " +
                $"example a UTM zone)");
        }

        var grid = new RasterGrid(crs.Wkt, GeoTransform.NorthUp(options.OriginX, options.OriginY, options.PixelSizeMetres),
            options.Width, options.SceneHeight);
        var world = new SyntheticWorld(options.Seed, options.PixelSizeMetres, options.SeaLevelAirTemperatureK);
        var channels = options.Channels is { } names ? names.Select(n => GuidanceChannel.GrokLst.First(c
            => c.Name == n)).ToArray() : GuidanceChannel.GrokLst;
        var source = channels.Select(c => GuidanceChannel.GrokLst.ToList().IndexOf(c)).ToArray();
        var tiff = options.Output with { Compression = options.Compression };
        using var output = OutputTransaction.Folder(directory, overwrite ? OutputMode.Force : OutputMode.New,
            command ?? "lstpipe synth", [],
            occupied: $"{directory}: exists and is not empty; choose another --out or pass --force");
        using var writer = SceneWriter.Create(output, grid, channels, tiff);

        var rows = options.Output.TileSize;
        var lst = new float[rows * options.Width];
        var guidance = new float[rows * options.Width * SyntheticWorld.ChannelCount];
        foreach (var strip in grid.Extent.Strips(rows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var area = (int)strip.Area;
            world.Fill(strip, lst, guidance);
            writer.Lst.Write(1, strip, lst.AsSpan(0, area));
            for (var b = 0; b < source.Length; b++)
            {
                writer.Guidance!.Write(b + 1, strip, guidance.AsSpan(source[b] * area, area));
            }

            progress?.Report((double)strip.Bottom / options.SceneHeight);
        }

        var inv = CultureInfo.InvariantCulture;
        var provenance = new SceneProvenance
        {
            Command = command,
            Sensor = "synthetic",
            Parameters = new SortedDictionary<string, string>
            {
                ["generator"] = "lstpipe synthetic world v1",
                ["seed"] = options.Seed.ToString(inv),
                ["width"] = options.Width.ToString(inv),
                ["height"] = options.SceneHeight.ToString(inv),
                ["pixelSizeMetres"] = options.PixelSizeMetres.ToString("R", inv),
                ["seaLevelAirTemperatureK"] = options.SeaLevelAirTemperatureK.ToString("R", inv),
                ["ndmviRedMin"] = SyntheticWorld.NdmviRedMin.ToString("R", inv),
                ["ndmviNirMin"] = SyntheticWorld.NdmviNirMin.ToString("R", inv),
            },
        };
        return writer.Commit(writer.Manifest(options.SceneId, provenance, crs.Epsg));
    }
}
