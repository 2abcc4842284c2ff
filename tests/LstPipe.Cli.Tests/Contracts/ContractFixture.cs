namespace LstPipe.Cli.Tests.Contracts;

/// <summary>A small x4 MoCoLSK trained on a synthetic scene, with the scene's x4 block-mean LST: what the data-contract
/// tests feed right and wrong inputs to.</summary>
public sealed class ContractFixture : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Trains the model once for the test class.</summary>
    public ContractFixture()
    {
        Ok(CliRunner.Run("synth", "--out", Scene, "--size", "256"));
        Ok(CliRunner.Run("crop", Scene, "--out", Dataset, "--size", "64"));
        Ok(CliRunner.Run("split", "6:1:3", "--dataset", Dataset, "--strategy", "spatial"));
        Ok(CliRunner.Run("train", "--dataset", Dataset, "--out", File("run"), "--iterations", "20", "--val-every", "10",
            "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4", "--lr", "1e-3"));
        Ok(CliRunner.Run("degrade", Scene, "--scale", "4", "--out", Lr));
    }

    /// <summary>The synthetic scene folder (30 m, the ten GrokLST channels).</summary>
    public string Scene => File("scene");

    /// <summary>Its dataset (64 px tiles, spatial split).</summary>
    public string Dataset => File("ds");

    /// <summary>The trained model.</summary>
    public string Checkpoint => Path.Combine(File("run"), "best.safetensors");

    /// <summary>The scene's LST as 120 m block means, on the model's LR grid.</summary>
    public string Lr => File("lr.tif");

    /// <summary>The scene's guidance raster.</summary>
    public string Guidance => Path.Combine(Scene, "guidance.tif");

    /// <summary>A path in the fixture's folder.</summary>
    public string File(string name) => _dir.File(name);

    /// <summary>Asserts a zero exit.</summary>
    public static ProcessResult Ok(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.StdErr}");
        return r;
    }

    /// <summary>Runs <c>contract_inputs.py</c> (GDAL's Python bindings) to make an input.</summary>
    public static string Make(string command, string source, string destination, params string[] more)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Cli.Tests", "Contracts", "contract_inputs.py");
        Ok(Processes.Run("/usr/bin/python3", [script, command, source, destination, .. more]));
        return destination;
    }

    /// <summary>The values of band 1 of a raster.</summary>
    public static float[] Read(string tif)
    {
        using var d = LstPipe.Raster.Gdal.RasterDataset.Open(tif);
        var values = new float[d.Width * d.Height];
        d.GetBand(1).Read(d.Extent, values);
        return values;
    }

    /// <inheritdoc/>
    public void Dispose() => _dir.Dispose();
}
