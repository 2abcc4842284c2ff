using System.Globalization;

namespace LstPipe.Core.Units;

/// <summary>An axis-aligned rectangle in a CRS's map units (easting/northing or longitude/latitude).</summary>
/// <param name="MinX">West edge.</param>
/// <param name="MinY">South edge.</param>
/// <param name="MaxX">East edge.</param>
/// <param name="MaxY">North edge.</param>
public readonly record struct MapBounds(double MinX, double MinY, double MaxX, double MaxY)
{
    /// <summary>East-west extent.</summary>
    public double Width => MaxX - MinX;

    /// <summary>North-south extent.</summary>
    public double Height => MaxY - MinY;

    /// <summary>Whether the two rectangles share area.</summary>
    public bool Overlaps(MapBounds other) =>
        MinX < other.MaxX && other.MinX < MaxX && MinY < other.MaxY && other.MinY < MaxY;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({MinX:0.######}, {MinY:0.######}) - ({MaxX:0.######}, {MaxY:0.######})");
}
