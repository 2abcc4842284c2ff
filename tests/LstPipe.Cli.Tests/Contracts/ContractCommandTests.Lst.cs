using System.Text.Json;
using LstPipe.Cli.Tests.Safety;

namespace LstPipe.Cli.Tests.Contracts;

/// <summary>LST values under the contract: Fahrenheit named and converted, a wrong unit that still looks plausible refused
/// by the training LST statistics the checkpoint records, +-Inf named with its pixel, and <c>test</c> and <c>train</c>
/// refusing 30 m tiles in Celsius.</summary>
public partial class ContractCommandTests
{
    private string Fahrenheit()
    {
        var path = f.File("fahrenheit.tif");
        if (!File.Exists(path))
        {
            LstGateTests.LstInputs("tif-affine", f.Lr, path, "1.8", "-459.67");
        }

        return path;
    }

    [Fact]
    public void The_checkpoint_records_the_training_lst_statistics_of_its_lr_level()
    {
        var bytes = File.ReadAllBytes(f.Checkpoint);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)BitConverter.ToUInt64(bytes, 0)));
        using var contract = JsonDocument.Parse(header.RootElement.GetProperty("__metadata__").GetProperty("lstpipe.contract").GetString()!);
        var stats = contract.RootElement.GetProperty("lstStatistics");
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Dataset, "dataset.json")));
        var lst = card.RootElement.GetProperty("statistics").EnumerateArray().Single(s => s.GetProperty("scale").GetString() == "120m")
            .GetProperty("bands")[0];
        Assert.Equal("120m", stats.GetProperty("scale").GetString());
        foreach (var key in new[] { "mean", "std", "min", "max" })
        {
            Assert.Equal(lst.GetProperty(key).GetDouble(), stats.GetProperty(key).GetDouble());
        }
    }

    [Fact]
    public void Info_shows_the_training_lst_statistics_of_a_checkpoint_and_of_its_onnx_conversion()
    {
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Dataset, "dataset.json")));
        var lst = card.RootElement.GetProperty("statistics").EnumerateArray().Single(s => s.GetProperty("scale").GetString() == "120m")
            .GetProperty("bands")[0];
        double Of(string key) => lst.GetProperty(key).GetDouble();
        var (min, max, std) = (Of("min"), Of("max"), Of("std"));
        var margin = Math.Max(3 * std, 15);
        var expected = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Training LST {min:0.##}-{max:0.##} K (mean " +
            $"{Of("mean"):0.##}, std {std:0.##} K) at 120m, the coarse input; predict and test refuse a coarse LST whose median lies " +
                $"outside {min - margin:0.##}-{max + margin:0.##} K");
        var onnx = f.File("info.onnx");
        ContractFixture.Ok(CliRunner.Run("convert", f.Checkpoint, onnx));
        foreach (var model in new[] { f.Checkpoint, onnx })
        {
            var info = System.Text.RegularExpressions.Regex.Replace(Flat(ContractFixture.Ok(CliRunner.Run("info", model))), @"\s+", " ");
            Assert.Contains(expected, info, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_fahrenheit_lst_is_named_so_converted_with_lst_units_f_and_refused_by_the_training_statistics_as_celsius()
    {
        var hint = Predict(Fahrenheit(), f.Guidance, f.File("out-f.tif"));
        CliRunner.AssertOneLineError(hint, 2, "outside the 150-400 K of any land surface (it looks like degrees ");
        Assert.Matches(@"Fahrenheit\); pass --lst-units (C or )?F\s*$", hint.StdErr);
        Assert.False(File.Exists(f.File("out-f.tif")));

        ContractFixture.Ok(Predict(Fahrenheit(), f.Guidance, f.File("from-f.tif"), "--lst-units", "F"));
        var a = ContractFixture.Read(Reference());
        var b = ContractFixture.Read(f.File("from-f.tif"));
        Assert.True(a.Zip(b).All(p => Math.Abs(p.First - p.Second) < 2e-3), "the Fahrenheit input converted to Kelvin predicts what the Kelvin input does");

        var celsius = Predict(Fahrenheit(), f.Guidance, f.File("out-fc.tif"), "--lst-units", "C");
        CliRunner.AssertOneLineError(celsius, 2, "fahrenheit.tif: its LST has median ");
        Assert.Contains("the median lies outside", celsius.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(f.File("out-fc.tif")));
    }

    [Fact]
    public void An_infinite_coarse_lst_is_a_data_error_naming_its_pixel()
    {
        var inf = f.File("inf.tif");
        LstGateTests.LstInputs("tif-inf", f.Lr, inf);
        var r = Predict(inf, f.Guidance, f.File("out-inf.tif"));
        CliRunner.AssertOneLineError(r, 1, "inf.tif: the LST at row 0, column 0 is +Infinity, neither a temperature nor nodata");
        Assert.False(File.Exists(f.File("out-inf.tif")));
    }

    [Fact]
    public void Test_train_and_export_refuse_a_dataset_whose_30_m_tiles_are_in_celsius()
    {
        var copy = f.File("ds-celsius");
        CopyFolder(f.Dataset, copy);
        LstGateTests.LstInputs("mat-affine", Path.Combine(copy, "30m", "lst"), "1", "-273.15");
        const string Message = "(it looks like degrees Celsius or Fahrenheit); a dataset's LST is in Kelvin";
        var test = CliRunner.Run("test", "--checkpoint", f.Checkpoint, "--dataset", copy, "--out", f.File("eval-celsius"), "--panels", "0");
        CliRunner.AssertOneLineError(test, 1, Message);
        Assert.Contains(Path.Combine(copy, "30m", "lst"), test.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(f.File("eval-celsius")), "a refused test leaves no output folder");

        var train = CliRunner.Run("train", "--dataset", copy, "--out", f.File("run-celsius"), "--iterations", "2", "--val-every", "2",
            "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4");
        CliRunner.AssertOneLineError(train, 1, Message);
        Assert.False(Directory.Exists(f.File("run-celsius")), "a run refused before its first checkpoint leaves no run folder");

        var empty = Directory.CreateDirectory(f.File("run-into-empty")).FullName;
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--dataset", copy, "--out", empty, "--iterations", "2", "--val-every", "2",
            "--num-feats", "8", "--n-resblocks", "1", "--reduction", "4"), 1, Message);
        Assert.Empty(Directory.GetFileSystemEntries(empty));
        Assert.Empty(Directory.GetFileSystemEntries(f.File(""), ".*.lstpipe-lock"));

        CliRunner.AssertOneLineError(CliRunner.Run("export", "--dataset", copy, "--format", "parquet"), 1, Message);
        Assert.False(Directory.Exists(Path.Combine(copy, "parquet")));
    }
}
