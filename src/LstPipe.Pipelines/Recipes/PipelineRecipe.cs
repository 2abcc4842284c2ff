using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Core.Options;
using LstPipe.Core.Yaml;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Splits;
using LstPipe.Ingest.Recipes;
using LstPipe.Ingest.Stac;
using LstPipe.Synthetic;
using LstPipe.Training;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Pipelines.Recipes;

/// <summary>One region of a pipeline: where its scene comes from and on which grid.</summary>
public sealed record RegionSpec
{
    /// <summary>The region's name (its key under <c>regions</c>); names its scene, crop and STAC item.</summary>
    public required string Name { get; init; }

    /// <summary>The recipe line of the region.</summary>
    public required int Line { get; init; }

    /// <summary>The product folder (absolute), for ingested regions.</summary>
    public string? Source { get; init; }

    /// <summary>The sensor recipe (absolute path), for ingested regions.</summary>
    public string? SensorRecipe { get; init; }

    /// <summary>The generator settings, for synthetic regions (size 512 unless the recipe says otherwise).</summary>
    public SyntheticSceneOptions? Synthetic { get; init; }

    /// <summary>A target grid in place of the sensor recipe's.</summary>
    public RecipeGrid? Grid { get; init; }

    /// <summary>Another region whose scene grid this region is ingested onto (a dependency).</summary>
    public string? GridLike { get; init; }

    /// <summary>Acquisition time for the catalog (ISO 8601, UTC) where the product does not say.</summary>
    public string? Datetime { get; init; }

    /// <summary>The STAC API query that finds the region's product (<c>stac:</c>), for regions given as a place and a
    /// time; <see cref="RegionQueries"/> resolves it into <see cref="Item"/>.</summary>
    public StacQuery? Stac { get; init; }

    /// <summary>The item the query picked (pinned in <c>OUT/.lstpipe/queries/</c>); its assets are the region's product.</summary>
    public StacItem? Item { get; init; }
}

/// <summary>How the pipeline writes Parquet shards.</summary>
/// <param name="Parquet">Whether to write them at all (<c>formats</c> lists <c>parquet</c>).</param>
/// <param name="Options">Codec, level, float encoding, shard size (the dataset path is filled in per run).</param>
public sealed record ExportSpec(bool Parquet, ExportOptions Options);

/// <summary>
/// A region pipeline (<c>pipelines/NAME.yaml</c> for <c>lstpipe run</c>): regions, each from a product folder and a
/// sensor recipe or from the synthetic generator, onto one channel list; crop, split and export settings; and an
/// optional training run tested on the split. Paths are relative to the recipe file.
/// </summary>
public sealed record PipelineRecipe
{
    /// <summary>The recipe file (absolute).</summary>
    public required string Path { get; init; }

    /// <summary>The pipeline's name (dataset and STAC collection id).</summary>
    public required string Name { get; init; }

    /// <summary>A line about it.</summary>
    public string? Description { get; init; }

    /// <summary>Where stage outputs go (absolute).</summary>
    public required string Output { get; init; }

    /// <summary>Where the STAC catalog goes (absolute): the output folder unless the recipe says otherwise, so that
    /// the catalog lies beside (above) the data it describes.</summary>
    public required string Catalog { get; init; }

    /// <summary>Where the recipe names the catalog (<c>file:line</c>), or null where it takes the default.</summary>
    public string? CatalogAt { get; init; }

    /// <summary>The guidance channels every region must have, in order (synthetic regions write these).</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Regions in recipe order (the order of the assembled dataset).</summary>
    public required IReadOnlyList<RegionSpec> Regions { get; init; }

    /// <summary>Crop settings (scenes and output are filled in per region).</summary>
    public required CropOptions Crop { get; init; }

    /// <summary>Split settings (the dataset is filled in).</summary>
    public required SplitOptions Split { get; init; }

    /// <summary>Export settings.</summary>
    public required ExportSpec Export { get; init; }

    /// <summary>Training settings, or null for none (dataset and output are filled in).</summary>
    public TrainOptions? Train { get; init; }

    /// <summary>The region named <paramref name="name"/>.</summary>
    public RegionSpec Region(string name) => Regions.First(r => r.Name == name);

    /// <summary>Reads and checks a pipeline recipe.</summary>
    /// <exception cref="UsageException">A syntax error, an unknown key, a bad value, a missing source or a cycle among
    /// the regions; the message starts with <c>file:line</c>.</exception>
    public static PipelineRecipe Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var root = YamlSection.Load(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        string Resolve(string p) => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, p));
        var name = root.String("name") ?? System.IO.Path.GetFileNameWithoutExtension(path);
        if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            throw new UsageException($"{(root.Node("name") is { } n ? root.At(n) : root.Where)}: recipe name '{name}' must be " +
                $"letters, digits, '-' and '_' (it names files and catalog entries)");
        }

        var description = root.String("description");
        var output = Resolve(root.String("output") ?? System.IO.Path.Combine("..", "data", name));
        var catalog = root.String("catalog") is { } c ? Resolve(c) : output;
        var catalogAt = root.Node("catalog") is { } catalogNode ? root.At(catalogNode) : null;
        var channels = root.Node("channels") is null ? null : root.List("channels").Select(x => x.Value).ToArray();
        var regions = ReadRegions(root, Resolve, channels);
        var crop = ReadCrop(root.Section("crop"));
        var split = ReadSplit(root.Section("split"));
        var export = ReadExport(root.Section("export"));
        var train = ReadTrain(root.Section("train"));
        root.RejectUnknown();
        var recipe = new PipelineRecipe
        {
            Path = full,
            Name = name,
            Description = description,
            Output = output,
            Catalog = catalog,
            CatalogAt = catalogAt,
            Channels = channels,
            Regions = regions,
            Crop = crop,
            Split = split,
            Export = export,
            Train = train,
        };
        RegionOrder(recipe);
        return recipe;
    }

    /// <summary>The regions ordered so that each comes after the one whose grid it takes.</summary>
    /// <exception cref="UsageException">A region names an unknown region, or the regions form a cycle.</exception>
    public static IReadOnlyList<RegionSpec> RegionOrder(PipelineRecipe recipe)
    {
        var order = new List<RegionSpec>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(RegionSpec r, List<string> path)
        {
            if (state.GetValueOrDefault(r.Name) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(r.Name) == 1)
            {
                var cycle = path.SkipWhile(n => n != r.Name).Append(r.Name);
                throw new UsageException($"{recipe.Path}:{r.Line}: regions depend on each other in a cycle " +
                    $"({string.Join(" -> ", cycle)} through grid_like); one of them needs its own grid");
            }

            state[r.Name] = 1;
            path.Add(r.Name);
            if (r.GridLike is { } like)
            {
                var other = recipe.Regions.FirstOrDefault(x => x.Name == like)
                    ?? throw new UsageException($"{recipe.Path}:{r.Line}: region '{r.Name}' takes the grid of '{like}', which " +
                        $"is not a region here ({string.Join(", ", recipe.Regions.Select(x => x.Name))})");
                Visit(other, path);
            }

            path.RemoveAt(path.Count - 1);
            state[r.Name] = 2;
            order.Add(r);
        }

        foreach (var r in recipe.Regions)
        {
            Visit(r, []);
        }

        return order;
    }

    private static List<RegionSpec> ReadRegions(YamlSection root, Func<string, string> resolve, IReadOnlyList<string>? channels)
    {
        var section = root.Section("regions") ?? throw new UsageException($"{root.Where}: 'regions' is required: at least one " +
            $"region (name: {{ source, recipe }} or {{ synthetic }})");
        var regions = new List<RegionSpec>();
        foreach (var (name, node) in section.Entries())
        {
            if (node is not YamlMappingNode)
            {
                throw new UsageException($"{section.At(node)}: region '{name}' must be a mapping (source, recipe, grid, ...)");
            }

            if (name.Length == 0 || name.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_')))
            {
                throw new UsageException($"{section.At(node)}: region name '{name}' must be letters, digits, '-' and '_'");
            }

            var r = section.Section(name)!;
            var source = r.String("source");
            var sensor = r.String("recipe");
            var synthetic = r.Section("synthetic");
            var stac = r.Section("stac");
            if (new object?[] { source, synthetic, stac }.Count(x => x is not null) != 1)
            {
                throw new UsageException($"{r.Where}: region '{name}' needs one of 'source' (a product folder, with 'recipe'), " +
                    $"'stac' (a STAC API query, with 'recipe') or 'synthetic'");
            }

            StacQuery? query = null;
            if (stac is not null)
            {
                query = RecipeOptions.Bind(stac, new StacQuery());
                stac.RejectUnknown();
                query = Wrap(stac, query.Validate);
            }

            SyntheticSceneOptions? synth = null;
            if (synthetic is not null)
            {
                synth = RecipeOptions.Bind(synthetic, new SyntheticSceneOptions { Width = 512 });
                synthetic.RejectUnknown();
                Wrap(synthetic, synth.Validate);
                if (channels is not null)
                {
                    try
                    {
                        new SyntheticSceneOptions { Channels = channels }.Validate();
                    }
                    catch (UsageException e)
                    {
                        throw new UsageException($"{root.At(root.Node("channels")!)}: {e.Message}");
                    }
                }
            }
            else
            {
                if (sensor is null)
                {
                    throw new UsageException($"{r.Where}: region '{name}' has a '{(stac is null ? "source" : "stac")}' but no " +
                        $"'recipe' (the sensor recipe, for example landsat-l1.yaml)");
                }

                var dir = source is null ? null : resolve(source);
                if (dir is not null && !Directory.Exists(dir))
                {
                    throw new UsageException($"{r.At(r.Node("source")!)}: region '{name}': source folder {dir} does not exist");
                }

                var recipePath = resolve(sensor);
                if (!File.Exists(recipePath))
                {
                    throw new UsageException($"{r.At(r.Node("recipe")!)}: region '{name}': sensor recipe {recipePath} does not exist");
                }

                source = dir;
                sensor = recipePath;
                if (query is not null && IngestRecipe.Load(recipePath).Bands.FirstOrDefault(b => b.Asset is null) is { } plain)
                {
                    throw new UsageException($"{r.At(r.Node("recipe")!)}: region '{name}' is a STAC query, but band " +
                        $"'{plain.Name}' of {System.IO.Path.GetFileName(recipePath)} names no asset key ('asset: red'); " +
                        $"give each band the key of its asset");
                }
            }

            var grid = r.Section("grid");
            RecipeGrid? g = null;
            if (grid is not null)
            {
                var bounds = grid.List("bounds");
                g = new RecipeGrid(null, grid.String("crs") ?? "utm", grid.Number("resolution") ?? 30,
                    bounds.Count == 0 ? null : bounds.Count == 4 ? bounds.Select(b => Number(grid, "bounds", b.Value)).ToArray()
                        : throw new UsageException($"{grid.At(grid.Node("bounds")!)}: 'bounds' is [minx, miny, maxx, maxy]"), grid.Line);
                grid.RejectUnknown();
            }

            var gridLike = r.String("grid_like");
            if (gridLike is not null && (g is not null || synthetic is not null))
            {
                throw new UsageException($"{r.At(r.Node("grid_like")!)}: region '{name}': 'grid_like' goes with an ingested " +
                    $"region and without 'grid'");
            }

            regions.Add(new RegionSpec
            {
                Name = name,
                Line = r.Line,
                Source = source,
                SensorRecipe = sensor,
                Synthetic = synth,
                Grid = g,
                GridLike = gridLike,
                Datetime = r.String("datetime"),
                Stac = query,
            });
            r.RejectUnknown();
        }

        return regions.Count > 0 ? regions : throw new UsageException($"{section.Where}: 'regions' lists no region");
    }

    private static CropOptions ReadCrop(YamlSection? s)
    {
        var o = RecipeOptions.Bind(s, new CropOptions());
        if (s is not null)
        {
            s.RejectUnknown();
            Wrap(s, () => (o with { Scenes = ["-"] }).Validate());
        }

        return o;
    }

    private static SplitOptions ReadSplit(YamlSection? s)
    {
        var o = RecipeOptions.Bind(s, new SplitOptions());
        s?.RejectUnknown();
        return s is null ? o : Wrap(s, o.Validate);
    }

    private static ExportSpec ReadExport(YamlSection? s)
    {
        var o = RecipeOptions.Bind(s, new ExportOptions(), "formats");
        if (s is null)
        {
            return new ExportSpec(true, o);
        }

        var formats = s.List("formats").Select(f => f.Value).ToArray();
        if (formats.Any(f => f is not ("mat" or "parquet")))
        {
            throw new UsageException($"{s.At(s.Node("formats")!)}: 'formats' lists mat and/or parquet (.mat files are always " +
                $"written; parquet adds shards)");
        }

        s.RejectUnknown();
        return new ExportSpec(formats.Length == 0 || formats.Contains("parquet"), Wrap(s, o.Validate));
    }

    private static TrainOptions? ReadTrain(YamlSection? s)
    {
        if (s is null)
        {
            return null;
        }

        var o = RecipeOptions.Bind(s, new TrainOptions());
        var split = new[] { "train_split", "val_split" }.FirstOrDefault(k => s.Node(k) is not null);
        s.RejectUnknown();
        o = o.WithProtocolSplits(split is null ? null : $"{s.At(s.Node(split)!)}: train.{split}");
        return Wrap(s, o.Validate);
    }

    private static double Number(YamlSection s, string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new UsageException($"{s.At(s.Node(key)!)}: '{key}' must hold numbers, not '{text}'");

    /// <summary>Runs a check of a section's options; its error is given the section's <c>file:line</c>.</summary>
    private static T Wrap<T>(YamlSection s, Func<T> check)
    {
        try
        {
            return check();
        }
        catch (UsageException e)
        {
            throw new UsageException($"{s.Where}: {s.Path}: {e.Message}");
        }
    }
}
