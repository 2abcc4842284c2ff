using LstPipe.Core.Errors;
using LstPipe.Core.Options;

namespace LstPipe.Core.Tests.Options;

public class OptionSchemaTests
{
    public enum Mode
    {
        Grid,
        NativeTruth,
    }

    public sealed class Pair : IOptionParser
    {
        public object? Parse(string text) => text.Split('x') is [var a, var b] && int.TryParse(a, out var x) && int.TryParse(b, out var y)
            ? (IReadOnlyList<int>)[x, y]
            : throw new FormatException("use WxH, for example 4x2500");

        public string Format(object value) => string.Join("x", (IReadOnlyList<int>)value);
    }

    public sealed record Sample
    {
        [Option("num-feats", "Feature width", Min = 1, Max = 1024)]
        public int NumFeats { get; init; } = 32;

        [Option("lr", "Learning rate", Min = 0)]
        public double LearningRate { get; init; } = 1e-4;

        [Option("model", "Model", Choices = ["mocolsk", "fdsr"])]
        public string Model { get; init; } = "mocolsk";

        [Option("truth", "Truth")]
        public Mode Truth { get; init; }

        [Option("periods", "Periods", Parser = typeof(Pair))]
        public IReadOnlyList<int> Periods { get; init; } = [4, 2500];

        [Option("threads", "Threads", Scope = OptionScope.CommandLine, Min = 1)]
        public int? Threads { get; init; }

        [Option("force", "Replace", Scope = OptionScope.CommandLine)]
        public bool Force { get; init; }

        public string NotAnOption { get; init; } = "";
    }

    [Fact]
    public void Options_come_in_declaration_order_with_their_three_names()
    {
        var names = OptionSchema<Sample>.Options.Select(o => (o.Name, o.CommandLineName, o.RecipeKey)).ToArray();
        Assert.Equal(("num-feats", "--num-feats", "num_feats"), names[0]);
        Assert.Equal(["num-feats", "lr", "model", "truth", "periods", "threads", "force"], names.Select(n => n.Name));
        Assert.Same(OptionSchema<Sample>.Options[0], OptionSchema<Sample>.Find("num_feats"));
    }

    [Theory]
    [InlineData("num-feats", "8", 8)]
    [InlineData("lr", "1e-3", 1e-3)]
    [InlineData("model", "fdsr", "fdsr")]
    [InlineData("truth", "native-truth", Mode.NativeTruth)]
    [InlineData("threads", "2", 2)]
    [InlineData("force", "yes", true)]
    public void Values_are_read_from_text_into_their_type(string name, string text, object expected) =>
        Assert.Equal(expected, OptionSchema<Sample>.Parse(OptionSchema<Sample>.Find(name)!, text, "--" + name));

    [Theory]
    [InlineData("num-feats", "0", "--num-feats 0: use 1 to 1024")]
    [InlineData("num-feats", "2.5", "--num-feats 2.5: use a whole number")]
    [InlineData("lr", "-1", "--lr -1: use 0 or more")]
    [InlineData("lr", "inf", "--lr inf: use a number")]
    [InlineData("model", "unet", "--model unet: use mocolsk or fdsr")]
    [InlineData("truth", "exact", "--truth exact: use grid or native-truth")]
    [InlineData("periods", "4", "--periods 4: use WxH, for example 4x2500")]
    [InlineData("force", "maybe", "--force maybe: use true or false")]
    public void A_value_out_of_reach_is_one_usage_error_naming_the_option_and_what_it_takes(string name, string text, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => OptionSchema<Sample>.Parse(OptionSchema<Sample>.Find(name)!, text, "--" + name)).Message);

    [Fact]
    public void Setting_an_option_copies_the_record_and_formatting_gives_back_the_text()
    {
        var periods = OptionSchema<Sample>.Find("periods")!;
        var seed = OptionSchema<Sample>.Defaults;
        var changed = OptionSchema<Sample>.With(seed, periods, OptionSchema<Sample>.Parse(periods, "2x50", "--periods"));
        Assert.Equal([4, 2500], seed.Periods);
        Assert.Equal([2, 50], changed.Periods);
        Assert.Equal("2x50", OptionSchema<Sample>.Format(periods, changed));
        Assert.Equal("native-truth", OptionSchema<Sample>.Format(OptionSchema<Sample>.Find("truth")!, seed with { Truth = Mode.NativeTruth }));
        Assert.Equal("", OptionSchema<Sample>.Format(OptionSchema<Sample>.Find("threads")!, seed));
    }
}
