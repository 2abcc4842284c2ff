using LstPipe.Parquet.Thrift;

namespace LstPipe.Parquet.Tests.Thrift;

public class CompactProtocolTests
{
    [Fact]
    public void Every_value_kind_round_trips_including_long_field_jumps_and_long_lists()
    {
        var inner = new ThriftStruct().Set(1, "x").Set(2, -7L);
        var s = new ThriftStruct()
            .Set(1, true)
            .Set(2, false)
            .Set(3, -123456)
            .Set(4, long.MinValue)
            .Set(5, 3.25)
            .Set(7, (short)-3)
            .Set(40, "after a jump of 33")
            .Set(41, ThriftList.OfInts(Enumerable.Range(-10, 40)))
            .Set(42, ThriftList.OfStructs([inner, inner]))
            .Set(300, inner);
        var bytes = CompactProtocol.Serialize(s);
        var pos = 0;
        var back = CompactProtocol.Read(bytes, ref pos);
        Assert.Equal(bytes.Length, pos);
        Assert.Equal(true, back.Get(1));
        Assert.Equal(false, back.Get(2));
        Assert.Equal(-123456, back.Int(3, "t"));
        Assert.Equal(long.MinValue, back.Long(4, "t"));
        Assert.Equal(3.25, back.Get(5));
        Assert.Equal((short)-3, back.Get(7));
        Assert.Equal("after a jump of 33", back.String(40, "t"));
        Assert.Equal(Enumerable.Range(-10, 40), back.List(41, "t").Cast<int>());
        Assert.Equal("x", ((ThriftStruct)back.List(42, "t")[1]).String(1, "t"));
        Assert.Equal(-7L, back.Struct(300, "t").Long(2, "t"));
    }

    [Fact]
    public void Known_bytes_decode_as_the_specification_says()
    {
        // field 1 i32 = 1 (delta 1, type 5, zigzag 2), field 3 binary "ab" (delta 2, type 8), stop.
        byte[] bytes = [0x15, 0x02, 0x28, 0x02, (byte)'a', (byte)'b', 0x00];
        var pos = 0;
        var s = CompactProtocol.Read(bytes, ref pos);
        Assert.Equal(1, s.Int(1, "t"));
        Assert.Equal("ab", s.String(3, "t"));
        Assert.Equal(bytes, CompactProtocol.Serialize(new ThriftStruct().Set(1, 1).Set(3, "ab")));
    }

    [Theory]
    [InlineData(new byte[] { 0x15 })]
    [InlineData(new byte[] { 0x18, 0x20, 0x61 })]
    [InlineData(new byte[] { 0x1D })]
    [InlineData(new byte[] { 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Truncated_or_malformed_input_is_a_format_error(byte[] bytes)
    {
        Assert.Throws<FormatException>(() =>
        {
            var pos = 0;
            CompactProtocol.Read(bytes, ref pos);
        });
    }
}
