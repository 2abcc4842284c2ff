namespace LstPipe.Core.Units;

/// <summary>The unit an LST is declared in.</summary>
public enum TemperatureUnit
{
    /// <summary>Kelvin, the unit of every LST lstpipe writes.</summary>
    Kelvin,

    /// <summary>Degrees Celsius: converted to Kelvin on read.</summary>
    Celsius,
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
    public const string Accepted = "K (kelvin) or C (celsius, degC)";

    /// <summary>Reads a declared unit: <c>K</c>, <c>kelvin</c>, <c>degK</c>; <c>C</c>, <c>celsius</c>, <c>degC</c>,
    /// <c>deg_C</c>, <c>°C</c>, <c>degrees celsius</c>; case-insensitive. Anything else is null, never Kelvin by
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
            _ => null,
        };
    }

    /// <summary>Whether a temperature in Kelvin is one a land surface can have (150-400 K).</summary>
    public static bool IsPlausible(double kelvin) => kelvin is >= MinPlausibleKelvin and <= MaxPlausibleKelvin;

    /// <summary>The value in Kelvin.</summary>
    public static double ToKelvin(double value, TemperatureUnit unit) => unit == TemperatureUnit.Celsius ? value + CelsiusOffset : value;

    /// <summary>The advice for a value outside the plausible range: Celsius values lie between -123 and 127, so a
    /// Celsius LST read as Kelvin is the usual cause.</summary>
    public static string Hint(double kelvin) => kelvin is > -123.15 and < 126.85
        ? "it looks like degrees Celsius"
        : "it is not a land-surface temperature in Kelvin";
}
