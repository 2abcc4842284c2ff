using System.Globalization;

namespace LstPipe.Core.Units;

/// <summary>A count of pixels along one axis of a grid (a tile size, an offset, a step).</summary>
/// <param name="Value">The number of pixels.</param>
public readonly record struct Pixels(int Value) : IComparable<Pixels>
{
    /// <inheritdoc />
    public int CompareTo(Pixels other) => Value.CompareTo(other.Value);

    /// <summary>Sum of two pixel counts.</summary>
    public static Pixels operator +(Pixels a, Pixels b) => new(a.Value + b.Value);

    /// <summary>Difference of two pixel counts.</summary>
    public static Pixels operator -(Pixels a, Pixels b) => new(a.Value - b.Value);

    /// <summary>Whether <paramref name="a"/> is the smaller.</summary>
    public static bool operator <(Pixels a, Pixels b) => a.Value < b.Value;

    /// <summary>Whether <paramref name="a"/> is the larger.</summary>
    public static bool operator >(Pixels a, Pixels b) => a.Value > b.Value;

    /// <summary>Whether <paramref name="a"/> is not larger.</summary>
    public static bool operator <=(Pixels a, Pixels b) => a.Value <= b.Value;

    /// <summary>Whether <paramref name="a"/> is not smaller.</summary>
    public static bool operator >=(Pixels a, Pixels b) => a.Value >= b.Value;

    /// <summary>The ground length these pixels span at a ground sampling distance.</summary>
    public Metres On(GroundSamplingDistance gsd) => gsd.Size * Value;

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture) + " px";
}
