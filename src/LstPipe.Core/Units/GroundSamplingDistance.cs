using System.Globalization;

namespace LstPipe.Core.Units;

/// <summary>The ground size of one square pixel of a projected grid, such as 30 m for the GrokLST truth.</summary>
public readonly record struct GroundSamplingDistance
{
    /// <summary>Creates a ground sampling distance; it must be positive and finite.</summary>
    public GroundSamplingDistance(Metres size)
    {
        if (!(size.Value > 0) || double.IsInfinity(size.Value))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size.Value, "a ground sampling distance must be positive");
        }

        Size = size;
    }

    /// <summary>The pixel edge length.</summary>
    public Metres Size { get; }

    /// <summary>The base grid of the GrokLST dataset.</summary>
    public static GroundSamplingDistance Base30m { get; } = FromMetres(30);

    /// <summary>Creates a ground sampling distance from a length in metres.</summary>
    public static GroundSamplingDistance FromMetres(double metres) => new(new Metres(metres));

    /// <summary>The coarser distance of a grid that is <paramref name="scale"/> times coarser.</summary>
    public GroundSamplingDistance Coarsen(ScaleFactor scale) => new(Size * scale.Value);

    /// <summary>A folder-style label, for example <c>30m</c> or <c>240m</c>.</summary>
    public string Label => Size.Value.ToString("0.###", CultureInfo.InvariantCulture) + "m";

    /// <inheritdoc />
    public override string ToString() => Size.ToString();
}
