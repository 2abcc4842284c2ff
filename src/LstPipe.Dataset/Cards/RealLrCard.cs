namespace LstPipe.Dataset.Cards;

/// <summary>The card's record of a real-LR level (<c>crop --real-lr</c>): a coarse sensor's own LST (MODIS) on every
/// tile's grid at the simulated level nearest its native resolution, in a folder beside that level.</summary>
public sealed record CardRealLr
{
    /// <summary>The folder holding the real LR (<c>960m-real</c>), with <c>lst/NNNNN.mat</c> named as every level's.</summary>
    public required string Folder { get; init; }

    /// <summary>The simulated level it stands beside (<c>960m</c>): same grid, same tile size.</summary>
    public required string Scale { get; init; }

    /// <summary>The level's factor from the base grid.</summary>
    public required int Factor { get; init; }

    /// <summary>The level's pixel size in metres.</summary>
    public required double ResolutionMetres { get; init; }

    /// <summary>The coarse scene folder as given.</summary>
    public required string Source { get; init; }

    /// <summary>The coarse scene's id (the granule: <c>MOD11A1.A2021227.h11v05.061.2021228105320</c>).</summary>
    public required string SceneId { get; init; }

    /// <summary>SHA-256 of the coarse scene's <c>scene.json</c> and <c>lst.tif</c>.</summary>
    public required IReadOnlyDictionary<string, string> Sha256 { get; init; }

    /// <summary>The coarse sensor (<c>MODIS Terra (MOD11A1)</c>), where its scene says.</summary>
    public string? Sensor { get; init; }

    /// <summary>The source granules' ids.</summary>
    public IReadOnlyList<string> ProductIds { get; init; } = [];

    /// <summary>When the coarse LST was seen: the date, or the mean view time in UTC where the scene records it.</summary>
    public string? Acquired { get; init; }

    /// <summary>The mean local solar view time of its pixels in hours (MODIS), where recorded.</summary>
    public double? ViewTimeLocalHours { get; init; }

    /// <summary>What the coarse sensor resolved, in metres (MODIS: 926.625).</summary>
    public required double NativeResolutionMetres { get; init; }

    /// <summary>How each real-LR pixel was made.</summary>
    public string Method { get; init; } = "GDAL average of the coarse sensor's valid pixels, weighted by their overlap " +
        "with the LR pixel; a pixel whose overlap is less than coarseMinValidFraction valid is NaN";

    /// <summary>The smallest share of a tile's real-LR pixels that must hold real data for the tile to count as covered.</summary>
    public required double MinCoverage { get; init; }

    /// <summary>Tiles whose coverage reaches <see cref="MinCoverage"/>.</summary>
    public required int CoveredTiles { get; init; }

    /// <summary>Tiles below it, by index: their real LR holds NaN where the coarse sensor saw nothing (cloud, fill,
    /// outside the granule); <c>test --lr real</c> leaves them out.</summary>
    public required IReadOnlyList<int> UncoveredTiles { get; init; }

    /// <summary>Mean of real minus simulated LR over the pixels valid in both, in K (all tiles, overlaps counted per tile).</summary>
    public required double BiasK { get; init; }

    /// <summary>RMSE of real minus simulated LR over the same pixels, in K.</summary>
    public required double RmseK { get; init; }

    /// <summary>Statistics of the real LR's valid pixels.</summary>
    public required BandStatisticsEntry Statistics { get; init; }

    /// <summary>Per truth scene, the time from the truth's acquisition to the coarse sensor's.</summary>
    public required IReadOnlyList<CardRealScene> Scenes { get; init; }

    /// <summary>Per tile, in index order: coverage, whether covered, bias and RMSE against the simulated level.</summary>
    public required IReadOnlyList<CardRealTile> Tiles { get; init; }
}

/// <summary>The time gap between one truth scene and the coarse LST.</summary>
/// <param name="Id">The truth scene's id.</param>
/// <param name="Acquired">When the truth was acquired, where its scene says.</param>
/// <param name="TimeGapHours">Coarse acquisition minus truth acquisition, in hours; null where either is unknown.</param>
public sealed record CardRealScene(string Id, string? Acquired = null, double? TimeGapHours = null);

/// <summary>One tile's real LR.</summary>
/// <param name="Index">Tile index.</param>
/// <param name="Coverage">Share of its real-LR pixels holding real data.</param>
/// <param name="Covered">Whether the coverage reaches the card's <c>minCoverage</c>.</param>
/// <param name="BiasK">Mean real minus simulated LR over the pixels valid in both (NaN where none are).</param>
/// <param name="RmseK">RMSE of the same differences.</param>
public sealed record CardRealTile(int Index, double Coverage, bool Covered, double BiasK, double RmseK);
