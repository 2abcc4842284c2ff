using LstPipe.Inference;

namespace LstPipe.Inference.Tests;

public class ConsistencyTests
{
    /// <summary>A fine field whose blocks spread about 0.5 K (as 30 m LST within 120 m does away from edges) and an
    /// unrelated coarse field.</summary>
    private static (float[] Fine, float[] Coarse) Field(int coarseWidth, int coarseHeight, int scale, int seed)
    {
        var random = new Random(seed);
        var width = coarseWidth * scale;
        var fine = Enumerable.Range(0, width * coarseHeight * scale).Select(_ => (float)(292 + (1.7 * random.NextDouble()))).ToArray();
        var coarse = Enumerable.Range(0, coarseWidth * coarseHeight).Select(_ => (float)(288 + (12 * random.NextDouble()))).ToArray();
        return (fine, coarse);
    }

    private static double BlockMean(float[] fine, int width, int scale, int bx, int by, Func<double, double> f)
    {
        var values = new List<double>();
        for (var r = by * scale; r < (by + 1) * scale; r++)
        {
            for (var c = bx * scale; c < (bx + 1) * scale; c++)
            {
                if (!float.IsNaN(fine[(r * width) + c]))
                {
                    values.Add(f(fine[(r * width) + c]));
                }
            }
        }

        return values.Average();
    }

    [Fact]
    public void Additive_makes_every_block_mean_the_coarse_pixel_and_keeps_the_detail()
    {
        var (fine, coarse) = Field(5, 3, 4, 1);
        var before = fine.ToArray();
        Assert.True(Consistency.Error(fine, 20, coarse, 4) > 1);
        Consistency.Apply(fine, 20, coarse, 4, ConsistencyMode.Additive);
        for (var i = 0; i < coarse.Length; i++)
        {
            Assert.True(Math.Abs(coarse[i] - BlockMean(fine, 20, 4, i % 5, i / 5, v => v)) < 1e-3);
        }

        Assert.True(Consistency.Error(fine, 20, coarse, 4) < 1e-3);
        var shift = fine[0] - before[0];
        Assert.True(Math.Abs(shift - (fine[1] - before[1])) < 1e-3);
    }

    [Fact]
    public void Radiance_conserves_the_mean_of_t4_per_block_and_the_mean_of_t_to_a_few_millikelvin()
    {
        var (fine, coarse) = Field(6, 4, 8, 2);
        fine[3] = float.NaN;
        coarse[7] = float.NaN;
        var untouched = Enumerable.Range(0, 8).Select(k => fine[(8 * 48) + 8 + k]).ToArray();
        Consistency.Apply(fine, 48, coarse, 8, ConsistencyMode.Radiance);
        for (var i = 0; i < coarse.Length; i++)
        {
            if (float.IsNaN(coarse[i]))
            {
                continue;
            }

            var radiant = Math.Pow(BlockMean(fine, 48, 8, i % 6, i / 6, v => Math.Pow(v, 4)), 0.25);
            Assert.True(Math.Abs(radiant - coarse[i]) < 1e-3, $"block {i}: {radiant} against {coarse[i]}");
            Assert.True(Math.Abs(BlockMean(fine, 48, 8, i % 6, i / 6, v => v) - coarse[i]) < 0.01);
        }

        Assert.True(float.IsNaN(fine[3]));
        Assert.Equal(untouched, Enumerable.Range(0, 8).Select(k => fine[(8 * 48) + 8 + k]).ToArray());
        Assert.True(Consistency.Error(fine, 48, coarse, 8) < 0.01);
    }

    [Fact]
    public void The_error_is_the_rmse_of_block_means_over_blocks_with_data()
    {
        float[] fine = [300, 302, 290, 290, 300, 302, 290, 290];
        float[] coarse = [300, float.NaN];
        Assert.Equal(1.0, Consistency.Error(fine, 4, coarse, 2), 6);
        Assert.Equal(Math.Sqrt((1 + 9) / 2.0), Consistency.Error(fine, 4, [300, 293], 2), 6);
        Assert.Throws<Core.Errors.UsageException>(() => Consistency.Parse("exact"));
    }
}
