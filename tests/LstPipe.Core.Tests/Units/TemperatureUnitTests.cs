using LstPipe.Core.Units;

namespace LstPipe.Core.Tests.Units;

public class TemperatureUnitTests
{
    [Theory]
    [InlineData("K", TemperatureUnit.Kelvin)]
    [InlineData("kelvin", TemperatureUnit.Kelvin)]
    [InlineData(" Kelvin ", TemperatureUnit.Kelvin)]
    [InlineData("C", TemperatureUnit.Celsius)]
    [InlineData("Celsius", TemperatureUnit.Celsius)]
    [InlineData("degC", TemperatureUnit.Celsius)]
    [InlineData("deg_C", TemperatureUnit.Celsius)]
    [InlineData("°C", TemperatureUnit.Celsius)]
    [InlineData("degrees Celsius", TemperatureUnit.Celsius)]
    public void Usual_spellings_are_read_whatever_their_case(string text, TemperatureUnit expected) =>
        Assert.Equal(expected, LstUnits.TryParse(text));

    [Theory]
    [InlineData("F")]
    [InlineData("fahrenheit")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("W m-2 sr-1 um-1")]
    public void Anything_else_is_refused_rather_than_read_as_kelvin(string? text) =>
        Assert.Null(LstUnits.TryParse(text));

    [Fact]
    public void Celsius_values_read_as_kelvin_are_implausible_and_named_so()
    {
        Assert.True(LstUnits.IsPlausible(LstUnits.ToKelvin(24.8, TemperatureUnit.Celsius)));
        Assert.False(LstUnits.IsPlausible(24.8));
        Assert.Contains("Celsius", LstUnits.Hint(24.8));
        Assert.DoesNotContain("Celsius", LstUnits.Hint(1.8e7));
    }
}
