namespace LstPipe.Inference.Tests;

/// <summary>The wall-clock limit of one ONNX forward: 20 times the expected time, never under 10 s; expected from the
/// model's size until a forward finished, then from that forward's pace per pixel.</summary>
public class ForwardGuardTests
{
    [Fact]
    public void The_limit_is_twenty_times_the_estimate_from_the_model_s_size_and_at_least_the_floor()
    {
        var guard = new ForwardGuard(modelBytes: 4_000_000);
        Assert.Equal(TimeSpan.FromSeconds(20 * 1e6 * 128 * 128 / 1e9), guard.Limit(128 * 128));
        Assert.Equal(ForwardGuard.Floor, guard.Limit(16));
        Assert.Equal(ForwardGuard.Floor, new ForwardGuard(4000).Limit(128 * 128));
        Assert.StartsWith("20 x the 16.384 s estimated from the model's size, at least 10 s", guard.Basis(128 * 128), StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_first_forward_the_limit_follows_its_pace_per_pixel()
    {
        var guard = new ForwardGuard(modelBytes: 400_000_000);
        guard.Finished(1000, TimeSpan.FromSeconds(2));
        guard.Finished(1000, TimeSpan.FromSeconds(50));
        Assert.Equal(TimeSpan.FromSeconds(20 * 2 * 4.0), guard.Limit(4000));
        Assert.Equal(ForwardGuard.Floor, guard.Limit(100));
        Assert.Equal("20 x the 8 s the first forward's pace gives, at least 10 s", guard.Basis(4000));
    }
}
