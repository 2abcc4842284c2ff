namespace LstPipe.Core.Units;

/// <summary>The unit an LST is declared in.</summary>
public enum TemperatureUnit
{
    /// <summary>Kelvin, the unit of every LST lstpipe writes.</summary>
    Kelvin,

    /// <summary>Degrees Celsius: converted to Kelvin on read.</summary>
    Celsius,

    /// <summary>Degrees Fahrenheit: converted to Kelvin on read.</summary>
    Fahrenheit,
}

/// <summary>Parsing of declared LST units and the range of temperatures a land surface can have.</summary>
public static class LstUnits
{
    /// <summary>Lowest LST (K) any land surface has; below it a value is in another unit or damaged.</summary>
    public const double MinPlausibleKelvin = 150;

    /// <summary>Highest LST (K) any land surface has.</summary>
    public const double MaxPlausibleKelvin = 400;

    /// <summary>Offset from degrees Celsius to Kelvin.</summary>
    public const double CelsiusOffset = 273.15;

    /// <summary>The spellings accepted, for messages.</summary>
    public const string Accepted = "K (kelvin), C (celsius, degC) or F (fahrenheit, degF)";

    /// <summary>Reads a declared unit: <c>K</c>, <c>kelvin</c>, <c>degK</c>; <c>C</c>, <c>celsius</c>, <c>degC</c>,
    /// <c>deg_C</c>, <c>°C</c>, <c>degrees celsius</c>; <c>F</c>, <c>fahrenheit</c>, <c>degF</c>, <c>°F</c>;
    /// case-insensitive. Anything else is null, never Kelvin by
    /// default.</summary>
    public static TemperatureUnit? TryParse(string? text)
    {
        var t = (text ?? "").Trim().ToLowerInvariant().Replace("degrees", "deg", StringComparison.Ordinal)
            .Replace("degree", "deg", StringComparison.Ordinal).Replace("°", "deg", StringComparison.Ordinal)
            .Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return t switch
        {
            "k" or "kelvin" or "kelvins" or "degk" => TemperatureUnit.Kelvin,
            "c" or "celsius" or "degc" or "degcelsius" or "centigrade" => TemperatureUnit.Celsius,
            "f" or "fahrenheit" or "degf" or "degfahrenheit" => TemperatureUnit.Fahrenheit,
            _ => null,
        };
    }

    /// <summary>Whether a temperature in Kelvin is one a land surface can have (150-400 K).</summary>
    public static bool IsPlausible(double kelvin) => kelvin is >= MinPlausibleKelvin and <= MaxPlausibleKelvin;

    /// <summary>The value in Kelvin.</summary>
    public static double ToKelvin(double value, TemperatureUnit unit) => unit switch
    {
        TemperatureUnit.Celsius => value + CelsiusOffset,
        TemperatureUnit.Fahrenheit => ((value - 32) * 5 / 9) + CelsiusOffset,
        _ => value,
    };

    /// <summary>The gain and offset that take a value in <paramref name="unit"/> to Kelvin: <c>K = v * gain + offset</c>.</summary>
    public static (double Gain, double Offset) KelvinLinear(TemperatureUnit unit) => unit switch
    {
        TemperatureUnit.Celsius => (1, CelsiusOffset),
        TemperatureUnit.Fahrenheit => (5.0 / 9, CelsiusOffset - (32 * 5.0 / 9)),
        _ => (1, 0),
    };

    /// <summary>The short symbol: <c>K</c>, <c>C</c> or <c>F</c>.</summary>
    public static string Symbol(TemperatureUnit unit) => unit switch
    {
        TemperatureUnit.Celsius => "C",
        TemperatureUnit.Fahrenheit => "F",
        _ => "K",
    };

    /// <summary>The units in which every value from <paramref name="min"/> to <paramref name="max"/> (numbers as
    /// stored) is a temperature a land surface can have, in the order Kelvin, Celsius, Fahrenheit.</summary>
    public static IReadOnlyList<TemperatureUnit> UnitsThatFit(double min, double max) =>
    [
        .. Enum.GetValues<TemperatureUnit>().Where(u => IsPlausible(ToKelvin(min, u)) && IsPlausible(ToKelvin(max, u))),
    ];

    /// <summary>The advice for stored values from <paramref name="min"/> to <paramref name="max"/> read in
    /// <paramref name="declared"/> that are not all plausible, judged on the whole range: the other units in which all
    /// of them would be (<c>it looks like degrees Celsius or Fahrenheit</c>), or that there is none.</summary>
    public static string Hint(double min, double max, TemperatureUnit declared = TemperatureUnit.Kelvin)
    {
        var fit = UnitsThatFit(min, max).Where(u => u != declared).Select(u => u switch
        {
            TemperatureUnit.Celsius => "Celsius",
            TemperatureUnit.Fahrenheit => "Fahrenheit",
            _ => "Kelvin",
        }).ToArray();
        return fit.Length == 0 ? "it is not a land-surface temperature in Kelvin, Celsius or Fahrenheit"
            : $"it looks like {(fit[0] == "Kelvin" ? "" : "degrees ")}{string.Join(" or ", fit)}";
    }
}
