namespace LstPipe.Inference;

/// <summary>
/// The PNG beside a predicted scene, built while the scene streams past: the coarse input, the output and, when a
/// truth is given, the truth and the error, side by side on one temperature scale, each reduced to at most about
/// 360 px by block means.
/// </summary>
internal sealed class Quicklook
{
    private const int Target = 360;
    private readonly int _width;
    private readonly int _scale;
    private readonly int _coarseWidth;
    private readonly int _k;
    private readonly int _dw;
    private readonly int _dh;
    private readonly double[] _output;
    private readonly int[] _outputCount;
    private readonly double[]? _truth;
    private readonly int[]? _truthCount;
    private readonly float[] _coarse;

    /// <summary>Starts a quicklook of a <paramref name="width"/> x <paramref name="height"/> scene.</summary>
    public Quicklook(int width, int height, int scale, int coarseWidth, bool truth)
    {
        _width = width;
        _scale = scale;
        _coarseWidth = coarseWidth;
        _k = Math.Max(1, (int)Math.Ceiling(Math.Max(width, height) / (double)Target));
        _dw = (width + _k - 1) / _k;
        _dh = (height + _k - 1) / _k;
        _output = new double[_dw * _dh];
        _outputCount = new int[_dw * _dh];
        _truth = truth ? new double[_dw * _dh] : null;
        _truthCount = truth ? new int[_dw * _dh] : null;
        _coarse = new float[_dw * _dh];
        Array.Fill(_coarse, float.NaN);
    }

    /// <summary>Takes rows [y, y + rows) of the output (and truth), and the coarse rows that start at y / scale.</summary>
    public void Add(int y, int rows, ReadOnlySpan<float> output, ReadOnlySpan<float> truth, ReadOnlySpan<float> coarse)
    {
        for (var r = 0; r < rows; r++)
        {
            var d = (y + r) / _k * _dw;
            for (var c = 0; c < _width; c++)
            {
                Accumulate(_output, _outputCount, d + (c / _k), output[(r * _width) + c]);
                if (_truth is not null)
                {
                    Accumulate(_truth, _truthCount!, d + (c / _k), truth[(r * _width) + c]);
                }
            }
        }

        for (var j = 0; j < _dh; j++)
        {
            var hr = (j * _k) + (_k / 2);
            if (hr < y || hr >= y + rows)
            {
                continue;
            }

            var row = (hr / _scale) - (y / _scale);
            for (var i = 0; i < _dw; i++)
            {
                _coarse[(j * _dw) + i] = coarse[(row * _coarseWidth) + (Math.Min((i * _k) + (_k / 2), _width - 1) / _scale)];
            }
        }
    }

    /// <summary>Writes the PNG.</summary>
    public void Write(string path, string title)
    {
        var output = Mean(_output, _outputCount);
        var panels = new List<(string Name, float[] Values, bool Error)> { ("Coarse input", _coarse, false), ("Output", output, false) };
        if (_truth is not null)
        {
            var truth = Mean(_truth, _truthCount!);
            panels.Add(("Truth", truth, false));
            panels.Add(("Output − truth", output.Zip(truth, (a, b) => a - b).ToArray(), true));
        }

        LstPipe.Figures.Figure.ScenePanels(path, title, _dw, _dh, panels);
    }

    private static void Accumulate(double[] sums, int[] counts, int i, float v)
    {
        if (!float.IsNaN(v) && v > -9000)
        {
            sums[i] += v;
            counts[i]++;
        }
    }

    private static float[] Mean(double[] sums, int[] counts) =>
        sums.Select((v, i) => counts[i] > 0 ? (float)(v / counts[i]) : float.NaN).ToArray();
}
