using System.Text.Json;
using LstPipe.Core.Json;

namespace LstPipe.Core.Tests.Json;

public class JsonDefaultsTests
{
    [Fact]
    public void Text_is_escaped_only_where_json_needs_it()
    {
        var text = JsonSerializer.Serialize(new { expression = "b4 + b5", note = "the 'Andes' <1 km> & Ñuble\t\"q\"\\" }, JsonDefaults.Options);
        Assert.Contains("\"b4 + b5\"", text, StringComparison.Ordinal);
        Assert.Contains("\"the 'Andes' <1 km> & Ñuble\\t\\\"q\\\"\\\\\"", text, StringComparison.Ordinal);
        Assert.Equal("b4 + b5", JsonDocument.Parse(text).RootElement.GetProperty("expression").GetString());
        Assert.DoesNotContain("\\u", JsonSerializer.Serialize("+'<>&Ñ", JsonDefaults.Compact), StringComparison.Ordinal);
    }
}
