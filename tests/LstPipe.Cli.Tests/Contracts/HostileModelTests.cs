using System.Text;
using System.Text.Json.Nodes;

namespace LstPipe.Cli.Tests.Contracts;

/// <summary>Models whose metadata lstpipe would never write, made by rewriting the metadata of the fixture's initialized
/// checkpoint (and of its ONNX conversion): <c>predict</c> and <c>test</c> refuse each when they open it, with one line
/// naming the file and the field, before any pixel is read; and a network that gives NaN is blamed on the input pixel
/// that caused it.</summary>
public partial class HostileModelTests(HostileModelFixture f) : IClassFixture<HostileModelFixture>
{
    private ProcessResult Predict(string model, string output, string? lst = null, string? guidance = null) =>
        CliRunner.Run("predict", "--checkpoint", model, "--lst", lst ?? f.Lr, "--guidance", guidance ?? f.Guidance, "--out", output,
            "--window", "128");

    private ProcessResult Test(string model, string output) =>
        CliRunner.Run("test", "--checkpoint", model, "--dataset", f.Dataset, "--out", output, "--panels", "0");

    /// <summary>A copy of the fixture's checkpoint with one metadata entry (JSON) edited.</summary>
    private string Checkpoint(string name, string key, Action<JsonObject> edit)
    {
        var bytes = File.ReadAllBytes(f.Checkpoint);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        var header = JsonNode.Parse(bytes.AsSpan(8, length))!.AsObject();
        var meta = header["__metadata__"]!.AsObject();
        var entry = JsonNode.Parse(meta[key]!.GetValue<string>())!.AsObject();
        edit(entry);
        meta[key] = entry.ToJsonString();
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var path = f.File(name + ".safetensors");
        using var o = File.Create(path);
        o.Write(BitConverter.GetBytes((ulong)json.Length));
        o.Write(json);
        o.Write(bytes.AsSpan(8 + length));
        return path;
    }

    private static JsonObject Channel(JsonObject contract, int k) => contract["guidance"]![k]!.AsObject();

    /// <summary>Each edit: the metadata entry, the edit, and what the error says of the field.</summary>
    private static (string Key, Action<JsonObject> Edit, string Field) Hostile(string name) => name switch
    {
        "ndvi-twice" => ("lstpipe.contract", c => Channel(c, 9)["name"] = "ndvi",
            "guidance[9].name 'ndvi'; it must be a name no other channel has (guidance[8] is 'ndvi' too)"),
        "unknown-kind" => ("lstpipe.contract", c => Channel(c, 6)["kind"] = "thermal",
            "guidance[6].kind 'thermal'; it must be one of elevation, "),
        "lst-mean-nan" => ("lstpipe.normalization", n => n["lstMean"] = "NaN", "lstMean NaN; it must be a finite mean in K"),
        "unknown-version" => ("lstpipe.contract", c => c["format"] = "lstpipe-contract/2",
            "format 'lstpipe-contract/2'; it must be lstpipe-contract/1, the only contract this lstpipe reads"),
        "fahrenheit" => ("lstpipe.contract", c => c["lstUnit"] = "F", "lstUnit 'F'; it must be K"),
        "truth-0-m" => ("lstpipe.contract", c => c["truthResolutionMetres"] = 0, "truthResolutionMetres 0; it must be a finite pixel"),
        "divisor-0" => ("lstpipe.normalization", n => n["guidanceDivisor"]![3] = 0,
            "guidanceDivisor[3] 0; it must be a finite divisor above 0"),
        "divisor-minus-1" => ("lstpipe.normalization", n => n["guidanceDivisor"]![3] = -1,
            "guidanceDivisor[3] -1; it must be a finite divisor above 0"),
        "lst-std-0" => ("lstpipe.normalization", n => n["lstStd"] = 0, "lstStd 0; it must be a finite standard deviation"),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("ndvi-twice")]
    [InlineData("unknown-kind")]
    [InlineData("lst-mean-nan")]
    [InlineData("unknown-version")]
    [InlineData("fahrenheit")]
    [InlineData("truth-0-m")]
    [InlineData("divisor-0")]
    [InlineData("divisor-minus-1")]
    [InlineData("lst-std-0")]
    public void Predict_refuses_a_checkpoint_whose_contract_or_normalization_lstpipe_never_writes(string name)
    {
        var (key, edit, field) = Hostile(name);
        var model = Checkpoint(name, key, edit);
        var output = f.File(name + ".tif");
        var r = Predict(model, output);
        CliRunner.AssertOneLineError(r, 1, $"{model}: its {key} metadata has {field}");
        Assert.Contains("the file was edited or is corrupt", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_contract_channel_without_a_kind_is_refused_naming_the_channel()
    {
        var removed = Checkpoint("no-kind", "lstpipe.contract", c => Channel(c, 6).Remove("kind"));
        CliRunner.AssertOneLineError(Predict(removed, f.File("no-kind.tif")), 1,
            $"{removed}: its lstpipe.contract metadata is not valid at $.guidance[6]");
        var none = Checkpoint("null-kind", "lstpipe.contract", c => Channel(c, 6)["kind"] = null);
        CliRunner.AssertOneLineError(Predict(none, f.File("null-kind.tif")), 1,
            $"{none}: its lstpipe.contract metadata is not valid at $.guidance[6]");
    }

    [Fact]
    public void Test_and_info_refuse_a_checkpoint_with_a_channel_named_twice_the_same_way()
    {
        var (key, edit, field) = Hostile("ndvi-twice");
        var model = Checkpoint("twice-test", key, edit);
        CliRunner.AssertOneLineError(Test(model, f.File("eval-twice")), 1, $"{model}: its {key} metadata has {field}");
        Assert.False(Directory.Exists(f.File("eval-twice")));
        CliRunner.AssertOneLineError(CliRunner.Run("info", model), 1, $"{model}: its {key} metadata has {field}");
    }

    /// <summary>Predicts from the given inputs and asserts the network's NaN is blamed on <paramref name="cause"/>, not
    /// on the weights, with nothing written.</summary>
    private void AssertNanBlamedOn(string? lst, string? guidance, string output, string cause)
    {
        var r = CliRunner.WithoutTorchWarnings(Predict(f.Checkpoint, output, lst, guidance));
        CliRunner.AssertOneLineError(r, 1, cause);
        Assert.Contains($"{f.Checkpoint}: the network gave ", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("weights", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    /// <summary>A copy of the fixture's checkpoint whose every float32 weight is 1e30: finite, so it opens, but its
    /// network overflows to non-finite values on any input.</summary>
    private string OverflowingWeights()
    {
        var bytes = File.ReadAllBytes(f.Checkpoint);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        var header = JsonNode.Parse(bytes.AsSpan(8, length))!.AsObject();
        foreach (var (_, tensor) in header.Where(t => t.Key != "__metadata__" && (string?)t.Value!["dtype"] == "F32"))
        {
            var (start, end) = ((int)tensor!["data_offsets"]![0]!, (int)tensor["data_offsets"]![1]!);
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + length + start, end - start)).Fill(1e30f);
        }

        var path = f.File("overflowing.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Test_names_the_tile_whose_output_a_checkpoint_makes_non_finite_and_writes_nothing()
    {
        var model = OverflowingWeights();
        var r = CliRunner.WithoutTorchWarnings(Test(model, f.File("eval-overflow")));
        CliRunner.AssertOneLineError(r, 1, $"{model}: the network gave ");
        var dataset = System.Text.RegularExpressions.Regex.Escape(f.Dataset);
        Assert.Matches($@"gave (NaN|-?Infinity) at pixel \(\d+, \d+\) of tile \d{{5}} of {dataset}, " +
            "where every input is finite and in range, and again when run a second time", r.StdErr);
        Assert.Contains("check the weights", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("nothing was scored", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(f.File("eval-overflow")), "a refused test leaves no output folder");
    }

    [Fact]
    public void A_nonfinite_coarse_lst_pixel_is_refused_naming_it_before_the_network_runs()
    {
        var lst = ContractFixture.Make("poke", f.Lr, f.File("lr-inf.tif"), "1", "10", "12", "inf");
        var r = CliRunner.WithoutTorchWarnings(Predict(f.Checkpoint, f.File("from-inf-lst.tif"), lst, null));
        CliRunner.AssertOneLineError(r, 1, $"{lst}: the LST at row 12, column 10 is +Infinity, neither a temperature nor nodata");
        Assert.False(File.Exists(f.File("from-inf-lst.tif")));
    }

    [Fact]
    public void A_nonfinite_guidance_pixel_is_named_with_its_band_and_channel()
    {
        var guidance = ContractFixture.Make("poke", f.Guidance, f.File("guidance-inf.tif"), "9", "70", "90", "inf");
        AssertNanBlamedOn(null, guidance, f.File("from-inf-guidance.tif"), $"because the guidance {guidance} band 9 ('ndvi') is " +
            "Infinity at pixel (70, 90)");
    }
}
