using LstPipe.Core.Units;

namespace LstPipe.Training;

/// <summary>The options of <c>lstpipe predict</c>.</summary>
public sealed record PredictOptions
{
    /// <summary>Checkpoint written by <c>lstpipe train</c>, or a PyTorch <c>.pth</c> of GrokLST's toolkit.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Coarse LST: a raster in any CRS and resolution GDAL reads, or a scene folder (its <c>lst.tif</c> and
    /// declared unit); averaged onto the guidance grid coarsened by the model's scale unless it already lies on it.</summary>
    public required string Lst { get; init; }

    /// <summary>High-resolution guidance: a GeoTIFF whose band descriptions name the channels (any order; matched to
    /// the model's by name), or a scene folder (its <c>guidance.tif</c> and <c>scene.json</c>).</summary>
    public required string Guidance { get; init; }

    /// <summary>Output GeoTIFF (float32 Kelvin, nodata -9999, on the guidance grid); a PNG quicklook is written beside
    /// it (same name, <c>.png</c>).</summary>
    public required string Output { get; init; }

    /// <summary>HR truth LST on the guidance grid, for the quicklook's truth and error panels and an RMSE.</summary>
    public string? Truth { get; init; }

    /// <summary>The guidance bands' channel names in band order, for a raster whose bands are not named.</summary>
    public IReadOnlyList<string>? GuidanceBands { get; init; }

    /// <summary>The coarse LST's unit, overriding what the raster declares.</summary>
    public TemperatureUnit? LstUnit { get; init; }

    /// <summary>The coarse LST's band (1-based); needed when the raster has several.</summary>
    public int? LstBand { get; init; }

    /// <summary>How the output is made consistent with the coarse LST; null: radiance where the coarse LST lies on
    /// the model's LR grid (its block means are the sensor's own pixels), none where it was reprojected or resampled.</summary>
    public ConsistencyMode? Consistency { get; init; }

    /// <summary>Window edge in HR pixels, rounded down to a multiple of the scale (and of the model's size multiple).</summary>
    public int Window { get; init; } = 256;

    /// <summary>Overlap of neighbouring windows in HR pixels; predictions are blended across it.</summary>
    public int Overlap { get; init; } = 32;

    /// <summary>Where the network runs: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";
}

/// <summary>What <c>lstpipe predict</c> wrote and measured.</summary>
/// <param name="Output">The downscaled GeoTIFF.</param>
/// <param name="Quicklook">The PNG beside it.</param>
/// <param name="Warped">How the coarse LST was brought onto the model's grid, or null when it lay on it.</param>
/// <param name="Padded">How far the working grid was padded past the guidance's right and bottom edges (HR px).</param>
/// <param name="ConsistencyBefore">Consistency error (K) of the network's output.</param>
/// <param name="ConsistencyAfter">Consistency error (K) of what was written.</param>
/// <param name="TruthRmse">RMSE (K) against the truth, when one was given.</param>
/// <param name="Consistency">The correction applied.</param>
/// <param name="ValidPixels">Pixels written with a value.</param>
public sealed record PredictResult(string Output, string Quicklook, string? Warped, (int Columns, int Rows) Padded,
    double ConsistencyBefore, double ConsistencyAfter, double? TruthRmse, ConsistencyMode Consistency, long ValidPixels);
