using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace LstPipe.Dataset.Cards;

/// <summary>Mergeable sums of a band's valid values: count, sum, sum of squares, min and max. Merging in a fixed
/// order gives the same doubles every run, so the card is byte-identical for identical input.</summary>
public sealed class BandMoments
{
    /// <summary>Valid values seen.</summary>
    public long Count { get; set; }

    /// <summary>Sum of values.</summary>
    public double Sum { get; set; }

    /// <summary>Sum of squared values.</summary>
    public double SumSquares { get; set; }

    /// <summary>Smallest value (NaN before any).</summary>
    public double Min { get; set; } = double.NaN;

    /// <summary>Largest value (NaN before any).</summary>
    public double Max { get; set; } = double.NaN;

    /// <summary>Mean of the values.</summary>
    [JsonIgnore]
    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>Population standard deviation.</summary>
    [JsonIgnore]
    public double Std => Count == 0 ? double.NaN : Math.Sqrt(Math.Max(0, SumSquares / Count - Mean * Mean));

    /// <summary>Adds the non-NaN values of a span.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count && AddVectorized(values))
        {
            return;
        }

        double s = 0, q = 0;
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        long n = 0;
        foreach (var v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            n++;
            s += v;
            q += (double)v * v;
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }

        if (n > 0)
        {
            Merge(n, s, q, lo, hi);
        }
    }

    /// <summary>Adds another accumulator.</summary>
    public void Add(BandMoments other)
    {
        if (other.Count > 0)
        {
            Merge(other.Count, other.Sum, other.SumSquares, other.Min, other.Max);
        }
    }

    /// <summary>The same sums with SIMD for spans without NaN (float values widened to double before adding);
    /// returns false, having added nothing, when a NaN is present.</summary>
    private bool AddVectorized(ReadOnlySpan<float> values)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var sum = Vector<double>.Zero;
        var squares = Vector<double>.Zero;
        var lo = new Vector<float>(float.PositiveInfinity);
        var hi = new Vector<float>(float.NegativeInfinity);
        foreach (var v in vectors)
        {
            if (!Vector.EqualsAll(v, v))
            {
                return false;
            }

            Vector.Widen(v, out var a, out var b);
            sum += a + b;
            squares += a * a + b * b;
            lo = Vector.Min(lo, v);
            hi = Vector.Max(hi, v);
        }

        double s = Vector.Sum(sum), q = Vector.Sum(squares);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (var k = 0; k < Vector<float>.Count; k++)
        {
            min = Math.Min(min, lo[k]);
            max = Math.Max(max, hi[k]);
        }

        for (var i = vectors.Length * Vector<float>.Count; i < values.Length; i++)
        {
            var x = values[i];
            if (float.IsNaN(x))
            {
                return false;
            }

            s += x;
            q += (double)x * x;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        Merge(values.Length, s, q, min, max);
        return true;
    }

    private void Merge(long n, double s, double q, double lo, double hi)
    {
        Count += n;
        Sum += s;
        SumSquares += q;
        Min = double.IsNaN(Min) ? lo : Math.Min(Min, lo);
        Max = double.IsNaN(Max) ? hi : Math.Max(Max, hi);
    }
}
