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
    [InlineData("F", TemperatureUnit.Fahrenheit)]
    [InlineData("fahrenheit", TemperatureUnit.Fahrenheit)]
    [InlineData("°F", TemperatureUnit.Fahrenheit)]
    public void Usual_spellings_are_read_whatever_their_case(string text, TemperatureUnit expected) =>
        Assert.Equal(expected, LstUnits.TryParse(text));

    [Theory]
    [InlineData("R")]
    [InlineData("rankine")]
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
        Assert.Equal("it looks like degrees Celsius or Fahrenheit", LstUnits.Hint(-10, 24.8));
        Assert.Equal("it is not a land-surface temperature in Kelvin, Celsius or Fahrenheit", LstUnits.Hint(1.8e7, 1.8e7));
    }

    [Fact]
    public void The_hint_is_judged_on_the_whole_range_and_names_fahrenheit()
    {
        Assert.Equal(318.15, LstUnits.ToKelvin(113, TemperatureUnit.Fahrenheit), 9);
        Assert.Equal("it looks like degrees Fahrenheit", LstUnits.Hint(113, 180));
        Assert.Equal("it looks like degrees Fahrenheit", LstUnits.Hint(-150, 20));
        Assert.Equal("it looks like degrees Celsius or Fahrenheit", LstUnits.Hint(62, 98));
        Assert.Equal("it looks like Kelvin", LstUnits.Hint(290, 310, TemperatureUnit.Celsius));
    }
}
