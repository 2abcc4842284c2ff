namespace LstPipe.Synthetic;

/// <summary>Hash-based gradient noise and fractal sums of it. Pure functions of (seed, x, y): any pixel can be
/// evaluated on its own, so a scene can be generated strip by strip, in parallel, with identical results.</summary>
internal static class Noise
{
    private static readonly double[] GradX = Enumerable.Range(0, 16).Select(i => Math.Cos(i * Math.PI / 8)).ToArray();
    private static readonly double[] GradY = Enumerable.Range(0, 16).Select(i => Math.Sin(i * Math.PI / 8)).ToArray();

    /// <summary>A well-mixed 32-bit hash of a lattice point and a seed.</summary>
    public static uint Hash(int x, int y, uint seed)
    {
        var h = seed * 0x9E3779B1u;
        h ^= (uint)x * 0x85EBCA77u;
        h = (h << 13) | (h >> 19);
        h ^= (uint)y * 0xC2B2AE3Du;
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return h;
    }

    /// <summary>A uniform value in [0, 1) from a lattice point.</summary>
    public static double Uniform(int x, int y, uint seed) => (Hash(x, y, seed) >> 8) * (1.0 / (1 << 24));

    /// <summary>Gradient (Perlin-style) noise in roughly [-1, 1].</summary>
    public static double Gradient(double x, double y, uint seed)
    {
        var xf = Math.Floor(x);
        var yf = Math.Floor(y);
        var x0 = (int)xf;
        var y0 = (int)yf;
        var dx = x - xf;
        var dy = y - yf;
        var u = Fade(dx);
        var v = Fade(dy);
        var n00 = Dot(x0, y0, seed, dx, dy);
        var n10 = Dot(x0 + 1, y0, seed, dx - 1, dy);
        var n01 = Dot(x0, y0 + 1, seed, dx, dy - 1);
        var n11 = Dot(x0 + 1, y0 + 1, seed, dx - 1, dy - 1);
        var a = n00 + u * (n10 - n00);
        var b = n01 + u * (n11 - n01);
        return 1.41 * (a + v * (b - a));
    }

    /// <summary>Fractal Brownian motion: <paramref name="octaves"/> octaves of gradient noise, each twice the
    /// frequency and half the amplitude of the last, normalized to roughly [-1, 1].</summary>
    public static double Fbm(double x, double y, uint seed, int octaves, double period)
    {
        double sum = 0, amplitude = 1, norm = 0, f = 1 / period;
        for (var o = 0; o < octaves; o++)
        {
            sum += amplitude * Gradient(x * f, y * f, seed + (uint)o * 1013u);
            norm += amplitude;
            amplitude *= 0.5;
            f *= 2;
        }

        return sum / norm;
    }

    private static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);

    private static double Dot(int ix, int iy, uint seed, double dx, double dy)
    {
        var g = Hash(ix, iy, seed) & 15;
        return GradX[g] * dx + GradY[g] * dy;
    }
}
