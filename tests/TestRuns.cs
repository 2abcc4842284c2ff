using LstPipe.Core.Units;
using LstPipe.Dataset.Crop;
using LstPipe.Dataset.Splits;
using LstPipe.Synthetic;
using LstPipe.Training;

namespace LstPipe.Testing;

/// <summary>A small synthetic dataset and the options of a short training run on it, for the tests of the trainer and of
/// what runs its checkpoints (linked into the test projects that train; they reference the ONNX exporter too).</summary>
internal static class TestRuns
{
    public static string MakeDataset(TempDir dir, int sceneSize, int tileSize, string scales = "1,2,4,8")
    {
        SyntheticSceneGenerator.Generate(new SyntheticSceneOptions { Width = sceneSize, Height = sceneSize, Seed = 3 }.Validate(), dir.File("scene"), false, "test");
        CropProcessor.Run(new CropOptions { Scenes = [dir.File("scene")], Output = dir.File("ds"), TileSize = tileSize, Workers = 1, Scales = (IReadOnlyList<ScaleFactor>)new CropOptions.ScalesParser().Parse(scales)! });
        SplitProcessor.Run(new SplitOptions { Dataset = dir.File("ds"), Ratio = SplitRatio.Parse("6:1:3") });
        return dir.File("ds");
    }

    /// <summary>Trains a small <paramref name="model"/> into <c>run-NAME</c> and converts its best checkpoint to
    /// <c>NAME.onnx</c>: the checkpoint and the ONNX model.</summary>
    public static (string Checkpoint, string Onnx) TrainedAndConverted(TempDir dir, string dataset, string name, int iterations,
        string model = "mocolsk")
    {
        var run = Trainer.Run(Small(dataset, dir.File("run-" + name), iterations, iterations) with { Model = model });
        var best = Path.Combine(run.Run, "best.safetensors");
        using var d = LstPipe.Inference.Downscaler.Load(best);
        LstPipe.Onnx.OnnxExport.Write(d, dir.File(name + ".onnx"));
        return (best, dir.File(name + ".onnx"));
    }

    public static TrainOptions Small(string dataset, string run, int iterations, int valEvery) => new()
    {
        Dataset = dataset,
        Output = run,
        Scale = 4,
        NumFeats = 8,
        NResblocks = 1,
        Reduction = 4,
        Iterations = iterations,
        Periods = [iterations],
        ValidateEvery = valEvery,
        LearningRate = 1e-3,
    };
}
