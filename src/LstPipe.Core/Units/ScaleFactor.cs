using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstPipe.Core.Units;

/// <summary>An integer downscaling factor between a fine and a coarse grid (x2, x4, x8 in GrokLST); JSON holds it as
/// the plain number.</summary>
[JsonConverter(typeof(ScaleFactorJsonConverter))]
public readonly record struct ScaleFactor
{
    /// <summary>Creates a scale factor; it must be at least 1.</summary>
    public ScaleFactor(int value)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a scale factor must be at least 1");
        }

        Value = value;
    }

    /// <summary>How many fine pixels one coarse pixel spans along each axis.</summary>
    public int Value { get; }

    /// <summary>The identity scale (the base grid itself).</summary>
    public static ScaleFactor One { get; } = new(1);

    /// <summary>The GrokLST scales: 1 (30 m truth), 2, 4 and 8.</summary>
    public static IReadOnlyList<ScaleFactor> GrokLst { get; } = [new(1), new(2), new(4), new(8)];

    /// <summary>Parses <c>4</c>, <c>x4</c> or <c>X4</c>.</summary>
    /// <exception cref="FormatException">The text is not a positive integer factor.</exception>
    public static ScaleFactor Parse(string text)
    {
        var t = text.Trim();
        if (t.StartsWith('x') || t.StartsWith('X'))
        {
            t = t[1..];
        }

        if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
        {
            throw new FormatException($"'{text}' is not a scale factor: use a positive integer such as 2, 4 or 8");
        }

        return new ScaleFactor(v);
    }

    /// <summary>The number of pixels of a length of <paramref name="finePixels"/> at this coarser scale;
    /// it must divide exactly.</summary>
    public Pixels Coarsen(Pixels finePixels)
    {
        if (finePixels.Value % Value != 0)
        {
            throw new ArgumentException($"{finePixels} is not divisible by scale {this}", nameof(finePixels));
        }

        return new Pixels(finePixels.Value / Value);
    }

    /// <inheritdoc />
    public override string ToString() => "x" + Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads and writes a <see cref="ScaleFactor"/> as its number.</summary>
public sealed class ScaleFactorJsonConverter : JsonConverter<ScaleFactor>
{
    /// <inheritdoc/>
    public override ScaleFactor Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) && v >= 1 ? new ScaleFactor(v)
            : throw new JsonException("a scale factor is a whole number of at least 1");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ScaleFactor value,
        JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
}
