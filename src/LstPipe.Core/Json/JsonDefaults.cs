using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstPipe.Core.Json;

/// <summary>The one JSON style of every file lstpipe writes (scene.json, dataset.json, reports, --json output):
/// camelCase, indented, nulls left out, NaN and infinities as named literals, required and non-nullable members enforced,
/// and text escaped only where JSON needs it (quotes, backslashes, control characters): <c>+</c>, <c>'</c>, <c>&lt;</c>
/// and non-ASCII letters are written as they are (these are files and lines of output, never embedded in HTML).</summary>
public static class JsonDefaults
{
    /// <summary>The shared serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The shared options on one line (for hashing and log lines).</summary>
    public static JsonSerializerOptions Compact { get; } = new(Options) { WriteIndented = false };
}
