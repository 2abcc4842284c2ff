using System.IO.Compression;
using LstPipe.Core.Compression;

namespace LstPipe.Core.Tests.Compression;

public class DeflateCompressorTests
{
    private static byte[] FloatRamp(int n)
    {
        var values = Enumerable.Range(0, n).Select(i => 290f + MathF.Sin(i * 0.01f) * 5f).ToArray();
        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(12)]
    public void Zlib_output_inflates_with_the_framework_decoder_to_the_input(int level)
    {
        var input = FloatRamp(100_000);
        using var c = new DeflateCompressor(level);
        var output = new byte[c.ZlibBound(input.Length)];
        var n = c.CompressZlib(input, output);
        Assert.True(n < input.Length * 0.8, $"{n} bytes from {input.Length}");
        using var z = new ZLibStream(new MemoryStream(output, 0, n), CompressionMode.Decompress);
        var back = new MemoryStream();
        z.CopyTo(back);
        Assert.Equal(input, back.ToArray());
    }

    [Fact]
    public void Gzip_output_inflates_with_the_framework_decoder_to_the_input()
    {
        var input = FloatRamp(10_000);
        using var c = new DeflateCompressor();
        var output = new byte[c.GzipBound(input.Length)];
        var n = c.CompressGzip(input, output);
        using var z = new GZipStream(new MemoryStream(output, 0, n), CompressionMode.Decompress);
        var back = new MemoryStream();
        z.CopyTo(back);
        Assert.Equal(input, back.ToArray());
    }

    [Fact]
    public void Higher_levels_are_not_larger_and_output_is_deterministic()
    {
        var input = FloatRamp(50_000);
        int Size(int level)
        {
            using var c = new DeflateCompressor(level);
            var o = new byte[c.ZlibBound(input.Length)];
            return c.CompressZlib(input, o);
        }

        Assert.True(Size(12) <= Size(1));
        using var a = new DeflateCompressor(6);
        using var b = new DeflateCompressor(6);
        var oa = new byte[a.ZlibBound(input.Length)];
        var ob = new byte[b.ZlibBound(input.Length)];
        Assert.Equal(oa.AsSpan(0, a.CompressZlib(input, oa)).ToArray(), ob.AsSpan(0, b.CompressZlib(input, ob)).ToArray());
    }

    [Fact]
    public void A_too_small_buffer_or_a_bad_level_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeflateCompressor(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeflateCompressor(13));
        using var c = new DeflateCompressor();
        Assert.Throws<ArgumentException>(() => c.CompressZlib(FloatRamp(1000), new byte[10]));
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => c.ZlibBound(10));
    }
}
