using LstPipe.Core.Errors;

namespace LstPipe.Training.Tests;

/// <summary>Every training option error names the option to change.</summary>
public class TrainOptionsTests
{
    public static TheoryData<TrainOptions, string> Bad => new()
    {
        { Options() with { Iterations = 0 }, "--iterations 0: use 1 or more" },
        { Options() with { ValidateEvery = 0 }, "--val-every 0: use 1 or more" },
        { Options() with { LearningRate = 0 }, "--lr 0: use a positive learning rate" },
        { Options() with { WeightDecay = -1 }, "--weight-decay -1: use 0 or more" },
        { Options() with { EtaMin = -1 }, "--eta-min -1: use 0 or more" },
        { Options() with { Scale = 3 }, "--scale 3: use 2, 4 or 8" },
    };

    private static TrainOptions Options() => new() { Dataset = "ds", Output = "run", Iterations = 8, Periods = [8] };

    [Theory]
    [MemberData(nameof(Bad))]
    public void An_option_out_of_range_is_named(TrainOptions options, string message) =>
        Assert.StartsWith(message, Assert.Throws<UsageException>(() => options.Validate()).Message);
}
