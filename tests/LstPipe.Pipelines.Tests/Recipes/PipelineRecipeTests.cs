using LstPipe.Core.Errors;
using LstPipe.Pipelines.Recipes;

namespace LstPipe.Pipelines.Tests.Recipes;

public class PipelineRecipeTests
{
    private static string Error(string yaml)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.yaml"), yaml);
        var e = Assert.Throws<UsageException>(() => PipelineRecipe.Load(dir.File("bad.yaml")));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message.Replace(dir.File("bad.yaml"), "bad.yaml", StringComparison.Ordinal);
    }

    private const string Head = """
        name: t
        output: out
        regions:
          a:
            synthetic: { size: 128, seed: 1 }

        """;

    [Fact]
    public void A_valid_recipe_loads_with_paths_relative_to_it_and_the_defaults_of_each_stage()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.yaml"), Head + "crop: { size: 64 }\ntrain: { model: srcnn, iterations: 10 }\n");
        var r = PipelineRecipe.Load(dir.File("p.yaml"));
        Assert.Equal(dir.File("out"), r.Output);
        Assert.Equal(dir.File("out"), r.Catalog);
        Assert.Null(r.CatalogAt);
        Assert.Equal(64, r.Crop.TileSize);
        Assert.Equal(0.5, r.Crop.Overlap);
        Assert.Equal("srcnn", r.Train!.Model);
        Assert.Equal([2L, 2, 2, 4], r.Train.Schedule);
        Assert.True(r.Export.Parquet);
    }

    public static TheoryData<string> Shipped => new(Directory.GetFiles(Path.Combine(RepoPaths.Root, "pipelines"), "*.yaml", SearchOption.AllDirectories)
        .Where(f => File.ReadLines(f).Any(l => l.StartsWith("regions:", StringComparison.Ordinal))).Select(f => Path.GetRelativePath(RepoPaths.Root, f)));

    [SharedDataTheory]
    [MemberData(nameof(Shipped))]
    public void Every_shipped_pipeline_recipe_loads_and_plans(string relative)
    {
        var r = PipelineRecipe.Load(Path.Combine(RepoPaths.Root, relative));
        Assert.NotEmpty(r.Regions);
        if (r.Regions.Any(x => x.Stac is not null))
        {
            Assert.All(r.Regions.Where(x => x.Stac is not null), x => Assert.StartsWith("https://", x.Stac!.Api, StringComparison.Ordinal));
            return;
        }

        using var dir = new TempDir();
        var plan = Stages.StagePlan.Build(r with { Output = dir.Path }, new Stages.FileChecksums(dir.Path));
        Assert.Contains(plan.Stages, s => s.Id == "assemble");
    }

    [Fact]
    public void An_unknown_key_names_file_line_and_the_known_keys() =>
        Assert.StartsWith("bad.yaml:7: unknown key 'crop.sise'", Error(Head + "crop:\n  sise: 64\n"));

    [Fact]
    public void A_missing_region_source_names_file_line() =>
        Assert.Matches(@"^bad\.yaml:4: region 'a': source folder .*nowhere does not exist$", Error("""
            name: t
            regions:
              a:
                source: nowhere
                recipe: r.yaml
            """));

    [Fact]
    public void A_stac_region_needs_its_sensor_recipe_with_asset_keys_and_nothing_else_as_its_source()
    {
        Assert.Equal("bad.yaml:4: region 'a' needs one of 'source' (a product folder, with 'recipe'), 'stac' (a STAC API query, " +
            "with 'recipe') or 'synthetic'", Error("""
            name: t
            regions:
              a:
                source: .
                stac: { api: "http://127.0.0.1:1", collection: c, bbox: [1, 2, 3, 4] }
                recipe: r.yaml
            """));
        Assert.StartsWith("bad.yaml:4: region 'a' has a 'stac' but no 'recipe'", Error("""
            name: t
            regions:
              a:
                stac: { api: "http://127.0.0.1:1", collection: c, bbox: [1, 2, 3, 4] }
            """));
        Assert.Contains("stac: --bbox is required", Error("""
            name: t
            regions:
              a:
                stac: { api: "http://127.0.0.1:1", collection: c }
                recipe: r.yaml
            """));
        var ecostress = Path.Combine(RepoPaths.Root, "pipelines", "ecostress.yaml");
        var plain = Path.Combine(RepoPaths.Root, "pipelines", "examples", "landsat7-talca.yaml");
        Assert.Contains("names no asset key", Error($$"""
            name: t
            regions:
              a:
                stac: { api: "http://127.0.0.1:1", collection: c, bbox: [1, 2, 3, 4] }
                recipe: {{plain}}
            """));
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ok.yaml"), $$"""
            name: t
            regions:
              a:
                stac: { api: "http://127.0.0.1:1", collection: c, bbox: [1, 2, 3, 4], pick: newest, max_cloud: 20 }
                recipe: {{ecostress}}
            """);
        var q = PipelineRecipe.Load(dir.File("ok.yaml")).Regions[0].Stac!;
        Assert.Equal(Ingest.Stac.StacPick.Newest, q.Pick);
        Assert.Equal(20, q.MaxCloud);
        Assert.Equal(new Core.Units.MapBounds(1, 2, 3, 4), q.Bbox);
    }

    [Fact]
    public void A_cycle_between_regions_names_file_line_and_the_cycle()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("src"));
        File.WriteAllText(dir.File("r.yaml"), "product: geotiff\n");
        var e = Assert.Throws<UsageException>(() =>
        {
            File.WriteAllText(dir.File("p.yaml"), """
                name: t
                regions:
                  a:
                    source: src
                    recipe: r.yaml
                    grid_like: b
                  b:
                    source: src
                    recipe: r.yaml
                    grid_like: a
                """);
            PipelineRecipe.Load(dir.File("p.yaml"));
        });
        Assert.Equal($"{dir.File("p.yaml")}:4: regions depend on each other in a cycle (a -> b -> a through grid_like); one of them needs its own grid", e.Message);
    }

    [Theory]
    [InlineData("crop: { size: sixty }\n", "bad.yaml:6: crop.size sixty: use a whole number")]
    [InlineData("split: { ratio: \"6:1\" }\n", "bad.yaml:6: split.ratio 6:1: give three non-negative numbers")]
    [InlineData("train: { model: unet }\n", "bad.yaml:6: train.model unet: use mocolsk, srcnn, djf or fdsr")]
    [InlineData("export: { formats: [hdf5] }\n", "bad.yaml:6: 'formats' lists mat and/or parquet")]
    [InlineData("train: { device: cuda }\n", "bad.yaml:6: 'train.device' is not a recipe key: it is an execution choice or a path a run gives, --device")]
    [InlineData("regions2: {}\n", "bad.yaml:6: unknown key 'regions2'")]
    [InlineData("train: { protocol: paper }\n", "bad.yaml:6: train.protocol paper: use default or groklst")]
    [InlineData("train: { protocol: groklst, train_split: train }\n", "bad.yaml:6: train.train_split: --protocol groklst trains on trainval")]
    [InlineData("train: { normalization: paper }\n", "bad.yaml:6: train.normalization paper: use card or groklst")]
    [InlineData("train: { batch_size: 0 }\n", "bad.yaml:6: train.batch_size 0: use 1 to 64")]
    public void Bad_values_name_file_line(string tail, string expected) =>
        Assert.StartsWith(expected, Error(Head + tail));

    [Fact]
    public void Stage_names_parse_or_say_what_is_allowed()
    {
        var stages = LstPipe.Core.Options.OptionSchema<PipelineRunOptions>.Find("stages")!;
        object? Parse(string text) => LstPipe.Core.Options.OptionSchema<PipelineRunOptions>.Parse(stages, text, "--stages");
        Assert.Equal([Stages.StageKind.Ingest, Stages.StageKind.Test], (IReadOnlyList<Stages.StageKind>)Parse("ingest, test")!);
        Assert.Equal("--stages crop,tile: 'tile' is not a stage; use ingest,crop,split,export,train,test",
            Assert.Throws<UsageException>(() => Parse("crop,tile")).Message);
    }
}
