using System.Globalization;

namespace LstPipe.Raster.Checks;

/// <summary>The checks of <see cref="GuidanceCheck.Values"/> on one set of values, with the channels' contents
/// permuted: <see cref="Fault"/> of the identity says what is wrong, of an exchange whether it mends it.</summary>
internal sealed class GuidanceJudge
{
    private readonly IReadOnlyList<(string? Name, string? Kind)> _channels;
    private readonly ReadOnlyMemory<float>[] _values;
    private readonly int _stride;
    private readonly int _count;
    private readonly (int Index, int A, int B)[] _relations;

    public GuidanceJudge(IReadOnlyList<(string? Name, string? Kind)> channels, IReadOnlyList<ReadOnlyMemory<float>> values)
    {
        _channels = channels;
        _values = [.. values];
        var length = _values.Length == 0 ? 0 : _values[0].Length;
        if (_values.Any(v => v.Length != length))
        {
            throw new ArgumentException("every guidance channel needs the same number of values", nameof(values));
        }

        _stride = GuidanceCheck.Stride(length);
        _count = (length + _stride - 1) / _stride;
        int At(string name) => channels.Select((c, i) => (c, i)).FirstOrDefault(x => string.Equals(x.c.Name?.Trim(), name,
            StringComparison.OrdinalIgnoreCase), (default, -1)).Item2;
        _relations = GuidanceCheck.Relations.Select(r => (At(r.Index), At(r.A), At(r.B))).Where(r => r.Item1 >= 0 && r.Item2 >= 0
            && r.Item3 >= 0).ToArray();
        Identity = Enumerable.Range(0, channels.Count).ToArray();
    }

    /// <summary>Each channel's own values.</summary>
    public int[] Identity { get; }

    /// <summary>What is wrong when channel c holds the values of channel <c>map[c]</c>; null when nothing is.</summary>
    public string? Fault(int[] map)
    {
        for (var c = 0; c < _channels.Count; c++)
        {
            if (GuidanceCheck.RangeOf(_channels[c].Kind) is { } range && RangeFault(c, map[c], range) is { } fault)
            {
                return fault;
            }
        }

        foreach (var r in _relations)
        {
            if (RelationFault(r, map) is { } fault)
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>The names of two channels whose exchange passes every check (the one with the smallest index residual
    /// when several do); null when no single exchange does.</summary>
    public (string A, string B)? Swapped()
    {
        for (var i = 0; i < _channels.Count; i++)
        {
            for (var j = i + 1; j < _channels.Count; j++)
            {
                if (string.IsNullOrWhiteSpace(_channels[i].Name) || string.IsNullOrWhiteSpace(_channels[j].Name))
                {
                    continue;
                }

                var map = (int[])Identity.Clone();
                (map[i], map[j]) = (j, i);
                if (Fault(map) is null)
                {
                    return (_channels[i].Name!.Trim(), _channels[j].Name!.Trim());
                }
            }
        }

        return null;
    }

    private string? RangeFault(int channel, int source, (double Min, double Max) range)
    {
        var span = _values[source].Span;
        int finite = 0, below = 0, above = 0;
        for (var k = 0; k < _count; k++)
        {
            var v = span[k * _stride];
            if (float.IsNaN(v))
            {
                continue;
            }

            finite++;
            below += v < range.Min ? 1 : 0;
            above += v > range.Max ? 1 : 0;
        }

        if (finite < GuidanceCheck.MinPixels || (below <= GuidanceCheck.RangeShare * finite && above <= GuidanceCheck.RangeShare * finite))
        {
            return null;
        }

        var sorted = Finite(span).Order().ToArray();
        var (low, high) = (sorted[(int)(0.01 * (sorted.Length - 1))], sorted[(int)(0.99 * (sorted.Length - 1))]);
        var (name, kind) = _channels[channel];
        return $"'{name}' ({kind}, {GuidanceCheck.Format(range.Min)} to {GuidanceCheck.Format(range.Max)}) holds " +
            $"{GuidanceCheck.Format(low)} to {GuidanceCheck.Format(high)} (1st to 99th percentile of {finite} sampled pixels)";
    }

    private string? RelationFault((int Index, int A, int B) r, int[] map)
    {
        var index = _values[map[r.Index]].Span;
        var a = _values[map[r.A]].Span;
        var b = _values[map[r.B]].Span;
        int compared = 0, beyond = 0;
        for (var k = 0; k < _count; k++)
        {
            if (Residual(index[k * _stride], a[k * _stride], b[k * _stride]) is { } d)
            {
                compared++;
                beyond += d > GuidanceCheck.IndexTolerance ? 1 : 0;
            }
        }

        if (compared < GuidanceCheck.MinPixels || beyond * 2 <= compared)
        {
            return null;
        }

        var residuals = new List<double>(compared);
        for (var k = 0; k < _count; k++)
        {
            if (Residual(index[k * _stride], a[k * _stride], b[k * _stride]) is { } d)
            {
                residuals.Add(d);
            }
        }

        residuals.Sort();
        var (i, an, bn) = (_channels[r.Index].Name, _channels[r.A].Name, _channels[r.B].Name);
        return string.Create(CultureInfo.InvariantCulture,
            $"'{i}' is not ({an} - {bn}) / ({an} + {bn}): the two differ by a median {residuals[residuals.Count / 2]:0.###} over " +
            $"{compared} sampled pixels (tolerance {GuidanceCheck.IndexTolerance})");
    }

    /// <summary>|index - (a - b) / (a + b)|, or null where a value is nodata or a + b is too small to divide by.</summary>
    private static double? Residual(float index, float a, float b)
    {
        double sum = (double)a + b;
        return float.IsNaN(index) || float.IsNaN(a) || float.IsNaN(b) || !(Math.Abs(sum) > 0.01) ? null
            : Math.Abs(index - ((a - b) / sum));
    }

    private IEnumerable<float> Finite(ReadOnlySpan<float> span)
    {
        var list = new List<float>(_count);
        for (var k = 0; k < _count; k++)
        {
            if (!float.IsNaN(span[k * _stride]))
            {
                list.Add(span[k * _stride]);
            }
        }

        return list;
    }
}
