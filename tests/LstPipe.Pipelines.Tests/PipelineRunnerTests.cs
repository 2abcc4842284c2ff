using LstPipe.Core.Errors;
using LstPipe.Pipelines.Tests.Catalog;

namespace LstPipe.Pipelines.Tests;

public class PipelineRunnerTests
{
    private static string[] Ran(IEnumerable<StageOutcome> outcomes) => [.. outcomes.Where(o => o.Ran).Select(o => o.Id)];

    [SharedDataFact]
    public void Adding_a_region_reuses_the_first_regions_work_and_gives_the_dataset_of_building_both_at_once()
    {
        using var dir = new TempDir();
        string Write(string name, params string[] regions) =>
            TestRecipes.Write(dir.File(name), "two", dir.File(name + "-out"), dir.File(name + "-catalog"), regions);

        var recipe = Write("inc", TestRecipes.Talca);
        Assert.Equal(["ingest:talca", "crop:talca", "assemble", "split", "export"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe })));
        Write("inc", TestRecipes.Talca, TestRecipes.Synthetic("synth", 3));
        Assert.Equal(["ingest:synth", "crop:synth", "assemble", "split", "export"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe })));
        Assert.Empty(Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe })));
        Assert.All(PipelineRunner.Status(recipe), s => Assert.True(s.UpToDate, s.Stage.Id + ": " + s.Reason));

        var once = Write("once", TestRecipes.Talca, TestRecipes.Synthetic("synth", 3));
        Assert.Equal(["ingest:talca", "ingest:synth", "crop:talca", "crop:synth", "assemble", "split", "export"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = once })));
        Trees.AssertSame(Path.Combine(dir.File("once-out"), "dataset"), Path.Combine(dir.File("inc-out"), "dataset"));
        Trees.AssertSame(Path.Combine(dir.File("once-out"), "scenes"), Path.Combine(dir.File("inc-out"), "scenes"));

        var sharded = Write("shard", TestRecipes.Talca, TestRecipes.Synthetic("synth", 3));
        Assert.Equal(["ingest:synth", "crop:synth"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = sharded, Shard = new Shard(1, 2) })));
        Assert.StartsWith("split needs assemble", Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = sharded, Stages = [Stages.StageKind.Split] })).Message);
        Assert.Equal(["ingest:talca", "crop:talca"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = sharded, Shard = new Shard(0, 2) })));
        Assert.Equal(["assemble", "split", "export"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = sharded })));
        Trees.AssertSame(Path.Combine(dir.File("once-out"), "dataset"), Path.Combine(dir.File("shard-out"), "dataset"));

        StacRules.Validate(Path.Combine(dir.File("inc-catalog"), "catalog.json"), expectedItems: 3);

        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("strategy: spatial", "strategy: spatial, seed: 5", StringComparison.Ordinal));
        var split = PipelineRunner.Status(recipe).Single(s => s.Stage.Id == "split");
        Assert.Equal("split.seed: 0 -> 5", split.Reason);
        Assert.Equal(["split"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe })));
    }

    [Fact]
    public void A_missing_source_found_at_run_time_and_an_unknown_region_are_one_line_usage_errors()
    {
        using var dir = new TempDir();
        var recipe = TestRecipes.Write(dir.File("p"), "one", dir.File("out"), dir.File("cat"), TestRecipes.Synthetic("a", 1, 128));
        var e = Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, Regions = ["b"] }));
        Assert.Equal($"--region b: {recipe} has regions a", e.Message);
        Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = dir.File("none.yaml") }));
    }
}
