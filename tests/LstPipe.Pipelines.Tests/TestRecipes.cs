namespace LstPipe.Pipelines.Tests;

/// <summary>Pipeline recipes for the tests: a real region (the Landsat 7 Talca product of tests/data) and
/// synthetic ones with the same seven channels, small tiles, no training unless asked.</summary>
internal static class TestRecipes
{
    public const string Channels = "[dem, blue, green, red, nir, ndvi, ndwi]";

    public static string Talca => $$"""
          talca:
            source: {{RepoPaths.Data("landsat7-talca")}}
            recipe: {{Path.Combine(RepoPaths.Root, "pipelines", "examples", "landsat7-talca.yaml")}}
        """;

    public static string Synthetic(string name, int seed, int size = 192) => $$"""
          {{name}}:
            synthetic: { size: {{size}}, seed: {{seed}}, epsg: 32719, origin: [250000, 6100000] }
            datetime: 2001-01-26T14:30:00Z
        """;

    /// <summary>A tiny MoCoLSK trained for a few iterations and tested on the test split.</summary>
    public const string Train = "train: { model: mocolsk, scale: 2, iterations: 6, num_feats: 4, n_resblocks: 1, reduction: 2, val_every: 3, train_split: train, val_split: test }\n";

    /// <summary>Writes <c>DIR/p.yaml</c> with the regions (YAML blocks) and returns its path; the catalog goes beside
    /// the data (<c>OUTPUT/catalog.json</c>).</summary>
    public static string Write(string dir, string name, string output, params string[] regions) =>
        WriteWith(dir, name, output, "", regions);

    /// <summary>Writes <c>DIR/p.yaml</c> with the regions and extra top-level sections (<see cref="Train"/>, a
    /// <c>catalog:</c> line).</summary>
    public static string WriteWith(string dir, string name, string output, string extra, params string[] regions)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "p.yaml");
        File.WriteAllText(path, $"""
            name: {name}
            output: {output}
            channels: {Channels}
            regions:
            {string.Join("\n", regions)}
            crop: {"{"} size: 32, overlap: 0.5, scales: [1, 2, 4], max_nodata: 0.05, zlib_level: 1, truth: resampled {"}"}
            split: {"{"} ratio: "6:1:3", strategy: spatial {"}"}
            export: {"{"} formats: [parquet], codec: zstd, shard_size: 1 {"}"}
            {extra}
            """);
        return path;
    }
}
