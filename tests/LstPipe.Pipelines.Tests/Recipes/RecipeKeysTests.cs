using LstPipe.Core.Options;
using LstPipe.Core.Yaml;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Splits;
using LstPipe.Pipelines.Recipes;
using LstPipe.Synthetic;
using LstPipe.Training;

namespace LstPipe.Pipelines.Tests.Recipes;

/// <summary>Every option that shapes a result is a recipe key of the command line's name, read by the same parser:
/// by construction, since both are bound from the stage's options record.</summary>
public class RecipeKeysTests
{
    private static void EveryOptionIsARecipeKey<T>(string section)
        where T : class, new()
    {
        using var dir = new TempDir();
        var options = OptionSchema<T>.Options.Where(o => o.Declaration.Scope == OptionScope.Both).ToArray();
        Assert.NotEmpty(options);
        var given = options.Where(o => OptionSchema<T>.Format(o, OptionSchema<T>.Defaults).Length > 0).ToArray();
        var yaml = section + ":\n" + string.Concat(given.Select(o => $"  {o.RecipeKey}: \"{OptionSchema<T>.Format(o, OptionSchema<T>.Defaults)}\"\n"));
        File.WriteAllText(dir.File("r.yaml"), yaml);
        var bound = RecipeOptions.Bind(YamlSection.Load(dir.File("r.yaml")).Section(section), OptionSchema<T>.Defaults);
        foreach (var o in given)
        {
            Assert.Equal(OptionSchema<T>.Format(o, OptionSchema<T>.Defaults), OptionSchema<T>.Format(o, bound));
            Assert.Equal(o.CommandLineName, "--" + o.RecipeKey.Replace('_', '-'));
        }
    }

    [Fact]
    public void Crop_split_export_train_and_synthetic_options_are_recipe_keys_of_their_command_line_names()
    {
        EveryOptionIsARecipeKey<CropOptions>("crop");
        EveryOptionIsARecipeKey<SplitOptions>("split");
        EveryOptionIsARecipeKey<ExportOptions>("export");
        EveryOptionIsARecipeKey<TrainOptions>("train");
        EveryOptionIsARecipeKey<SyntheticSceneOptions>("synthetic");
    }

    [Fact]
    public void A_recipe_in_the_command_line_s_names_plans_and_its_values_reach_the_stages()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.yaml"), """
            name: keys
            output: out
            regions:
              a:
                synthetic: { size: 128, seed: 1 }
            crop: { size: 64, coarse_min_valid: 0.75, zlib_level: 3 }
            split: { strategy: spatial, block: 3, buffer: 1 }
            train: { iterations: 8, periods: "2x4", restart_weights: "1,0.5", weight_decay: 0.001, eta_min: 1e-6, seed: 9 }
            """);
        var r = PipelineRecipe.Load(dir.File("p.yaml"));
        Assert.Equal((0.75, 3), (r.Crop.CoarseMinValidFraction, r.Crop.CompressionLevel));
        Assert.Equal((3, 1), (r.Split.Block!.Value, r.Split.Buffer!.Value));
        Assert.Equal([4L, 4], r.Train!.Schedule);
        Assert.Equal([1, 0.5], r.Train.RestartWeights!);
        Assert.Equal((0.001, 1e-6, 9UL), (r.Train.WeightDecay, r.Train.EtaMin, r.Train.Seed));
        var stages = PipelineRunner.Status(dir.File("p.yaml"));
        Assert.Contains(stages, s => s.Stage.Id == "train" && s.Stage.Inputs["train.weightDecay"] == "0.001");
    }
}
