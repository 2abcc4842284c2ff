using System.Globalization;
using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Dataset.Cards;

namespace LstPipe.Dataset.Crop;

/// <summary><c>.lstpipe-crop.json</c>: everything a resumed crop needs to finish exactly as the interrupted one would
/// have: the options of the original run (its scenes, folder and command included), the mode it ran in, where its
/// numbering starts, the scenes' checksums, and for an append the card and tiles that were there before.</summary>
internal sealed record CropState
{
    /// <summary>The original run's options.</summary>
    public required CropOptions Options { get; init; }

    /// <summary>New or Append: how the interrupted run treated the folder.</summary>
    public required OutputMode Mode { get; init; }

    /// <summary>Index of the run's first tile.</summary>
    public required int StartIndex { get; init; }

    /// <summary>SHA-256 of each scene's files when the crop started, in scene order: a resume refuses changed scenes.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? SceneSha256 { get; init; }

    /// <summary>The card before an append.</summary>
    public DatasetCard? PreviousCard { get; init; }

    /// <summary>The tiles before an append.</summary>
    public IReadOnlyList<TileRecord>? PreviousTiles { get; init; }

    /// <summary>The state of the crop in <paramref name="given"/>, which must be an interrupted one.</summary>
    /// <exception cref="UsageException">There is no interrupted crop there.</exception>
    /// <exception cref="DataException">The state file is damaged.</exception>
    public static CropState Load(string given)
    {
        var statePath = Path.Combine(given, DatasetLayout.StateFileName);
        if (!File.Exists(statePath))
        {
            var done = File.Exists(Path.Combine(given, DatasetLayout.CardFileName));
            throw new UsageException(done
                ? $"{given}: the dataset is complete; there is nothing to resume"
                : $"{given}: no interrupted crop here ({DatasetLayout.StateFileName} is missing); run crop without --resume");
        }

        try
        {
            return JsonSerializer.Deserialize<CropState>(File.ReadAllText(statePath), JsonDefaults.Options)
                ?? throw new JsonException("the crop state is null");
        }
        catch (JsonException e)
        {
            throw new DataException($"{statePath}: unreadable crop state ({e.Message.Split('\n')[0]}); start over with --force");
        }
    }

    /// <summary>The state of a crop starting in <paramref name="output"/> (written there before any tile): for an
    /// append, the existing card and tiles.</summary>
    /// <exception cref="UsageException">The folder does not take an append, or a scene is already in it.</exception>
    public static CropState Begin(CropOptions o, OutputMode mode, string output, RunPlan plan)
    {
        var statePath = Path.Combine(output, DatasetLayout.StateFileName);
        var (previousCard, previousTiles) = mode == OutputMode.Append ? LoadForAppend(o, o.Output, statePath, plan) : (null, null);
        var state = new CropState
        {
            Options = o,
            Mode = mode,
            StartIndex = previousCard?.TileCount ?? 0,
            SceneSha256 = plan.Scenes.Select(CropPlanner.SceneChecksums).ToArray(),
            PreviousCard = previousCard,
            PreviousTiles = previousTiles,
        };
        AtomicFile.WriteAllText(statePath, JsonSerializer.Serialize(state, JsonDefaults.Options));
        return state;
    }

    private static (DatasetCard, IReadOnlyList<TileRecord>) LoadForAppend(CropOptions o, string given, string statePath, RunPlan plan)
    {
        var cardPath = Path.Combine(given, DatasetLayout.CardFileName);
        if (File.Exists(statePath))
        {
            throw new UsageException($"{given}: holds an interrupted crop; finish it with --resume before appending");
        }

        if (!File.Exists(cardPath))
        {
            throw new UsageException($"{given}: not a complete dataset ({DatasetLayout.CardFileName} missing); --append needs " +
                $"one made by 'lstpipe crop'");
        }

        var card = DatasetCard.FromJson(File.ReadAllText(cardPath), cardPath);
        if (card.IsAdopted)
        {
            throw new UsageException($"{given}: an adopted dataset (GrokLST's layout, made elsewhere) cannot be appended to; " +
                $"crop the new scenes into a dataset of their own");
        }

        var scales = string.Join(",", card.Scales.Select(s => s.Factor));
        if (card.TileSize != o.TileSize || Math.Abs(card.Overlap - o.Overlap) > 1e-12 || scales != string.Join(",",
            o.Scales.Select(s => s.Value)))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{given}: was built with --size {card.TileSize} --overlap {card.Overlap} --scales {scales}; append with the same values"));
        }

        if (!card.Guidance.Select(c => c.Name).SequenceEqual(plan.Channels.Select(c => c.Name)) ||
            Math.Abs(card.BaseResolutionMetres - plan.BaseGsd.Size.Value) > 1e-6)
        {
            throw new DataException($"{given}: the new scenes' channels or resolution differ from the dataset's; one dataset " +
                $"needs one channel list and base resolution");
        }

        var clash = plan.Scenes.FirstOrDefault(s => card.Scenes.Any(c => c.Id == s.Scene.Manifest.Id));
        if (clash is not null)
        {
            throw new UsageException($"{clash.GivenPath}: scene '{clash.Scene.Manifest.Id}' is already in the dataset");
        }

        return (card, TileIndex.Read(Path.Combine(given, DatasetLayout.TilesFileName)));
    }

    /// <summary>Removes what a failed append wrote: the tiles from <paramref name="startIndex"/> on and temporaries.</summary>
    public static void RemoveTilesFrom(string output, RunPlan plan, int startIndex)
    {
        foreach (var label in plan.Labels)
        {
            foreach (var folder in new[] { DatasetLayout.LstFolder, DatasetLayout.GuidanceFolder })
            {
                var dir = Path.Combine(output, label, folder);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (var f in Directory.EnumerateFiles(dir))
                {
                    var name = Path.GetFileName(f);
                    if (AtomicFile.IsTemporaryName(name) ||
                        (int.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None, CultureInfo.InvariantCulture,
                            out var k) && k >= startIndex))
                    {
                        File.Delete(f);
                    }
                }
            }
        }
    }
}
