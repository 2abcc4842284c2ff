using LstPipe.Core.Errors;
using LstPipe.Inference.Contracts;

namespace LstPipe.Inference.Tests.Contracts;

/// <summary>Every field of a contract and of a normalization, checked when a model is opened: what lstpipe writes passes,
/// and each value it never writes is one data error naming the file and the field.</summary>
public class ContractValidationTests
{
    private static readonly DataContract Good = DataContract.GrokLst(4);

    private static readonly Normalization Norm = Normalization.GrokLst(4);

    public static TheoryData<string, string> Contracts => new()
    {
        { "twice", "guidance[9].name 'ndvi'; it must be a name no other channel has (guidance[8] is 'ndvi' too)" },
        { "kind", "guidance[0].kind 'height'; it must be one of elevation" },
        { "version", "format 'lstpipe-contract/9'; it must be lstpipe-contract/1" },
        { "fahrenheit", "lstUnit 'F'; it must be K" },
        { "scale", "scale 0; it must be a factor of 1 or more" },
        { "truth-nan", "truthResolutionMetres NaN; it must be a finite pixel size above 0 m" },
        { "lr-negative", "lrResolutionMetres -120; it must be a finite pixel size above 0 m" },
        { "lr-disagrees", "lrResolutionMetres 60; it must be scale x truthResolutionMetres (120)" },
        { "method", "truth.method 'guessed'; it must be one of grid" },
        { "normalization", "normalization 'mine'; it must be card or groklst" },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void A_contract_field_lstpipe_never_writes_is_named(string edit, string message)
    {
        var g = Good.Guidance.ToArray();
        var bad = edit switch
        {
            "twice" => Good with { Guidance = [.. g[..9], g[9] with { Name = "ndvi" }] },
            "kind" => Good with { Guidance = [g[0] with { Kind = "height" }, .. g[1..]] },
            "version" => Good with { Format = "lstpipe-contract/9" },
            "fahrenheit" => Good with { LstUnit = "F" },
            "scale" => Good with { Scale = 0 },
            "truth-nan" => Good with { TruthResolutionMetres = double.NaN },
            "lr-negative" => Good with { LrResolutionMetres = -120 },
            "lr-disagrees" => Good with { LrResolutionMetres = 60 },
            "method" => Good with { Truth = Good.Truth with { Method = "guessed" } },
            _ => Good with { Normalization = "mine" },
        };
        var e = Assert.Throws<DataException>(() => ContractValidation.CheckContract("m.safetensors", bad));
        Assert.StartsWith("m.safetensors: its lstpipe.contract metadata has " + message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(0.0, "guidanceDivisor[2] 0;")]
    [InlineData(-1.0, "guidanceDivisor[2] -1;")]
    [InlineData(double.PositiveInfinity, "guidanceDivisor[2] Infinity;")]
    public void A_divisor_that_is_not_finite_and_positive_is_named(double divisor, string message)
    {
        var d = Norm.GuidanceDivisor.ToArray();
        d[2] = divisor;
        var e = Assert.Throws<DataException>(() => ContractValidation.CheckNormalization("m.onnx", Norm with { GuidanceDivisor = d }));
        Assert.StartsWith("m.onnx: its lstpipe.normalization metadata has " + message,
            e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nonfinite_mean_or_shift_is_named_and_what_lstpipe_writes_passes()
    {
        var shift = Norm.GuidanceShift.ToArray();
        shift[5] = double.NaN;
        Assert.Contains("guidanceShift[5] NaN; it must be a finite value", Assert.Throws<DataException>(() =>
            ContractValidation.CheckNormalization("m", Norm with { GuidanceShift = shift })).Message, StringComparison.Ordinal);
        Assert.Contains("lstMean -Infinity;", Assert.Throws<DataException>(() =>
            ContractValidation.CheckNormalization("m", Norm with { LstMean = double.NegativeInfinity })).Message, StringComparison.Ordinal);
        Assert.Contains("the lstpipe.contract given it (from GrokLST) has lstUnit 'F'", Assert.Throws<DataException>(() =>
            ContractValidation.CheckContract("g.pth", Good with { LstUnit = "F" }, "from GrokLST")).Message, StringComparison.Ordinal);

        foreach (var scale in new[] { 2, 4, 8 })
        {
            ContractValidation.CheckContract("m", DataContract.GrokLst(scale));
            ContractValidation.CheckNormalization("m", Normalization.GrokLst(scale));
        }
    }
}
