using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core;
using LstPipe.Core.Errors;
using LstPipe.Core.Json;
using LstPipe.Dataset;
using LstPipe.Ingest.Recipes;
using LstPipe.Pipelines.Recipes;

namespace LstPipe.Pipelines.Stages;

/// <summary>The kinds of stage, in pipeline order; <c>--stages</c> names them.</summary>
public enum StageKind
{
    /// <summary>A region's product onto its grid (or its synthetic scene): <c>OUT/scenes/REGION</c>.</summary>
    Ingest,

    /// <summary>A region's tiles (<c>OUT/crops/REGION</c>), and their assembly into <c>OUT/dataset</c>.</summary>
    Crop,

    /// <summary>The split files of the dataset.</summary>
    Split,

    /// <summary>The dataset's Parquet shards.</summary>
    Export,

    /// <summary>The training run, <c>OUT/runs/NAME</c>.</summary>
    Train,

    /// <summary>The run's checkpoint tested on the split.</summary>
    Test,
}

/// <summary>The stages of a recipe in dependency order, with the fingerprints of their inputs as they are now: a
/// stage's inputs hold its options, the tool version, source checksums and the fingerprints of the stages it needs,
/// so a change anywhere upstream changes everything downstream.</summary>
public sealed class StagePlan
{
    private StagePlan(PipelineRecipe recipe, IReadOnlyList<Stage> stages)
    {
        Recipe = recipe;
        Stages = stages;
    }

    /// <summary>The recipe.</summary>
    public PipelineRecipe Recipe { get; }

    /// <summary>Stages in an order where each comes after those it needs.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The stage with this id.</summary>
    public Stage this[string id] => Stages.First(s => s.Id == id);

    /// <summary>Where a region's scene goes.</summary>
    public static string ScenePath(PipelineRecipe r, string region) => Path.Combine(r.Output, "scenes", region);

    /// <summary>Where a region's tiles go.</summary>
    public static string CropPath(PipelineRecipe r, string region) => Path.Combine(r.Output, "crops", region);

    /// <summary>Where the assembled dataset goes.</summary>
    public static string DatasetPath(PipelineRecipe r) => Path.Combine(r.Output, "dataset");

    /// <summary>Where the training run goes.</summary>
    public static string RunPath(PipelineRecipe r) =>
        Path.Combine(r.Output, "runs", string.Create(CultureInfo.InvariantCulture, $"{r.Train!.Model}-x{r.Train.Scale}"));

    /// <summary>Builds the plan, hashing the regions' source files (through <paramref name="checksums"/>).</summary>
    /// <exception cref="UsageException">A region's sensor recipe does not give the pipeline's channels.</exception>
    public static StagePlan Build(PipelineRecipe recipe, FileChecksums checksums)
    {
        var stages = new Dictionary<string, Stage>(StringComparer.Ordinal);
        var order = new List<Stage>();
        var tool = ToolInfo.Version;
        void Add(Stage s)
        {
            stages[s.Id] = s;
            order.Add(s);
        }

        Dictionary<string, string> Inputs(params (string Key, string Value)[] items)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["tool"] = tool };
            foreach (var (k, v) in items)
            {
                d[k] = v;
            }

            return d;
        }

        void Upstream(Dictionary<string, string> inputs, string id) => inputs["stage " + id] = stages[id].Fingerprint;

        foreach (var region in PipelineRecipe.RegionOrder(recipe))
        {
            var inputs = Inputs();
            var needs = new List<string>();
            if (region.Synthetic is { } syn)
            {
                Flatten(inputs, "synthetic", syn, "folder");
                inputs["channels"] = recipe.Channels is null ? "all" : string.Join(",", recipe.Channels);
            }
            else
            {
                var sensor = new Lazy<IngestRecipe>(() => IngestRecipe.Load(region.SensorRecipe!));
                CheckChannels(recipe, region, sensor);
                inputs["recipe " + Path.GetFileName(region.SensorRecipe)] = checksums.Sha256(region.SensorRecipe!);
                if (region.Stac is { } query)
                {
                    var item = region.Item ?? throw new InvalidOperationException($"region {region.Name}: query not resolved");
                    Flatten(inputs, "stac", query);
                    inputs["stac.item"] = item.Id;
                    foreach (var key in sensor.Value.AssetKeys)
                    {
                        inputs["asset " + key] = item.Assets.TryGetValue(key, out var asset) ? asset.Href : "(none)";
                    }
                }
                else
                {
                    foreach (var file in Directory.EnumerateFiles(region.Source!, "*",
                        SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    {
                        inputs["source " + Path.GetRelativePath(region.Source!, file)] = checksums.Sha256(file);
                    }
                }

                if (region.Grid is { } g)
                {
                    Flatten(inputs, "grid", g with { Line = 0 });
                }

                if (region.GridLike is { } like)
                {
                    needs.Add("ingest:" + like);
                    Upstream(inputs, "ingest:" + like);
                }
            }

            Add(new IngestStage(region, needs, ScenePath(recipe, region.Name), inputs));
        }

        foreach (var region in recipe.Regions)
        {
            var inputs = Inputs();
            Flatten(inputs, "crop", recipe.Crop, "scenes", "output", "mode", "workers", "workingDirectory", "command", "step", "maxScale");
            Upstream(inputs, "ingest:" + region.Name);
            Add(new CropStage(region.Name, CropPath(recipe, region.Name), inputs));
        }

        var assemble = Inputs(("regions", string.Join(",", recipe.Regions.Select(r => r.Name))));
        foreach (var region in recipe.Regions)
        {
            Upstream(assemble, "crop:" + region.Name);
        }

        Add(new AssembleStage([.. recipe.Regions.Select(r => "crop:" + r.Name)], DatasetPath(recipe), assemble));
        var split = Inputs();
        Flatten(split, "split", recipe.Split, "dataset", "command");
        Upstream(split, "assemble");
        Add(new SplitStage(Path.Combine(DatasetPath(recipe), "split"), split));
        if (recipe.Export.Parquet)
        {
            var export = Inputs();
            Flatten(export, "export", recipe.Export.Options, "dataset", "workers");
            Upstream(export, "assemble");
            Add(new ExportStage(Path.Combine(DatasetPath(recipe), "parquet"), export));
        }

        if (recipe.Train is { } train)
        {
            var needs = new List<string> { "assemble", "split" };
            if (train.Format == "parquet")
            {
                needs.Add(recipe.Export.Parquet ? "export" : throw new UsageException($"{recipe.Path}: train reads parquet but " +
                    $"export writes no Parquet shards; add parquet to export.formats or train with format: mat"));
            }

            var inputs = Inputs();
            Flatten(inputs, "train", train, "dataset", "output", "command", "device");
            foreach (var n in needs)
            {
                Upstream(inputs, n);
            }

            Add(new TrainStage(needs, RunPath(recipe), inputs));
            var test = Inputs(("test.split", DatasetLayout.TestSplit));
            Upstream(test, "train");
            Upstream(test, "split");
            Add(new TestStage(Path.Combine(RunPath(recipe), "test"), test));
        }

        return new StagePlan(recipe, order);
    }

    private static void CheckChannels(PipelineRecipe recipe, RegionSpec region, Lazy<IngestRecipe> sensor)
    {
        if (recipe.Channels is not { } channels)
        {
            return;
        }

        var names = sensor.Value.Guidance.Select(g => g.Channel.Name).ToArray();
        if (!names.SequenceEqual(channels))
        {
            throw new UsageException($"{recipe.Path}:{region.Line}: region '{region.Name}': its recipe " +
                $"{Path.GetFileName(region.SensorRecipe)} gives channels [{string.Join(", ", names)}], the pipeline's " +
                    $"'channels' are [{string.Join(", ", channels)}]");
        }
    }

    /// <summary>Adds an options record as one input per property (<c>crop.tileSize</c> = <c>64</c>), so a status
    /// names the option that changed; arrays and nested records stay whole, as compact JSON. <paramref name="skip"/>
    /// names the properties that do not shape the output (paths filled in per run, worker counts, ...).</summary>
    private static void Flatten<T>(Dictionary<string, string> inputs, string prefix, T value, params string[] skip)
    {
        if (JsonSerializer.SerializeToNode(value, JsonDefaults.Compact) is JsonObject o)
        {
            foreach (var (key, node) in o.Where(kv => !skip.Contains(kv.Key)))
            {
                inputs[prefix + "." + key] = node is JsonValue v
                    && v.TryGetValue<string>(out var text) ? text : node?.ToJsonString(JsonDefaults.Compact) ?? "null";
            }
        }
    }
}
