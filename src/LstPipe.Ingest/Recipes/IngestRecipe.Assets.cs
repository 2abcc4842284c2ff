using LstPipe.Core.Errors;

namespace LstPipe.Ingest.Recipes;

// A recipe read against a STAC item's assets rather than a folder's file names.
public sealed partial record IngestRecipe
{
    /// <summary>The asset keys the recipe reads (its bands' and its metadata's), in recipe order.</summary>
    public IReadOnlyList<string> AssetKeys =>
        [.. Bands.Select(b => b.Asset).Append(MetadataAsset).OfType<string>().Distinct()];

    /// <summary>The recipe with each band and the metadata pointed at the local file of its asset: the file's own
    /// name becomes the band's glob, so the ingest reads the item's assets by key, not by file-name pattern.</summary>
    /// <param name="files">Local file by asset key (the assets the item has).</param>
    /// <param name="item">Names the item in messages.</param>
    /// <exception cref="UsageException">A band names no asset key.</exception>
    /// <exception cref="DataException">The item lacks an asset a required band or the metadata reads.</exception>
    public IngestRecipe WithAssets(IReadOnlyDictionary<string, string> files, string item)
    {
        string Missing(string key, string what) => throw new DataException($"item {item} has no asset '{key}' ({what} of " +
            $"recipe {Path}); its assets are {string.Join(", ", files.Keys)}");
        var bands = Bands.Select(b => b switch
        {
            { Asset: null } => throw new UsageException($"{Path}:{b.Line}: band '{b.Name}' names no STAC asset ('asset: KEY'), " +
                $"so it cannot be read from item {item}"),
            _ when files.TryGetValue(b.Asset, out var file) => b with { File = System.IO.Path.GetFileName(file) },
            { Optional: true } => b with { File = $"(no asset {b.Asset} in the item)" },
            _ => b with { File = Missing(b.Asset, $"band '{b.Name}'") },
        }).ToArray();
        var metadata = MetadataAsset is not { } key ? Metadata
            : files.TryGetValue(key, out var mtl) ? System.IO.Path.GetFileName(mtl) : Missing(key, "the metadata");
        return this with { Bands = bands, Metadata = metadata };
    }
}
