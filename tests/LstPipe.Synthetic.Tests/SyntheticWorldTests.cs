using LstPipe.Core.Units;

namespace LstPipe.Synthetic.Tests;

/// <summary>The synthetic world must be physically plausible, since tests and benchmarks of every stage use it.</summary>
public class SyntheticWorldTests
{
    private const int Size = 512;
    private static readonly Lazy<(float[] Lst, float[] Guidance, LandCover[] Cover)> Scene = new(() =>
    {
        var world = new SyntheticWorld(seed: 0, pixelSizeMetres: 30, seaLevelAirTemperatureK: 298);
        var lst = new float[Size * Size];
        var guidance = new float[Size * Size * SyntheticWorld.ChannelCount];
        var cover = new LandCover[Size * Size];
        world.Fill(new PixelWindow(0, 0, Size, Size), lst, guidance, cover);
        return (lst, guidance, cover);
    });

    private static ReadOnlySpan<float> Channel(int index) => Scene.Value.Guidance.AsSpan(index * Size * Size, Size * Size);

    [Fact]
    public void Lst_stays_in_the_published_range()
    {
        Assert.All(Scene.Value.Lst, t => Assert.InRange(t, 240f, 325f));
    }

    [Fact]
    public void Reflectances_are_physical_and_indices_follow_from_them()
    {
        var green = Channel(3).ToArray();
        var red = Channel(4).ToArray();
        var nir = Channel(6).ToArray();
        var ndvi = Channel(8).ToArray();
        var ndwi = Channel(9).ToArray();
        for (var b = 1; b <= 6; b++)
        {
            foreach (var v in Channel(b))
            {
                Assert.InRange(v, 0f, 1f);
            }
        }

        for (var i = 0; i < red.Length; i += 97)
        {
            Assert.Equal((nir[i] - red[i]) / (nir[i] + red[i]), ndvi[i], 1e-6f);
            Assert.Equal((green[i] - nir[i]) / (green[i] + nir[i]), ndwi[i], 1e-6f);
        }
    }

    [Fact]
    public void Land_surface_is_colder_higher_up()
    {
        Assert.True(Correlation(Scene.Value.Lst, Channel(0).ToArray()) < -0.3);
    }

    [Fact]
    public void Bare_and_urban_land_is_warmer_than_forest_and_water_is_green_poor()
    {
        var (lst, _, cover) = Scene.Value;
        var dem = Channel(0).ToArray();
        var ndvi = Channel(8).ToArray();

        // Compare classes after removing the lapse rate, so terrain does not decide the outcome.
        double Mean(params LandCover[] classes) => Enumerable.Range(0, lst.Length)
            .Where(i => classes.Contains(cover[i])).Select(i => lst[i] + 0.0065 * dem[i]).Average();
        Assert.True(cover.Distinct().Count() >= 4, "at least four land-cover classes in a 512 px scene");
        Assert.True(Mean(LandCover.Bare, LandCover.Urban) > Mean(LandCover.Forest) + 2);
        var water = Enumerable.Range(0, lst.Length).Where(i => cover[i] == LandCover.Water).ToList();
        if (water.Count > 0)
        {
            Assert.All(water, i => Assert.True(ndvi[i] < 0));
        }
    }

    private static double Correlation(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }
}
