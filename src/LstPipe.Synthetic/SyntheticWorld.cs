using LstPipe.Core.Units;

namespace LstPipe.Synthetic;

/// <summary>
/// The synthetic world of one seed: every field is a pure function of the pixel position, so a strip's values do not
/// depend on how the scene is cut into strips, and a smaller scene of the same seed is the top-left corner of a larger one.
/// <list type="bullet">
/// <item>Terrain: fractal gradient noise plus ridged noise, 150 - 3,750 m.</item>
/// <item>Land cover: domain-warped Voronoi patches whose class follows elevation, moisture and an urban field.</item>
/// <item>Reflectance: per-class spectra with texture, vegetation vigour and terrain illumination.</item>
/// <item>LST: air temperature minus a 6.5 K/km lapse rate, plus class, illumination and vegetation terms, 240 - 325 K.</item>
/// </list>
/// </summary>
internal sealed class SyntheticWorld
{
    /// <summary>Dark-object reflectances used by NDMVI (the darkest red and NIR expected in shadow).</summary>
    public const float NdmviRedMin = 0.01f;

    /// <summary>See <see cref="NdmviRedMin"/>.</summary>
    public const float NdmviNirMin = 0.01f;

    private const int CellSize = 40;
    private const double WarpAmplitude = 14;
    private const double SunAzimuthDegrees = 135;
    private const double SunElevationDegrees = 50;

    private readonly uint _seed;
    private double[]? _elevation;
    private readonly double _pixelSize;
    private readonly double _seaLevelAirK;
    private readonly double _sunX;
    private readonly double _sunY;
    private readonly double _sunZ;

    public SyntheticWorld(int seed, double pixelSizeMetres, double seaLevelAirTemperatureK)
    {
        _seed = unchecked((uint)seed * 2654435761u + 0x51ED270Bu);
        _pixelSize = pixelSizeMetres;
        _seaLevelAirK = seaLevelAirTemperatureK;
        var az = SunAzimuthDegrees * Math.PI / 180;
        var el = SunElevationDegrees * Math.PI / 180;
        _sunX = Math.Sin(az) * Math.Cos(el);
        _sunY = Math.Cos(az) * Math.Cos(el);
        _sunZ = Math.Sin(el);
    }

    public const int ChannelCount = 10;

    /// <summary>Elevation in metres at a pixel position.</summary>
    public double Elevation(double x, double y)
    {
        var e = Noise.Fbm(x, y, _seed + 1, 8, 700);
        var ridge = 1 - Math.Abs(Noise.Fbm(x, y, _seed + 2, 5, 1600));
        var continent = Noise.Fbm(x, y, _seed + 3, 3, 5000);
        var t = Math.Clamp(0.42 + 0.45 * e + 0.5 * (ridge * ridge - 0.5) + 0.45 * continent, 0, 1);
        return 150 + 3600 * Math.Pow(t, 1.6);
    }

    /// <summary>Fills one window: LST in Kelvin and the ten GrokLST guidance channels (band-major, each
    /// <c>window.Area</c> long, starting at index 0). Rows are computed in parallel; the elevation scratch is reused
    /// between calls, so one world fills one window at a time.</summary>
    public void Fill(PixelWindow window, float[] lst, float[] guidance, LandCover[]? cover = null)
    {
        var w = window.Width;
        var h = window.Height;
        var area = w * h;
        if (lst.Length < area || guidance.Length < area * ChannelCount)
        {
            throw new ArgumentException("buffers are smaller than the window");
        }

        var hw = w + 2;
        var elevation = _elevation is { } e && e.Length >= (h + 2) * hw ? e : _elevation = new double[(h + 2) * hw];
        Parallel.For(0, h + 2, r =>
        {
            var y = window.Y - 1 + r;
            for (var c = 0; c < hw; c++)
            {
                elevation[r * hw + c] = Elevation(window.X - 1 + c, y);
            }
        });

        var cells = new CellClasses(this, window);
        Parallel.For(0, h, r =>
        {
            for (var c = 0; c < w; c++)
            {
                FillPixel(window.X + c, window.Y + r, elevation, hw, r + 1, c + 1, cells, lst, guidance, r * w + c, area, cover);
            }
        });
    }

    private void FillPixel(int x, int y, double[] elevation, int hw, int er, int ec, CellClasses cells,
        float[] lst, float[] guidance, int i, int area, LandCover[]? coverOut)
    {
        var z = elevation[er * hw + ec];
        var dzEast = (elevation[er * hw + ec + 1] - elevation[er * hw + ec - 1]) / (2 * _pixelSize);
        var dzNorth = (elevation[(er - 1) * hw + ec] - elevation[(er + 1) * hw + ec]) / (2 * _pixelSize);
        var norm = Math.Sqrt(dzEast * dzEast + dzNorth * dzNorth + 1);
        var cosIncidence = Math.Max(0, (-dzEast * _sunX - dzNorth * _sunY + _sunZ) / norm);
        var illumination = Math.Clamp(cosIncidence / _sunZ, 0.15, 1.5);

        var cover = cells.At(x, y);
        if (coverOut is not null)
        {
            coverOut[i] = cover;
        }

        var texture = Noise.Fbm(x, y, _seed + 8, 3, 24);
        var vigour = 0.5 + 0.5 * Noise.Fbm(x, y, _seed + 9, 3, 200);
        var spectrum = LandCoverProperties.Reflectance[(int)cover];
        var isVegetation = cover is LandCover.Forest or LandCover.Cropland or LandCover.Grassland;
        var shade = cover == LandCover.Water ? 1.0 : Math.Pow(illumination, 0.8);
        Span<float> refl = stackalloc float[6];
        for (var b = 0; b < 6; b++)
        {
            var v = spectrum[b] * (1 + 0.12 * texture) * shade;
            if (isVegetation && b == 5)
            {
                v *= 0.75 + 0.5 * vigour;
            }
            else if (isVegetation && b == 3)
            {
                v *= 1.25 - 0.5 * vigour;
            }

            refl[b] = (float)Math.Clamp(v, 0.001, 0.99);
        }

        var green = refl[2];
        var red = refl[3];
        var nir = refl[5];
        var ndvi = (nir - red) / (nir + red);
        var ndwi = (green - nir) / (green + nir);
        var nirD = Math.Max(0, nir - NdmviNirMin);
        var redD = Math.Max(0, red - NdmviRedMin);
        var ndmvi = nirD + redD > 0 ? (nirD - redD) / (nirD + redD) : 0;

        var t = _seaLevelAirK - 0.0065 * z + LandCoverProperties.LstOffset[(int)cover];
        if (cover != LandCover.Water)
        {
            t += 5 * (illumination - 1) + 3 * (1 - ndvi);
        }

        t += 0.8 * Noise.Fbm(x, y, _seed + 10, 2, 12) + 1.5 * Noise.Fbm(x, y, _seed + 11, 3, 300);
        lst[i] = (float)Math.Clamp(t, 240, 325);

        guidance[i] = (float)z;
        for (var b = 0; b < 6; b++)
        {
            guidance[(b + 1) * area + i] = refl[b];
        }

        guidance[7 * area + i] = ndmvi;
        guidance[8 * area + i] = ndvi;
        guidance[9 * area + i] = ndwi;
    }

    private LandCover ClassifyCell(int cx, int cy, double fx, double fy)
    {
        var z = Elevation(fx, fy);
        var moisture = Noise.Fbm(fx, fy, _seed + 4, 4, 1200);
        var urban = Noise.Fbm(fx, fy, _seed + 5, 3, 2500);
        var snowline = 3150 + 250 * Noise.Fbm(fx, fy, _seed + 12, 2, 3000);
        var r = Noise.Uniform(cx, cy, _seed + 21);
        if (z > snowline)
        {
            return LandCover.Snow;
        }

        if (moisture > 0.30 && z < 1400)
        {
            return LandCover.Water;
        }

        if (urban > 0.25 && z < 1600 && r < 0.75)
        {
            return LandCover.Urban;
        }

        if (z > 2600)
        {
            return r < 0.6 ? LandCover.Bare : LandCover.Grassland;
        }

        var forest = 0.25 + Math.Max(0, moisture) * 1.5;
        var crop = z < 1200 ? 0.35 : 0.05;
        var grass = 0.3;
        var bare = 0.08 + Math.Max(0, -moisture) * 0.8;
        var clustered = 0.5 + 0.7 * Noise.Fbm(fx, fy, _seed + 24, 2, 350) + 0.3 * (Noise.Uniform(cx, cy, _seed + 22) - 0.5);
        var pick = Math.Clamp(clustered, 0, 0.9999) * (forest + crop + grass + bare);
        return pick < forest ? LandCover.Forest
            : pick < forest + crop ? LandCover.Cropland
            : pick < forest + crop + grass ? LandCover.Grassland
            : LandCover.Bare;
    }

    /// <summary>The land-cover class of every Voronoi cell that can reach a window, computed once per window.</summary>
    private sealed class CellClasses
    {
        private readonly SyntheticWorld _world;
        private readonly int _cx0;
        private readonly int _cy0;
        private readonly int _nx;
        private readonly LandCover[] _classes;

        public CellClasses(SyntheticWorld world, PixelWindow window)
        {
            _world = world;
            var margin = (int)Math.Ceiling(WarpAmplitude) + 1;
            _cx0 = FloorDiv(window.X - margin, CellSize) - 1;
            _cy0 = FloorDiv(window.Y - margin, CellSize) - 1;
            var cx1 = FloorDiv(window.Right + margin, CellSize) + 1;
            var cy1 = FloorDiv(window.Bottom + margin, CellSize) + 1;
            _nx = cx1 - _cx0 + 1;
            var ny = cy1 - _cy0 + 1;
            _classes = new LandCover[_nx * ny];
            Parallel.For(0, ny, j =>
            {
                for (var i = 0; i < _nx; i++)
                {
                    var cx = _cx0 + i;
                    var cy = _cy0 + j;
                    var (fx, fy) = world.FeaturePoint(cx, cy);
                    _classes[j * _nx + i] = world.ClassifyCell(cx, cy, fx, fy);
                }
            });
        }

        public LandCover At(int x, int y)
        {
            var wx = x + WarpAmplitude * Noise.Fbm(x, y, _world._seed + 6, 3, 48);
            var wy = y + WarpAmplitude * Noise.Fbm(x, y, _world._seed + 7, 3, 48);
            var cx = (int)Math.Floor(wx / CellSize);
            var cy = (int)Math.Floor(wy / CellSize);
            var best = double.MaxValue;
            int bx = cx, by = cy;
            for (var j = -1; j <= 1; j++)
            {
                for (var i = -1; i <= 1; i++)
                {
                    var (fx, fy) = _world.FeaturePoint(cx + i, cy + j);
                    var d = (fx - wx) * (fx - wx) + (fy - wy) * (fy - wy);
                    if (d < best)
                    {
                        best = d;
                        bx = cx + i;
                        by = cy + j;
                    }
                }
            }

            return _classes[(by - _cy0) * _nx + (bx - _cx0)];
        }

        private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
    }

    private (double X, double Y) FeaturePoint(int cx, int cy) =>
        ((cx + Noise.Uniform(cx, cy, _seed + 20)) * CellSize, (cy + Noise.Uniform(cx, cy, _seed + 23)) * CellSize);
}
