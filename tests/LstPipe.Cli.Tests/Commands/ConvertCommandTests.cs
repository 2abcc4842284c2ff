using System.Text.Json;

namespace LstPipe.Cli.Tests.Commands;

public class ConvertCommandTests
{
    [Fact]
    public void A_grokLst_pth_converts_to_a_checkpoint_and_bad_files_are_one_line_errors()
    {
        using var dir = new TempDir();
        var script = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Inference.Tests", "Interop", "pytorch_interop.py");
        var made = Processes.Run("/usr/bin/python3", [script, "pth", dir.File("m.pth"), "mmagic", "2", "8", "1", "4", "282.51", "14.73", "1"]);
        Assert.True(made.ExitCode == 0, made.StdErr);

        var r = CliRunner.Run("convert", dir.File("m.pth"), dir.File("m.safetensors"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        var text = string.Join(' ', r.StdOut.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("mmagic runner checkpoint (generator.)): mocolsk x2, 10 guidance channels, 701,031 parameters", text);
        Assert.True(File.Exists(dir.File("m.safetensors")));
        var onnx = CliRunner.Run("convert", dir.File("m.pth"), dir.File("m.onnx"));
        Assert.True(onnx.ExitCode == 0, onnx.StdErr);
        Assert.Contains("mocolsk x2, 10 guidance channels", string.Join(' ', onnx.StdOut.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.True(File.Exists(dir.File("m.onnx")));

        File.WriteAllText(dir.File("junk.pth"), "junk");
        CliRunner.AssertOneLineError(CliRunner.Run("convert", dir.File("junk.pth"), dir.File("j.safetensors")), 1, "junk.pth: not a PyTorch checkpoint");
        CliRunner.AssertOneLineError(CliRunner.Run("convert", dir.File("none.pth"), dir.File("j.safetensors")), 2, "none.pth: no such file");
        CliRunner.AssertOneLineError(CliRunner.Run("convert", dir.File("m.pth"), dir.File("m.bin")), 2, "name the output .safetensors");
        Assert.False(File.Exists(dir.File("j.safetensors")));
    }

    private static ProcessResult Ok(ProcessResult r) => Contracts.ContractFixture.Ok(r);

    /// <summary>The acceptance check, as a user runs it: a small trained MoCoLSK converted to ONNX, accepted by
    /// ONNX's checker with symbolic dimensions, predicting what its checkpoint predicts.</summary>
    [Fact]
    public void A_trained_model_converts_to_an_onnx_model_the_checker_accepts_that_predicts_as_its_checkpoint()
    {
        using var dir = new TempDir();
        Ok(CliRunner.Run("synth", "--out", dir.File("scene"), "--size", "128", "--seed", "3"));
        Ok(CliRunner.Run("crop", dir.File("scene"), "--out", dir.File("ds"), "--size", "32", "--scales", "1,4", "--workers", "1"));
        Ok(CliRunner.Run("split", "--dataset", dir.File("ds")));
        Ok(CliRunner.Run("train", "--dataset", dir.File("ds"), "--out", dir.File("run"), "--scale", "4", "--num-feats", "8", "--n-resblocks", "1",
            "--reduction", "4", "--iterations", "4", "--val-every", "4", "--lr", "1e-3"));
        var best = Path.Combine(dir.File("run"), "best.safetensors");
        var convert = Ok(CliRunner.Run("convert", best, dir.File("m.onnx")));
        Assert.Contains("ONNX opset 17 (IR 8)", convert.StdOut);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.partial"));

        var checker = Path.Combine(RepoPaths.Root, "tests", "LstPipe.Onnx.Tests", "onnx_check.py");
        var check = Processes.Run("/usr/bin/python3", [checker, dir.File("m.onnx")]);
        Assert.True(check.ExitCode == 0, check.StdErr);
        var inputs = JsonDocument.Parse(check.StdOut).RootElement.GetProperty("inputs");
        Assert.Equal("[\"batch\",1,\"lr_height\",\"lr_width\"]", inputs.GetProperty("lr_lst").GetRawText().Replace(" ", ""));
        Assert.Equal("[\"batch\",10,\"height\",\"width\"]", inputs.GetProperty("hr_guidance").GetRawText().Replace(" ", ""));

        string[] scene = ["--lst", dir.File("scene"), "--guidance", dir.File("scene"), "--window", "64", "--overlap", "16"];
        Ok(CliRunner.Run(["predict", "--checkpoint", best, .. scene, "--out", dir.File("torch.tif")]));
        var onnx = Ok(CliRunner.Run(["predict", "--checkpoint", dir.File("m.onnx"), .. scene, "--out", dir.File("onnx.tif"), "--batch-size", "2"]));
        Assert.Contains("wrote", onnx.StdOut);
        var (a, b) = (TestRasters.Read(dir.File("torch.tif")), TestRasters.Read(dir.File("onnx.tif")));
        var diff = a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));
        Assert.True(diff < 1e-3, $"predict with the ONNX model and with its checkpoint differ by {diff} K");

        CliRunner.AssertOneLineError(CliRunner.Run(["predict", "--checkpoint", dir.File("m.onnx"), .. scene, "--out", dir.File("x.tif"), "--precision", "bf16"]),
            2, "is an ONNX model, which runs in the float32 its graph holds");
        CliRunner.AssertOneLineError(CliRunner.Run("convert", dir.File("m.onnx"), dir.File("again.onnx")), 2, "m.onnx: an ONNX model runs in predict and test only");
        CliRunner.AssertOneLineError(CliRunner.Run("convert", best, dir.File("copy.safetensors")), 2, "best.safetensors: not a PyTorch checkpoint");
        CliRunner.AssertOneLineError(CliRunner.Run("convert", best, dir.File("d.onnx"), "--dataset", dir.File("ds")), 2, "--dataset applies to a PyTorch .pth");
        Assert.False(File.Exists(dir.File("again.onnx")) || File.Exists(dir.File("d.onnx")) || File.Exists(dir.File("x.tif")));

        var info = Ok(CliRunner.Run("info", dir.File("m.onnx"), "--json"));
        var described = JsonDocument.Parse(info.StdOut).RootElement;
        Assert.Equal(("onnx", "mocolsk", 4), (described.GetProperty("kind").GetString(), described.GetProperty("model").GetString(), described.GetProperty("scale").GetInt32()));
        Assert.StartsWith("ONNX Runtime 1.32", described.GetProperty("engine").GetString(), StringComparison.Ordinal);

        var test = Ok(CliRunner.Run("test", "--checkpoint", dir.File("m.onnx"), "--dataset", dir.File("ds"), "--out", dir.File("eval"), "--panels", "0"));
        Assert.Contains("mocolsk", test.StdOut);
    }
}
