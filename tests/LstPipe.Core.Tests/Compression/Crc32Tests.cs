using LstPipe.Core.Compression;

namespace LstPipe.Core.Tests.Compression;

public class Crc32Tests
{
    [Fact]
    public void The_check_value_and_a_split_computation_agree_with_zlib()
    {
        var text = System.Text.Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, Crc32.Of(text));
        Assert.Equal(0xCBF43926u, Crc32.Append(Crc32.Of(text.AsSpan(0, 4)), text.AsSpan(4)));
        Assert.Equal(0u, Crc32.Of([]));
    }
}
