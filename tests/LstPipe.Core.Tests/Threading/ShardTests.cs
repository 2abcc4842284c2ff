using LstPipe.Core.Errors;
using LstPipe.Core.Threading;

namespace LstPipe.Core.Tests.Threading;

public class ShardTests
{
    [Fact]
    public void Shards_parse_and_together_own_every_unit_once()
    {
        Assert.Equal(new Shard(1, 4), Shard.Parse("1/4"));
        Assert.Equal("--shard 4/4: use i/N with 0 <= i < N (for example 0/4)", Assert.Throws<UsageException>(() => Shard.Parse("4/4")).Message);
        Assert.Throws<UsageException>(() => Shard.Parse("a/b"));
        Assert.Throws<UsageException>(() => Shard.Parse("-1/2"));
        var shards = Enumerable.Range(0, 3).Select(i => new Shard(i, 3)).ToArray();
        Assert.All(Enumerable.Range(0, 50), unit => Assert.Single(shards, s => s.Owns(unit)));
        Assert.True(Shard.Whole.Owns(17));
    }
}
