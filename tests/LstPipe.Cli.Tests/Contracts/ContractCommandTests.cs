using System.Text.Json;

namespace LstPipe.Cli.Tests.Contracts;

/// <summary>The acceptance check of the data contract on synthetic data: the checkpoint names its channels and truth,
/// <c>predict</c> matches guidance bands by name and refuses every input the model was not trained for (non-zero exit,
/// one line, nothing under the output's name), while the right inputs still work.</summary>
public partial class ContractCommandTests(ContractFixture f) : IClassFixture<ContractFixture>
{
    private static readonly string[] GrokLst = ["dem", "deepblue", "blue", "green", "red", "vre", "nir", "ndmvi", "ndvi", "ndwi"];

    /// <summary>Standard output with the console's line wrapping undone.</summary>
    private static string Flat(ProcessResult r) => r.StdOut.ReplaceLineEndings(" ");

    private ProcessResult Predict(string lst, string guidance, string output, params string[] more) =>
        CliRunner.Run(["predict", "--checkpoint", f.Checkpoint, "--lst", lst, "--guidance", guidance, "--out", output, "--window", "128", .. more]);

    private string Reference()
    {
        var path = f.File("reference.tif");
        if (!File.Exists(path))
        {
            ContractFixture.Ok(Predict(f.Lr, f.Guidance, path));
        }

        return path;
    }

    [Fact]
    public void The_checkpoint_records_the_ten_channels_the_30_m_truth_and_the_dataset()
    {
        var bytes = File.ReadAllBytes(f.Checkpoint);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, length));
        var contract = JsonDocument.Parse(header.RootElement.GetProperty("__metadata__").GetProperty("lstpipe.contract").GetString()!).RootElement;
        Assert.Equal(GrokLst, contract.GetProperty("guidance").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("elevation", contract.GetProperty("guidance")[0].GetProperty("kind").GetString());
        Assert.Equal(30, contract.GetProperty("truthResolutionMetres").GetDouble());
        Assert.Equal(120, contract.GetProperty("lrResolutionMetres").GetDouble());
        Assert.Equal("grid", contract.GetProperty("truth").GetProperty("method").GetString());
        Assert.Equal("ds", contract.GetProperty("dataset").GetString());
        Assert.Equal(64, contract.GetProperty("cardSha256").GetString()!.Length);

        var info = ContractFixture.Ok(CliRunner.Run("info", f.Checkpoint));
        Assert.Contains("dem (elevation, m), deepblue (reflectance-surface)", Flat(info), StringComparison.Ordinal);
        Assert.Contains("30 m: the scenes' grid", Flat(info), StringComparison.Ordinal);
    }

    [Fact]
    public void Guidance_bands_in_another_order_are_matched_by_name_and_give_the_same_prediction()
    {
        var reordered = ContractFixture.Make("reorder", f.Guidance, f.File("reordered.tif"), "9,2,3,4,5,6,7,8,1,10");
        var r = ContractFixture.Ok(Predict(f.Lr, reordered, f.File("from-reordered.tif")));
        Assert.Contains("matched by name, in the model's order: dem = band 9", Flat(r), StringComparison.Ordinal);
        Assert.Equal(ContractFixture.Read(Reference()), ContractFixture.Read(f.File("from-reordered.tif")));

        var unnamed = ContractFixture.Make("unname", reordered, f.File("unnamed.tif"));
        var named = GrokLst.Select((_, i) => GrokLst[i switch { 0 => 8, 8 => 0, _ => i }]);
        ContractFixture.Ok(Predict(f.Lr, unnamed, f.File("from-listed.tif"), "--guidance-bands", string.Join(",", named)));
        Assert.Equal(ContractFixture.Read(Reference()), ContractFixture.Read(f.File("from-listed.tif")));
    }

    public static TheoryData<string, int, string> WrongInputs => new()
    {
        { "unnamed", 2, "have no names, so they cannot be matched" },
        { "mislabelled", 1, "'dem' and 'ndvi' look swapped: 'ndvi' (index, -1.0001 to 1.0001) holds" },
        { "guidance-60m", 2, "its pixels are 60 m; " },
        { "celsius", 2, "(it looks like degrees Celsius or Fahrenheit); pass --lst-units C or F" },
        { "elsewhere", 1, "no valid pixel of it falls on the guidance" },
        { "all-nodata", 1, "no valid pixel of it falls on the guidance" },
        { "two-bands", 2, "has 2 bands; choose the LST with --lst-band N" },
    };

    [Theory]
    [MemberData(nameof(WrongInputs))]
    public void An_input_the_model_was_not_trained_for_is_refused_and_leaves_nothing(string input, int exit, string message)
    {
        var (lst, guidance) = input switch
        {
            "unnamed" => (f.Lr, ContractFixture.Make("unname", ContractFixture.Make("reorder", f.Guidance, f.File("r1.tif"), "9,2,3,4,5,6,7,8,1,10"), f.File("u.tif"))),
            "mislabelled" => (f.Lr, ContractFixture.Make("rename", ContractFixture.Make("reorder", f.Guidance, f.File("r2.tif"), "9,2,3,4,5,6,7,8,1,10"),
                f.File("m.tif"), string.Join(",", GrokLst))),
            "guidance-60m" => (f.Lr, ContractFixture.Make("resample", f.Guidance, f.File("g60.tif"), "60")),
            "celsius" => (ContractFixture.Make("celsius", f.Lr, f.File("c.tif")), f.Guidance),
            "elsewhere" => (ContractFixture.Make("shift", f.Lr, f.File("far.tif"), "500000", "0"), f.Guidance),
            "all-nodata" => (ContractFixture.Make("nodata", f.Lr, f.File("nd.tif")), f.Guidance),
            _ => (ContractFixture.Make("stack", f.Lr, f.File("two.tif")), f.Guidance),
        };
        var output = f.File($"out-{input}.tif");
        var r = Predict(lst, guidance, output);
        CliRunner.AssertOneLineError(r, exit, message);
        Assert.DoesNotContain("unexpected", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(Path.ChangeExtension(output, ".png")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, $".out-{input}*"));
    }

    [Fact]
    public void A_celsius_lst_declared_with_lst_units_c_gives_the_kelvin_prediction()
    {
        var celsius = ContractFixture.Make("celsius", f.Lr, f.File("c-units.tif"));
        ContractFixture.Ok(Predict(celsius, f.Guidance, f.File("from-celsius.tif"), "--lst-units", "C"));
        var a = ContractFixture.Read(Reference());
        var b = ContractFixture.Read(f.File("from-celsius.tif"));
        Assert.True(a.Zip(b).All(p => Math.Abs(p.First - p.Second) < 1e-3), "the Celsius input converted to Kelvin predicts what the Kelvin input does");

        var second = ContractFixture.Ok(Predict(ContractFixture.Make("stack", f.Lr, f.File("two-ok.tif")), f.Guidance, f.File("band2.tif"), "--lst-band", "2"));
        Assert.Contains("wrote", Flat(second), StringComparison.Ordinal);
    }

    [Fact]
    public void The_radiance_correction_is_the_default_only_on_the_model_s_lr_grid()
    {
        var aligned = ContractFixture.Ok(Predict(f.Lr, f.Guidance, f.File("aligned.tif")));
        Assert.Contains("consistency: radiance (the coarse LST's pixels nest in the model's LR grid", Flat(aligned), StringComparison.Ordinal);

        var shifted = ContractFixture.Make("shift", f.Lr, f.File("half-pixel.tif"), "60", "0");
        var moved = ContractFixture.Ok(Predict(shifted, f.Guidance, f.File("moved.tif")));
        Assert.Contains("consistency: none (the coarse LST was reprojected or resampled", Flat(moved), StringComparison.Ordinal);
        Assert.Contains("(none)", Flat(moved), StringComparison.Ordinal);

        var forced = ContractFixture.Ok(Predict(shifted, f.Guidance, f.File("forced.tif"), "--consistency", "radiance"));
        Assert.Contains("written (radiance)", Flat(forced), StringComparison.Ordinal);
    }
}
