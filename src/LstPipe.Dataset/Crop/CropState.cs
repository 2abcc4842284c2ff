using System.Text.Json;
using LstPipe.Core.Compression;
using LstPipe.Core.Json;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Crop;

/// <summary><c>.lstpipe-crop.json</c>: everything a resumed crop needs to finish exactly as the interrupted one would
/// have: the options and command of the original run, where its numbering starts, and for an append the card and
/// tiles that were there before.</summary>
internal sealed record CropState
{
    public required IReadOnlyList<string> Scenes { get; init; }

    /// <summary>The folder relative scene paths were given from, so a resume from elsewhere finds them.</summary>
    public required string WorkingDirectory { get; init; }

    public required int TileSize { get; init; }

    public required double Overlap { get; init; }

    public required IReadOnlyList<int> Scales { get; init; }

    public required double MaxNoData { get; init; }

    public required double CoarseMinValidFraction { get; init; }

    public required bool Compress { get; init; }

    public TruthMode Truth { get; init; } = TruthMode.Grid;

    public int CompressionLevel { get; init; } = DeflateCompressor.DefaultLevel;

    public required string Command { get; init; }

    public required OutputMode Mode { get; init; }

    public required int StartIndex { get; init; }

    /// <summary>SHA-256 of each scene's files when the crop started, in scene order: a resume refuses changed scenes.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? SceneSha256 { get; init; }

    public DatasetCard? PreviousCard { get; init; }

    public IReadOnlyList<TileRecord>? PreviousTiles { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonDefaults.Options);

    public static CropState FromJson(string json) =>
        JsonSerializer.Deserialize<CropState>(json, JsonDefaults.Options) ?? throw new JsonException("the crop state is null");
}
