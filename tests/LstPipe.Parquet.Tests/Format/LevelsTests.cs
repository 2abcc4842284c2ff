using LstPipe.Parquet.Format;

namespace LstPipe.Parquet.Tests.Format;

public class LevelsTests
{
    [Fact]
    public void Rle_runs_round_trip()
    {
        using var ms = new MemoryStream();
        Levels.WriteRuns(ms, 1, [(0, 1), (1, 4095), (0, 1), (1, 7)]);
        var levels = Levels.Read(ms.ToArray(), 1, 4104);
        Assert.Equal(0, levels[0]);
        Assert.All(levels[1..4096], l => Assert.Equal(1, l));
        Assert.Equal(0, levels[4096]);
        Assert.Equal(7, levels[4097..].Sum());
    }

    [Fact]
    public void Bit_packed_runs_written_by_other_writers_decode()
    {
        // One group of 8 one-bit values, LSB first: 1,0,1,1,0,0,1,0 -> 0b01001101.
        byte[] data = [0x03, 0x4D];
        Assert.Equal([1, 0, 1, 1, 0, 0, 1, 0], Levels.Read(data, 1, 8));
        // Bit width 2: values 0..3,3..0 -> bytes 0xE4 (0,1,2,3) and 0x1B (3,2,1,0).
        Assert.Equal([0, 1, 2, 3, 3, 2, 1, 0], Levels.Read([0x03, 0xE4, 0x1B], 2, 8));
    }

    [Fact]
    public void Bit_widths_follow_the_maximum_level()
    {
        Assert.Equal([0, 1, 2, 2, 3], new[] { 0, 1, 2, 3, 4 }.Select(Levels.BitWidth));
    }
}
