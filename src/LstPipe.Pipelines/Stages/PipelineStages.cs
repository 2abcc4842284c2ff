using LstPipe.Core.IO;
using LstPipe.Core.Threading;
using LstPipe.Dataset;
using LstPipe.Dataset.Assembly;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Splits;
using LstPipe.Ingest;
using LstPipe.Ingest.Recipes;
using LstPipe.Ingest.Stac;
using LstPipe.Pipelines.Recipes;
using LstPipe.Raster.Scenes;
using LstPipe.Synthetic;
using LstPipe.Training;

namespace LstPipe.Pipelines.Stages;

/// <summary>A region's scene: its product ingested onto its grid, or its synthetic scene generated.</summary>
internal sealed class IngestStage(RegionSpec region, IReadOnlyList<string> needs, string output, IReadOnlyDictionary<string, string> inputs)
    : Stage("ingest:" + region.Name, StageKind.Ingest, region.Name, needs, output, inputs)
{
    /// <inheritdoc/>
    public override object Run(StageContext context, StagedUnits staged)
    {
        var recipe = context.Recipe;
        if (region.Synthetic is { } syn)
        {
            return SyntheticSceneGenerator.Generate(syn with { Channels = recipe.Channels, Id = region.Name }, Output,
                overwrite: true, context.Command);
        }

        var assets = region.Item is { } item ? FetchAssets(context, item) : null;
        return IngestProcessor.Run(new IngestOptions
        {
            Recipe = region.SensorRecipe!,
            Input = assets?.Folder ?? region.Source!,
            Assets = assets?.Files,
            Item = region.Item?.Id,
            Output = Output,
            Id = region.Name,
            Force = true,
            Grid = region.Grid,
            GridLike = region.GridLike is { } like ? SceneFolder.Open(StagePlan.ScenePath(recipe, like)).LstPath : null,
            Command = context.Command,
        });
    }

    /// <summary>The assets the sensor recipe reads, clipped to the query's bbox, in the output's asset cache.</summary>
    private LocalAssets FetchAssets(StageContext context, StacItem item)
    {
        var keys = IngestRecipe.Load(region.SensorRecipe!).AssetKeys;
        using var client = new StacApiClient(log: context.Log, timeout: TimeSpan.FromSeconds(region.Stac!.Timeout));
        var assets = ItemAssets.Fetch(item, keys, region.Stac!.Bbox!.Value, Path.Combine(context.Recipe.Output, ".lstpipe", "assets"),
            client, region.Stac.Sign, context.Log);
        context.Log?.Invoke($"{Id}: item {item.Id}: {assets.Files.Count} asset(s), {assets.Fetched.Count} fetched, the others " +
            $"from the cache");
        return assets;
    }
}

/// <summary>A region's tiles, cropped from its scene with the recipe's crop options.</summary>
internal sealed class CropStage(string region, string output, IReadOnlyDictionary<string, string> inputs)
    : Stage("crop:" + region, StageKind.Crop, region, ["ingest:" + region], output, inputs)
{
    /// <inheritdoc/>
    public override object Run(StageContext context, StagedUnits staged) =>
        CropProcessor.Run(context.Recipe.Crop with
        {
            Scenes = [Path.GetRelativePath(context.Recipe.Output, StagePlan.ScenePath(context.Recipe, Region!))],
            Output = Output,
            Force = true,
            WorkingDirectory = context.Recipe.Output,
            Command = context.Command,
        });
}

/// <summary>The regions' tiles assembled into one dataset; shards assemble every Nth tile.</summary>
internal sealed class AssembleStage(IReadOnlyList<string> needs, string output, IReadOnlyDictionary<string, string> inputs)
    : Stage("assemble", StageKind.Crop, null, needs, output, inputs)
{
    /// <inheritdoc/>
    public override bool Divisible => true;

    /// <inheritdoc/>
    public override object Run(StageContext context, StagedUnits staged) =>
        DatasetAssembler.Run(Crops(context.Recipe), Output, context.Command, staged);

    /// <inheritdoc/>
    public override int RunShard(StageContext context, Shard shard, StagedUnits staging) =>
        DatasetAssembler.Stage(Crops(context.Recipe), Output, shard, staging);

    private static string[] Crops(PipelineRecipe recipe) => [.. recipe.Regions.Select(r => StagePlan.CropPath(recipe, r.Name))];
}

/// <summary>The dataset's split files.</summary>
internal sealed class SplitStage(string output, IReadOnlyDictionary<string, string> inputs)
    : Stage("split", StageKind.Split, null, ["assemble"], output, inputs)
{
    /// <inheritdoc/>
    public override object Run(StageContext context, StagedUnits staged) =>
        SplitProcessor.Run(context.Recipe.Split with { Dataset = StagePlan.DatasetPath(context.Recipe), Command = context.Command });
}

/// <summary>The dataset's Parquet shards; shards write every Nth part.</summary>
internal sealed class ExportStage(string output, IReadOnlyDictionary<string, string> inputs)
    : Stage("export", StageKind.Export, null, ["assemble"], output, inputs)
{
    /// <inheritdoc/>
    public override bool Divisible => true;

    /// <inheritdoc/>
    public override object Run(StageContext context, StagedUnits staged) => ParquetExporter.Run(Options(context), staged: staged);

    /// <inheritdoc/>
    public override int RunShard(StageContext context, Shard shard,
        StagedUnits staging) => ParquetExporter.Stage(Options(context), shard, staging);

    private static ExportOptions Options(StageContext context) =>
        context.Recipe.Export.Options with { Dataset = StagePlan.DatasetPath(context.Recipe) };
}

/// <summary>The training run.</summary>
internal sealed class TrainStage(IReadOnlyList<string> needs, string output, IReadOnlyDictionary<string, string> inputs)
    : Stage("train", StageKind.Train, null, needs, output, inputs)
{
    /// <inheritdoc/>
    public override object Run(StageContext context, StagedUnits staged) =>
        Trainer.Run(context.Recipe.Train! with
        {
            Dataset = StagePlan.DatasetPath(context.Recipe),
            Output = Output,
            Force = true,
            Device = context.Device,
            Command = context.Command,
        });
}

/// <summary>The run's best checkpoint scored on the held-out test split (<see cref="DatasetLayout.TestSplit"/>, written
/// to <c>metrics-test.csv</c>), whatever split it was selected on: with the default protocol that is not the
/// validation split; with <c>protocol: groklst</c> it is the split GrokLST scores. Shards evaluate every Nth chunk of
/// tiles.</summary>
internal sealed class TestStage(string output, IReadOnlyDictionary<string, string> inputs)
    : Stage("test", StageKind.Test, null, ["train", "split"], output, inputs)
{
    /// <inheritdoc/>
    public override bool Divisible => true;

    /// <inheritdoc/>
    public override object Run(StageContext context, StagedUnits staged) => Evaluator.Run(Options(context), staged: staged);

    /// <inheritdoc/>
    public override int RunShard(StageContext context, Shard shard, StagedUnits staging) => Evaluator.Stage(Options(context),
        shard, staging);

    private EvaluateOptions Options(StageContext context) => new()
    {
        Checkpoint = Path.Combine(StagePlan.RunPath(context.Recipe), "best.safetensors"),
        Dataset = StagePlan.DatasetPath(context.Recipe),
        Split = DatasetLayout.TestSplit,
        Format = context.Recipe.Train!.Format,
        Output = Output,
        Device = context.Device,
    };
}
