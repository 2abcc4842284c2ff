using System.Globalization;

namespace LstPipe.Dataset.Splits;

/// <summary>A train:val:test ratio such as 6:1:3.</summary>
public sealed record SplitRatio
{
    private SplitRatio(double train, double val, double test)
    {
        Train = train;
        Val = val;
        Test = test;
    }

    /// <summary>Train share.</summary>
    public double Train { get; }

    /// <summary>Validation share.</summary>
    public double Val { get; }

    /// <summary>Test share.</summary>
    public double Test { get; }

    /// <summary>The GrokLST ratio.</summary>
    public static SplitRatio GrokLst { get; } = new(6, 1, 3);

    /// <summary>Parses <c>a:b:c</c>: three non-negative numbers with a positive sum.</summary>
    /// <exception cref="FormatException">The text is not such a ratio.</exception>
    public static SplitRatio Parse(string text)
    {
        var parts = text.Split(':');
        var values = new double[3];
        var ok = parts.Length == 3;
        for (var i = 0; ok && i < 3; i++)
        {
            ok = double.TryParse(parts[i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out values[i])
                && double.IsFinite(values[i]) && values[i] >= 0;
        }

        if (!ok || values.Sum() <= 0)
        {
            throw new FormatException("give three non-negative numbers train:val:test with a positive sum, for example 6:1:3");
        }

        return new SplitRatio(values[0], values[1], values[2]);
    }

    /// <summary>Splits <paramref name="n"/> items by the largest-remainder method: the counts sum to exactly
    /// <paramref name="n"/>, and ties go to train, then val, then test.</summary>
    public int[] Allocate(int n)
    {
        var shares = new[] { Train, Val, Test };
        var total = shares.Sum();
        var quotas = shares.Select(s => n * s / total).ToArray();
        var counts = quotas.Select(q => (int)Math.Floor(q + 1e-9)).ToArray();
        var order = Enumerable.Range(0, 3).Where(i => shares[i] > 0).OrderByDescending(i => quotas[i] - counts[i]).ThenBy(i => i).ToArray();
        for (var k = 0; counts.Sum() < n; k++)
        {
            counts[order[k % order.Length]]++;
        }

        return counts;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Train}:{Val}:{Test}");
}
