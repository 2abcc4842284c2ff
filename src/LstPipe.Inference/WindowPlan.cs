namespace LstPipe.Inference;

/// <summary>How a scene is cut into overlapping windows and how their predictions are blended.</summary>
public static class WindowPlan
{
    /// <summary>Window origins along one axis of <paramref name="size"/> pixels: every <paramref name="stride"/>
    /// (rounded down to a multiple of the scale, at least the scale), the last flush with the end.</summary>
    public static List<int> Positions(int size, int window, int stride, int scale)
    {
        stride = Math.Max(scale, stride - stride % scale);
        var p = new List<int>();
        for (var v = 0; v + window < size; v += stride)
        {
            p.Add(v);
        }

        p.Add(size - window);
        return p;
    }

    /// <summary>Blending weights across a window: 1 inside, ramping linearly to near 0 across the overlap at each
    /// edge, so overlapping windows meet without seams.</summary>
    public static float[] Ramp(int window, int overlap)
    {
        var w = new float[window];
        for (var i = 0; i < window; i++)
        {
            w[i] = overlap == 0 ? 1 : Math.Max(1e-3f, Math.Min(1f, Math.Min((i + 0.5f) / overlap, (window - i - 0.5f) / overlap)));
        }

        return w;
    }
}
