using System.Globalization;

namespace LstPipe.Core.Units;

/// <summary>A length on the ground in metres.</summary>
/// <param name="Value">The length in metres.</param>
public readonly record struct Metres(double Value) : IComparable<Metres>
{
    /// <inheritdoc />
    public int CompareTo(Metres other) => Value.CompareTo(other.Value);

    /// <summary>Scales a length.</summary>
    public static Metres operator *(Metres m, double factor) => new(m.Value * factor);

    /// <summary>Divides a length.</summary>
    public static Metres operator /(Metres m, double divisor) => new(m.Value / divisor);

    /// <inheritdoc />
    public override string ToString() => Value.ToString("0.###", CultureInfo.InvariantCulture) + " m";
}
