using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Parquet;
using LstPipe.Dataset.Splits;
using LstPipe.Ingest.Recipes;
using LstPipe.Training;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Pipelines.Recipes;

/// <summary>A synthetic region: a scene made by lstpipe's generator instead of ingested from a product.</summary>
/// <param name="Size">Width and height in pixels.</param>
/// <param name="Seed">Generator seed.</param>
/// <param name="Epsg">Projected CRS.</param>
/// <param name="Origin">Upper-left corner (x, y) in that CRS, or null for the generator's default.</param>
public sealed record SyntheticSource(int Size, int Seed, int Epsg, double[]? Origin);

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

    /// <summary>The generator settings, for synthetic regions.</summary>
    public SyntheticSource? Synthetic { get; init; }

    /// <summary>A target grid in place of the sensor recipe's.</summary>
    public RecipeGrid? Grid { get; init; }

    /// <summary>Another region whose scene grid this region is ingested onto (a dependency).</summary>
    public string? GridLike { get; init; }

    /// <summary>Acquisition time for the catalog (ISO 8601, UTC) where the product does not say.</summary>
    public string? Datetime { get; init; }
}

/// <summary>How the pipeline writes Parquet shards.</summary>
/// <param name="Parquet">Whether to write them at all (<c>formats</c> lists <c>parquet</c>).</param>
/// <param name="Options">Codec, level, float encoding, shard size (the dataset path is filled in per run).</param>
public sealed record ExportSpec(bool Parquet, ParquetExportOptions Options);

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

    /// <summary>Where the STAC catalog goes (absolute).</summary>
    public required string Catalog { get; init; }

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
            throw new UsageException($"{(root.Node("name") is { } n ? root.At(n) : root.Where)}: recipe name '{name}' must be letters, digits, '-' and '_' (it names files and catalog entries)");
        }

        var description = root.String("description");
        var output = Resolve(root.String("output") ?? System.IO.Path.Combine("..", "data", name));
        var catalog = root.String("catalog") is { } c ? Resolve(c) : System.IO.Path.Combine(output, "catalog");
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
                throw new UsageException($"{recipe.Path}:{r.Line}: regions depend on each other in a cycle ({string.Join(" -> ", cycle)} through grid_like); one of them needs its own grid");
            }

            state[r.Name] = 1;
            path.Add(r.Name);
            if (r.GridLike is { } like)
            {
                var other = recipe.Regions.FirstOrDefault(x => x.Name == like)
                    ?? throw new UsageException($"{recipe.Path}:{r.Line}: region '{r.Name}' takes the grid of '{like}', which is not a region here ({string.Join(", ", recipe.Regions.Select(x => x.Name))})");
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
        var section = root.Section("regions") ?? throw new UsageException($"{root.Where}: 'regions' is required: at least one region (name: {{ source, recipe }} or {{ synthetic }})");
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
            if ((source is null) == (synthetic is null))
            {
                throw new UsageException($"{r.Where}: region '{name}' needs either 'source' (a product folder, with 'recipe') or 'synthetic'");
            }

            SyntheticSource? synth = null;
            if (synthetic is not null)
            {
                var origin = synthetic.List("origin");
                synth = new SyntheticSource(
                    Int(synthetic, "size") ?? 512, Int(synthetic, "seed") ?? 0, Int(synthetic, "epsg") ?? 32650,
                    origin.Count == 0 ? null : origin.Count == 2 ? origin.Select(o => Number(synthetic, "origin", o.Value)).ToArray()
                        : throw new UsageException($"{synthetic.At(synthetic.Node("origin")!)}: 'origin' is [x, y]"));
                synthetic.RejectUnknown();
                Wrap(synthetic, "size", () => new Synthetic.SyntheticSceneOptions { Width = synth.Size, Height = synth.Size }.Validate());
                if (channels is not null)
                {
                    try
                    {
                        new Synthetic.SyntheticSceneOptions { Channels = channels }.Validate();
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
                    throw new UsageException($"{r.Where}: region '{name}' has a 'source' but no 'recipe' (the sensor recipe, for example landsat-l1.yaml)");
                }

                var dir = resolve(source!);
                if (!Directory.Exists(dir))
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
                throw new UsageException($"{r.At(r.Node("grid_like")!)}: region '{name}': 'grid_like' goes with an ingested region and without 'grid'");
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
            });
            r.RejectUnknown();
        }

        return regions.Count > 0 ? regions : throw new UsageException($"{section.Where}: 'regions' lists no region");
    }

    private static CropOptions ReadCrop(YamlSection? s)
    {
        var d = new CropOptions { Output = "" };
        if (s is null)
        {
            return d;
        }

        var scales = s.List("scales");
        var o = d with
        {
            TileSize = Int(s, "size") ?? d.TileSize,
            Overlap = s.Number("overlap") ?? d.Overlap,
            Scales = scales.Count == 0 ? d.Scales : Wrap(s, "scales", () => CropOptions.ParseScales(string.Join(",", scales.Select(x => x.Value)))),
            MaxNoData = s.Number("max_nodata") ?? d.MaxNoData,
            CoarseMinValidFraction = s.Number("coarse_min_valid") ?? d.CoarseMinValidFraction,
            Compress = s.Bool("compress") ?? d.Compress,
            CompressionLevel = Int(s, "zlib_level") ?? d.CompressionLevel,
            Truth = s.String("truth") switch
            {
                null or "grid" => TruthMode.Grid,
                "native" => TruthMode.Native,
                "resampled" => TruthMode.Resampled,
                var other => throw new UsageException($"{s.At(s.Node("truth")!)}: 'crop.truth: {other}' must be grid, native or resampled"),
            },
        };
        s.RejectUnknown();
        Wrap(s, "size", () => (o with { Scenes = ["-"] }).Validate());
        return o;
    }

    private static SplitOptions ReadSplit(YamlSection? s)
    {
        var d = new SplitOptions { Dataset = "" };
        if (s is null)
        {
            return d;
        }

        var o = d with
        {
            Ratio = s.String("ratio") is { } r ? Wrap(s, "ratio", () => SplitRatio.Parse(r)) : d.Ratio,
            Strategy = s.String("strategy") is { } st ? Wrap(s, "strategy", () => SplitOptions.ParseStrategy(st)) : d.Strategy,
            Seed = (ulong)(Int(s, "seed") ?? 0),
            Block = s.String("block") is { } b && b != "auto" ? Int(s, "block") : null,
            Buffer = s.String("buffer") is { } bu ? Wrap(s, "buffer", () => SplitOptions.ParseBuffer(bu)) : null,
        };
        s.RejectUnknown();
        return o;
    }

    private static ExportSpec ReadExport(YamlSection? s)
    {
        var d = new ParquetExportOptions { Dataset = "" };
        if (s is null)
        {
            return new ExportSpec(true, d);
        }

        var formats = s.List("formats").Select(f => f.Value).ToArray();
        if (formats.Any(f => f is not ("mat" or "parquet")))
        {
            throw new UsageException($"{s.At(s.Node("formats")!)}: 'formats' lists mat and/or parquet (.mat files are always written; parquet adds shards)");
        }

        var codecs = new Dictionary<string, ParquetCodec> { ["zstd"] = ParquetCodec.Zstd, ["gzip"] = ParquetCodec.Gzip, ["none"] = ParquetCodec.Uncompressed };
        var o = d with
        {
            Codec = s.Enum("codec", codecs, d.Codec),
            Level = Int(s, "level"),
            ByteStreamSplit = s.Enum("encoding", new Dictionary<string, bool> { ["byte-stream-split"] = true, ["plain"] = false }, d.ByteStreamSplit),
            ShardBytes = (long)((s.Number("shard_size_mb") ?? (d.ShardBytes >> 20)) * (1 << 20)),
        };
        s.RejectUnknown();
        return new ExportSpec(formats.Length == 0 || formats.Contains("parquet"), o);
    }

    private static TrainOptions? ReadTrain(YamlSection? s)
    {
        if (s is null)
        {
            return null;
        }

        var d = new TrainOptions { Dataset = "", Output = "" };
        var iterations = Int(s, "iterations") ?? d.Iterations;
        var protocol = s.String("protocol") ?? d.Protocol;
        if (protocol is not ("default" or "groklst"))
        {
            throw new UsageException($"{s.At(s.Node("protocol")!)}: 'train.protocol: {protocol}' must be default or groklst");
        }

        var (trainSplit, valSplit) = (s.String("train_split"), s.String("val_split"));
        if (protocol == "groklst" && (trainSplit ?? valSplit) is not null)
        {
            throw new UsageException($"{s.At(s.Node(trainSplit is null ? "val_split" : "train_split")!)}: 'train.protocol: groklst' trains on trainval and validates on test; leave the splits out");
        }

        var o = d with
        {
            Model = s.String("model") ?? d.Model,
            Scale = Int(s, "scale") ?? d.Scale,
            Format = s.String("format") ?? d.Format,
            Protocol = protocol,
            TrainSplit = protocol == "groklst" ? "trainval" : trainSplit ?? d.TrainSplit,
            ValSplit = protocol == "groklst" ? "test" : valSplit ?? d.ValSplit,
            Normalization = s.String("normalization") ?? d.Normalization,
            BatchSize = Int(s, "batch_size") ?? d.BatchSize,
            Iterations = iterations,
            Periods = s.String("periods") is { } p ? Wrap(s, "periods", () => TrainOptions.ParsePeriods(p)) : TrainOptions.EqualPeriods(iterations),
            LearningRate = s.Number("lr") ?? d.LearningRate,
            WeightDecay = s.Number("weight_decay") ?? d.WeightDecay,
            EtaMin = s.Number("eta_min") ?? d.EtaMin,
            ValidateEvery = Int(s, "val_every") ?? Math.Min(d.ValidateEvery, iterations),
            Seed = (ulong)(Int(s, "seed") ?? 0),
            NumFeats = Int(s, "num_feats") ?? d.NumFeats,
            NResblocks = Int(s, "n_resblocks") ?? d.NResblocks,
            Reduction = Int(s, "reduction") ?? d.Reduction,
            TrainDynamicMlp = s.Bool("train_dynamic_mlp") ?? false,
            Device = s.String("device") ?? d.Device,
        };
        s.RejectUnknown();
        if (o.Device is not ("cpu" or "cuda"))
        {
            throw new UsageException($"{s.At(s.Node("device")!)}: 'train.device: {o.Device}' must be cpu or cuda");
        }

        Wrap(s, "train", (o with { Device = "cpu" }).Validate);
        return o;
    }

    private static int? Int(YamlSection s, string key)
    {
        var v = s.Number(key);
        return v switch
        {
            null => null,
            var x when x == Math.Floor(x.Value) && Math.Abs(x.Value) < int.MaxValue => (int)x.Value,
            _ => throw new UsageException($"{s.At(s.Node(key)!)}: '{key}' must be a whole number"),
        };
    }

    private static double Number(YamlSection s, string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new UsageException($"{s.At(s.Node(key)!)}: '{key}' must hold numbers, not '{text}'");

    private static T Wrap<T>(YamlSection s, string key, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (UsageException e)
        {
            throw new UsageException($"{(s.Node(key) is { } n ? s.At(n) : s.Where)}: {e.Message}");
        }
    }
}
