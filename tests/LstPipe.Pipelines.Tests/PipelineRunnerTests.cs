using LstPipe.Core.Errors;
using LstPipe.Core.Threading;
using LstPipe.Pipelines.Tests.Catalog;

namespace LstPipe.Pipelines.Tests;

[Collection(SeededTorch.Name)]
public class PipelineRunnerTests
{
    private static string[] Ran(IEnumerable<StageOutcome> outcomes) => [.. outcomes.Where(o => o.Ran).Select(o => o.Id)];

    [SharedDataFact]
    public void Adding_a_region_reuses_the_first_regions_work_and_gives_the_dataset_of_building_both_at_once()
    {
        using var dir = new TempDir();
        string Write(string name, params string[] regions) =>
            TestRecipes.Write(dir.File(name), "two", dir.File(name + "-out"), regions);

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
        Assert.Equal(["ingest:talca", "crop:talca", "assemble"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = sharded, Shard = new Shard(0, 2) })));
        Assert.Equal(["assemble", "split", "export"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = sharded })));
        Trees.AssertSame(Path.Combine(dir.File("once-out"), "dataset"), Path.Combine(dir.File("shard-out"), "dataset"));

        StacRules.Validate(Path.Combine(dir.File("inc-out"), "catalog.json"), expectedItems: 3);

        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("strategy: spatial", "strategy: spatial, seed: 5", StringComparison.Ordinal));
        var split = PipelineRunner.Status(recipe).Single(s => s.Stage.Id == "split");
        Assert.Equal("split.seed: 0 -> 5", split.Reason);
        Assert.Equal(["split"], Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe })));
    }

    [Fact]
    public void Every_stage_run_in_shards_and_gathered_gives_the_bytes_of_a_whole_run()
    {
        using var dir = new TempDir();
        string[] regions = [TestRecipes.Synthetic("north", 7), TestRecipes.Synthetic("south", 8, 160), TestRecipes.Synthetic("west", 9, 128)];
        var whole = TestRecipes.WriteWith(dir.File("whole"), "sh", dir.File("whole-out"), TestRecipes.Train, regions);
        Assert.Equal(11, Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = whole })).Length);

        var recipe = TestRecipes.WriteWith(dir.File("shards"), "sh", dir.File("shards-out"), TestRecipes.Train, regions);
        string[] Wave(string stages, int shard) =>
            Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, Stages = (IReadOnlyList<Stages.StageKind>)new PipelineRunOptions.StagesParser().Parse(stages)!, Shard = new Shard(shard, 3) }));
        string[] Gather(string stages) => Ran(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, Stages = (IReadOnlyList<Stages.StageKind>)new PipelineRunOptions.StagesParser().Parse(stages)! }));

        Assert.Equal(["ingest:south", "crop:south"], Wave("ingest,crop", 1));
        Assert.Equal(["ingest:west", "crop:west"], Wave("ingest,crop", 2));
        Assert.Equal(["ingest:north", "crop:north", "assemble"], Wave("ingest,crop", 0));
        Assert.Equal(["assemble"], Wave("crop", 1));
        Assert.Equal(["assemble"], Wave("crop", 2));
        var staged = Path.Combine(dir.File("shards-out"), ".lstpipe", "work");
        Assert.Single(Directory.GetDirectories(staged, "assemble-*"));
        var assemble = PipelineRunner.Status(recipe).Single(s => s.Stage.Id == "assemble");
        Assert.False(assemble.UpToDate);
        Assert.Matches(@"; [1-9]\d* file\(s\) staged by shards, gathered by the next unsharded run$", assemble.Reason);
        Assert.Equal(["assemble"], Gather("crop"));
        Assert.Empty(Directory.GetDirectories(staged, "assemble-*"));
        Assert.Equal(["export"], Wave("split,export", 2));
        Assert.Equal(["split", "export"], Wave("split,export", 0));
        Assert.Equal(["export"], Wave("split,export", 1));
        Assert.Equal(["export"], Gather("split,export"));
        Assert.Equal(["train"], Gather("train"));
        foreach (var i in new[] { 1, 0, 2 })
        {
            Assert.Equal(["test"], Wave("test", i));
        }

        var chunks = Directory.GetFiles(Directory.GetDirectories(staged, "test-*").Single(), "metrics-test-*.csv");
        Assert.True(chunks.Length >= 3, $"{chunks.Length} test chunks: too few tiles to spread over three shards");
        Assert.Equal(["test"], Gather("test"));
        Assert.Empty(Directory.GetDirectories(staged));
        Assert.All(PipelineRunner.Status(recipe), s => Assert.True(s.UpToDate, s.Stage.Id + ": " + s.Reason));

        Trees.AssertSame(Path.Combine(dir.File("whole-out"), "dataset"), Path.Combine(dir.File("shards-out"), "dataset"));
        Trees.AssertSame(Path.Combine(dir.File("whole-out"), "runs", "mocolsk-x2", "test"), Path.Combine(dir.File("shards-out"), "runs", "mocolsk-x2", "test"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("whole-out"), "runs", "mocolsk-x2", "best.safetensors")),
            File.ReadAllBytes(Path.Combine(dir.File("shards-out"), "runs", "mocolsk-x2", "best.safetensors")));
        Assert.True(Directory.GetFiles(Path.Combine(dir.File("shards-out"), "dataset", "parquet")).Length > 1, "the export has several parts");
    }

    [Fact]
    public void A_missing_source_found_at_run_time_and_an_unknown_region_are_one_line_usage_errors()
    {
        using var dir = new TempDir();
        var recipe = TestRecipes.Write(dir.File("p"), "one", dir.File("out"), TestRecipes.Synthetic("a", 1, 128));
        var e = Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, Regions = ["b"] }));
        Assert.Equal($"--region b: {recipe} has regions a", e.Message);
        Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = dir.File("none.yaml") }));
    }

    [Fact]
    public void A_whole_run_and_the_shards_or_regions_of_another_exclude_each_other()
    {
        using var dir = new TempDir();
        var output = dir.File("out");
        var recipe = TestRecipes.Write(dir.File("p"), "one", output, TestRecipes.Synthetic("a", 1, 128));
        using (Core.IO.OutputLock.Acquire(output, "lstpipe run --shard 0/2", shared: true))
        {
            var e = Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe }));
            Assert.Equal($"{output}: another lstpipe is writing it (shards of 'lstpipe run --shard'); wait for it to finish or stop it", e.Message);
            Assert.Contains(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, Regions = ["a"] }), o => o.Ran);
        }

        using (Core.IO.OutputLock.Acquire(output, "lstpipe run p.yaml"))
        {
            var e = Assert.Throws<UsageException>(() => PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe, Shard = Shard.Parse("1/2") }));
            Assert.Contains($"(pid {Environment.ProcessId}: lstpipe run p.yaml)", e.Message);
        }

        Assert.Contains(PipelineRunner.Run(new PipelineRunOptions { Recipe = recipe }), o => o.Ran);
    }
}
