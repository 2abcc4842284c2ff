using LstPipe.Core.Errors;
using LstPipe.Ingest.Expressions;

namespace LstPipe.Ingest.Tests.Expressions;

public class BandExpressionTests
{
    private static float[] Eval(string text, params (string Name, float[] Values)[] bands)
    {
        var e = BandExpression.Parse(text, "test");
        var n = bands.Length == 0 ? 1 : bands[0].Values.Length;
        var output = new float[n];
        e.Evaluate(bands.ToDictionary(b => b.Name, b => b.Values), output);
        return output;
    }

    [Theory]
    [InlineData("1 + 2 * 3", 7f)]
    [InlineData("(1 + 2) * 3", 9f)]
    [InlineData("-2 * -3", 6f)]
    [InlineData("8 / 4 / 2", 1f)]
    [InlineData("10 - 4 - 3", 3f)]
    [InlineData("2.5e1 + .5", 25.5f)]
    [InlineData("1e-1 * 10", 1f)]
    [InlineData("sqrt(16) + abs(-2)", 6f)]
    [InlineData("min(3, 4) + max(3, 4)", 7f)]
    public void Arithmetic_follows_the_usual_precedence(string text, float expected) =>
        Assert.Equal(expected, Eval(text)[0], 5);

    [Fact]
    public void Ndvi_is_computed_per_pixel_with_nodata_and_zero_denominators_as_nodata()
    {
        var red = new[] { 0.1f, 0.2f, float.NaN, 0f, 0.3f };
        var nir = new[] { 0.5f, 0.2f, 0.4f, 0f, 0.1f };
        var ndvi = Eval("(nir - red) / (nir + red)", ("red", red), ("nir", nir));
        Assert.Equal(0.4f / 0.6f, ndvi[0], 6);
        Assert.Equal(0f, ndvi[1]);
        Assert.True(float.IsNaN(ndvi[2]));
        Assert.True(float.IsNaN(ndvi[3]));
        Assert.Equal(-0.5f, ndvi[4], 6);
    }

    [Fact]
    public void Names_are_listed_once_in_order_of_use()
    {
        var e = BandExpression.Parse("(green - nir) / (green + nir) + dem * 0", "test");
        Assert.Equal(["green", "nir", "dem"], e.Names);
        var error = Assert.Throws<UsageException>(() => e.RequireNames(["green", "nir"], "r.yaml:4"));
        Assert.StartsWith("r.yaml:4: unknown band 'dem'", error.Message);
    }

    [Theory]
    [InlineData("(nir - red", "missing ')'")]
    [InlineData("nir +", "ends where a value was expected")]
    [InlineData("nir $ red", "'$' where the expression should end")]
    [InlineData("nir + $", "'$' where a value should be")]
    [InlineData("log(nir)", "unknown function 'log'")]
    [InlineData("min(nir)", "min() takes 2 argument(s)")]
    [InlineData("", "empty")]
    [InlineData("1.2.3", "'1.2.3' is not a number")]
    public void Bad_syntax_is_a_usage_error_that_names_the_place(string text, string expected)
    {
        var e = Assert.Throws<UsageException>(() => BandExpression.Parse(text, "recipe.yaml:9"));
        Assert.StartsWith("recipe.yaml:9: bad expression", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
