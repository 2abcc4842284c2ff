using Google.Protobuf;
using LstPipe.Dataset;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Training;
using Onnx;

namespace LstPipe.Cli.Tests.Contracts;

/// <summary>A synthetic scene, its dataset and its x4 coarse LST, with a small x4 MoCoLSK initialized (seeded, not
/// trained) on the dataset's normalization and contract: a checkpoint exactly as lstpipe writes one, whose metadata the
/// hostile-model tests rewrite. No training, so nothing here depends on how a run converges.</summary>
public sealed class HostileModelFixture : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Makes the scene, the dataset, the coarse LST and the checkpoint once for the test class.</summary>
    public HostileModelFixture()
    {
        ContractFixture.Ok(CliRunner.Run("synth", "--out", Scene, "--size", "256"));
        ContractFixture.Ok(CliRunner.Run("crop", Scene, "--out", Dataset, "--size", "64"));
        ContractFixture.Ok(CliRunner.Run("split", "6:1:3", "--dataset", Dataset, "--strategy", "spatial"));
        ContractFixture.Ok(CliRunner.Run("degrade", Scene, "--scale", "4", "--out", Lr));
        var card = DatasetFolder.Load(Dataset).Card;
        TorchSharp.torch.manual_seed(37);
        var spec = new TrainOptions { Dataset = Dataset, Output = "unused", NumFeats = 8, NResblocks = 1, Reduction = 4 }.Spec;
        using var model = Downscaler.Create(spec, Normalization.FromCard(card, 4), DataContract.FromCard(card, 4, "card", Dataset));
        model.Save(Checkpoint);
    }

    /// <summary>The synthetic scene folder (30 m, the ten GrokLST channels).</summary>
    public string Scene => File("scene");

    /// <summary>Its dataset (64 px tiles, spatial split).</summary>
    public string Dataset => File("ds");

    /// <summary>The initialized checkpoint.</summary>
    public string Checkpoint => File("model.safetensors");

    /// <summary>The scene's LST as 120 m block means, on the model's LR grid.</summary>
    public string Lr => File("lr.tif");

    /// <summary>The scene's guidance raster.</summary>
    public string Guidance => Path.Combine(Scene, "guidance.tif");

    /// <summary>A copy of the checkpoint converted by <c>lstpipe convert</c>, changed by <paramref name="edit"/>.</summary>
    public string Onnx(string name, Action<ModelProto> edit)
    {
        var source = File("model.onnx");
        if (!System.IO.File.Exists(source))
        {
            ContractFixture.Ok(CliRunner.Run("convert", Checkpoint, source));
        }

        var m = ModelProto.Parser.ParseFrom(System.IO.File.ReadAllBytes(source));
        edit(m);
        var path = File(name + ".onnx");
        System.IO.File.WriteAllBytes(path, m.ToByteArray());
        return path;
    }

    /// <summary>A path in the fixture's folder.</summary>
    public string File(string name) => _dir.File(name);

    /// <inheritdoc/>
    public void Dispose() => _dir.Dispose();
}
