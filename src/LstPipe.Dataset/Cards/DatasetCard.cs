using System.Text.Json;
using System.Text.Json.Serialization;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Scenes;

namespace LstPipe.Dataset.Cards;

/// <summary>
/// <c>dataset.json</c>: what a dataset holds and how it was made: tile counts and sizes per scale, CRS, band names and
/// units, per-band statistics at every scale over the written tiles (the normalization constants a training config
/// needs), the source scenes with checksums, and the commands that built it.
/// </summary>
public sealed record DatasetCard
{
    /// <summary>The format identifier written in every card.</summary>
    public const string CurrentFormat = "lstpipe-dataset/1";

    /// <summary>Format identifier and version.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Tiles in every scale folder.</summary>
    public required int TileCount { get; init; }

    /// <summary>Tile edge on the base grid, in pixels.</summary>
    public required int TileSize { get; init; }

    /// <summary>Distance between tile origins on the base grid, in pixels.</summary>
    public required int Step { get; init; }

    /// <summary>Overlap of neighbouring tiles (0.5 in GrokLST).</summary>
    public required double Overlap { get; init; }

    /// <summary>Pixel size of the base grid in metres.</summary>
    public required double BaseResolutionMetres { get; init; }

    /// <summary>The LST's native resolution in metres where the truth was resampled from it onto a finer base grid
    /// (<c>--truth resampled</c>); null when the truth is at or coarser than what the sensor resolved.</summary>
    public double? TruthResampledFrom { get; init; }

    /// <summary>The scenes' pixel size in metres where <c>--truth native</c> averaged them onto a coarser base grid;
    /// null when the base grid is the scenes' own.</summary>
    public double? TruthCoarsenedFrom { get; init; }

    /// <summary>How the dataset came to be: <c>crop</c> (built by lstpipe from scenes) or <c>adopted</c> (a folder in
    /// GrokLST's layout made elsewhere, such as the published benchmark: no scenes, no tile geometry).</summary>
    public string Source { get; init; } = CropSource;

    /// <summary><see cref="Source"/> of a dataset lstpipe cropped.</summary>
    public const string CropSource = "crop";

    /// <summary><see cref="Source"/> of a folder adopted by <c>lstpipe adopt</c>.</summary>
    public const string AdoptedSource = "adopted";

    /// <summary>Whether the dataset was adopted (its tiles have no geometry).</summary>
    [JsonIgnore]
    public bool IsAdopted => Source == AdoptedSource;

    /// <summary>The tile files' names, in sorted order (tile k is the k-th in every folder, as GrokLST's loader pairs
    /// them), where they are not lstpipe's <c>NNNNN.mat</c>; null for lstpipe's own datasets.</summary>
    public IReadOnlyList<string>? FileNames { get; init; }

    /// <summary>The file name of tile <paramref name="index"/>.</summary>
    public string TileFileName(int index) => FileNames is { } names ? names[index] : DatasetLayout.TileFileName(index);

    /// <summary>Largest fraction of nodata pixels a kept tile may have.</summary>
    public required double MaxNoData { get; init; }

    /// <summary>Smallest fraction of valid fine pixels under a valid coarse pixel.</summary>
    public required double CoarseMinValidFraction { get; init; }

    /// <summary>The scale levels.</summary>
    public required IReadOnlyList<CardScale> Scales { get; init; }

    /// <summary>The LST variable.</summary>
    public required CardLst Lst { get; init; }

    /// <summary>Guidance channels, in variable order.</summary>
    public required IReadOnlyList<GuidanceChannel> Guidance { get; init; }

    /// <summary>How the MAT files are written.</summary>
    public required CardMat Mat { get; init; }

    /// <summary>Per scale, per band statistics over every written tile.</summary>
    public required IReadOnlyList<CardScaleStatistics> Statistics { get; init; }

    /// <summary>The real-LR level (<c>crop --real-lr</c>), or null.</summary>
    public CardRealLr? RealLr { get; init; }

    /// <summary>Source scenes in tile order.</summary>
    public required IReadOnlyList<CardScene> Scenes { get; init; }

    /// <summary>Tool, version and the commands that built the dataset.</summary>
    public required CardProvenance Provenance { get; init; }

    /// <summary>The statistics of one band at one scale.</summary>
    public BandStatisticsEntry StatisticsOf(string scaleLabel, string band) =>
        Statistics.First(s => s.Scale == scaleLabel).Bands.First(b => b.Name == band);

    /// <summary>Per scale and band (LST first, then the channels), the statistics of all the scenes' tiles, their
    /// moments summed in scene order.</summary>
    public static IReadOnlyList<CardScaleStatistics> StatisticsOf(IReadOnlyList<CardScene> scenes,
        IReadOnlyList<string> scaleLabels, IReadOnlyList<GuidanceChannel> channels)
    {
        var bandNames = new[] { "lst" }.Concat(channels.Select(c => c.Name)).ToArray();
        return scaleLabels.Select(label => new CardScaleStatistics(label, bandNames.Select(name =>
        {
            var total = new BandMoments();
            foreach (var s in scenes)
            {
                total.Add(s.Moments.First(m => m.Scale == label).Bands.First(b => b.Name == name).Moments);
            }

            return new BandStatisticsEntry(name, total.Mean, total.Std, total.Min, total.Max, total.Count);
        }).ToArray())).ToArray();
    }

    /// <summary>Serializes the card.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonDefaults.Options) + "\n";

    /// <summary>Parses a card.</summary>
    /// <param name="json">The card's JSON.</param>
    /// <param name="source">Where it was read (<c>dataset.json</c>, or a Parquet shard's footer), for the message.</param>
    /// <exception cref="DataException">The text is not a card.</exception>
    public static DatasetCard FromJson(string json, string source)
    {
        try
        {
            var card = JsonSerializer.Deserialize<DatasetCard>(json, JsonDefaults.Options);
            if (card?.Scales is { Count: > 0 } && card.Guidance is not null && card.Scenes is not null && card.Statistics is not null)
            {
                card.CheckNames(source);
                card.CheckStatistics(source);
                GuidanceCheck.Channels(card.Guidance, source);
                return card;
            }
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            throw new DataException($"{source}: not a valid dataset card{where}; rebuild it with 'lstpipe crop' (a Parquet " +
                $"shard's with 'lstpipe export')");
        }

        throw new DataException($"{source}: not a valid dataset card (scales, guidance, scenes or statistics missing); rebuild " +
            $"it with 'lstpipe crop'");
    }

    /// <summary>Refuses a card whose statistics do not name its bands: every scale's must hold the LST and each guidance
    /// channel, by the names of the guidance list (a channel renamed in the card and nowhere else).</summary>
    private void CheckStatistics(string source)
    {
        var names = new[] { "lst" }.Concat(Guidance.Select(g => g?.Name)).ToArray();
        foreach (var scale in Scales)
        {
            var stats = Statistics.FirstOrDefault(s => s?.Scale == scale?.Label);
            var held = stats?.Bands?.Select(b => b?.Name).ToHashSet(StringComparer.Ordinal) ?? [];
            if (names.FirstOrDefault(n => !held.Contains(n)) is { } lacking)
            {
                var extra = held.Where(h => !names.Contains(h, StringComparer.Ordinal)).Select(h => $"'{h}'").ToArray();
                var hint = extra.Length > 0 ? $" (they name {string.Join(", ", extra)}, which the guidance list lacks: was a " +
                    $"channel renamed?)" : "";
                throw new DataException($"{source}: band '{lacking}' has no statistics at scale {scale?.Label}{hint}; the card " +
                    $"was edited or is corrupt: put back the names it was written with, or rebuild it with 'lstpipe crop'");
            }
        }
    }

    /// <summary>Refuses file and folder names that would reach outside the dataset's folders (readers join them to the
    /// dataset's path), and file names that do not name every tile.</summary>
    private void CheckNames(string source)
    {
        for (var i = 0; i < Scales.Count; i++)
        {
            if (PlainFileName.Problem(Scales[i]?.Label) is { } problem)
            {
                throw new DataException($"{source}: scales[{i}].label {PlainFileName.Quoted(Scales[i]?.Label)} is not a plain " +
                    $"folder name ({problem}); the card was edited or is corrupt");
            }
        }

        if (FileNames is not { } names)
        {
            return;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (PlainFileName.Problem(names[i]) is { } problem)
            {
                throw new DataException($"{source}: fileNames[{i}] {PlainFileName.Quoted(names[i])} is not a plain file name " +
                    $"({problem}); a card names files inside the dataset's folders: adopt the folder again ('lstpipe adopt --force')");
            }
        }

        if (names.Count != TileCount)
        {
            throw new DataException($"{source}: fileNames holds {names.Count} names for {TileCount} tiles; adopt the folder " +
                $"again ('lstpipe adopt --force')");
        }
    }
}

/// <summary>One scale level.</summary>
/// <param name="Label">Folder name (<c>60m</c>).</param>
/// <param name="Factor">Downscaling factor from the base grid.</param>
/// <param name="TileSize">Tile edge at this scale, in pixels.</param>
/// <param name="ResolutionMetres">Pixel size at this scale.</param>
public sealed record CardScale(string Label, int Factor, int TileSize, double ResolutionMetres);

/// <summary>The LST variable.</summary>
/// <param name="Variable">Variable name in LST files (<c>data</c>).</param>
/// <param name="Unit">Unit (<c>K</c>).</param>
public sealed record CardLst(string Variable, string Unit);

/// <summary>MAT file settings.</summary>
/// <param name="Version">MAT version (<c>5</c>).</param>
/// <param name="Compression"><c>zlib</c> or <c>none</c>.</param>
/// <param name="Level">The zlib level (libdeflate's 1-12), when compressed.</param>
public sealed record CardMat(string Version, string Compression, int? Level = null);

/// <summary>Statistics of every band at one scale.</summary>
/// <param name="Scale">Scale label.</param>
/// <param name="Bands">LST (named <c>lst</c>) then the guidance channels.</param>
public sealed record CardScaleStatistics(string Scale, IReadOnlyList<BandStatisticsEntry> Bands);

/// <summary>Statistics of one band over all tiles of one scale (overlapping pixels counted once per tile).</summary>
/// <param name="Name">Band name.</param>
/// <param name="Mean">Mean.</param>
/// <param name="Std">Population standard deviation.</param>
/// <param name="Min">Minimum.</param>
/// <param name="Max">Maximum.</param>
/// <param name="Count">Valid values.</param>
public sealed record BandStatisticsEntry(string Name, double Mean, double Std, double Min, double Max, long Count);

/// <summary>A source scene of a dataset.</summary>
public sealed record CardScene
{
    /// <summary>Scene id from its <c>scene.json</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Scene folder as given.</summary>
    public required string Path { get; init; }

    /// <summary>SHA-256 of <c>scene.json</c>, <c>lst.tif</c> and <c>guidance.tif</c>.</summary>
    public required IReadOnlyDictionary<string, string> Sha256 { get; init; }

    /// <summary>EPSG code of the scene grid, if any.</summary>
    public int? Epsg { get; init; }

    /// <summary>The scene's sensor or generator (<c>scene.json</c> provenance), where known.</summary>
    public string? Sensor { get; init; }

    /// <summary>What the scene's thermal sensor resolved, in metres (<c>scene.json</c> <c>lst.nativeResolutionMetres</c>),
    /// where known.</summary>
    public double? NativeResolutionMetres { get; init; }

    /// <summary>The scene CRS as WKT.</summary>
    public required string CrsWkt { get; init; }

    /// <summary>Index of the scene's first tile.</summary>
    public required int FirstTile { get; init; }

    /// <summary>Tiles written from the scene.</summary>
    public required int Tiles { get; init; }

    /// <summary>Tile positions skipped for nodata.</summary>
    public required int SkippedNoData { get; init; }

    /// <summary>Tile grid columns.</summary>
    public required int Columns { get; init; }

    /// <summary>Tile grid rows.</summary>
    public required int Rows { get; init; }

    /// <summary>Percentage of the scene inside some tile position (edges that cannot hold a tile are dropped).</summary>
    public required double CoveragePercent { get; init; }

    /// <summary>Percentage of the scene inside some kept tile (tiles skipped for nodata not counted); absent in cards
    /// of older versions.</summary>
    public double? KeptCoveragePercent { get; init; }

    /// <summary>Mergeable sums per scale and band, so that appending scenes updates the statistics exactly.</summary>
    public required IReadOnlyList<CardSceneMoments> Moments { get; init; }
}

/// <summary>Mergeable sums of one scale.</summary>
/// <param name="Scale">Scale label.</param>
/// <param name="Bands">Band name to sums.</param>
public sealed record CardSceneMoments(string Scale, IReadOnlyList<NamedMoments> Bands);

/// <summary>Sums of one band.</summary>
/// <param name="Name">Band name.</param>
/// <param name="Moments">The sums.</param>
public sealed record NamedMoments(string Name, BandMoments Moments);

/// <summary>Provenance of a dataset.</summary>
/// <param name="Tool">Tool name.</param>
/// <param name="Version">Tool version.</param>
/// <param name="Commands">Every command that added to the dataset, in order.</param>
public sealed record CardProvenance(string Tool, string Version, IReadOnlyList<string> Commands);
