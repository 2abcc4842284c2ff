using System.Globalization;
using LstPipe.Core.Units;

namespace LstPipe.Inference;

/// <summary>An input value that makes a network's output non-finite: a coarse LST pixel that is not finite or not a
/// land-surface temperature, or a guidance value that is not finite or lies so far from the channel's normalization
/// (more than <see cref="NonFiniteDiagnosis.MaxNormalized"/> divisors) that no network can take it.</summary>
/// <param name="Channel">The guidance channel's index in the model's order; null for the coarse LST.</param>
/// <param name="Column">Its column in the tile (the LR grid for the coarse LST, the HR grid for guidance).</param>
/// <param name="Row">Its row in the tile.</param>
/// <param name="Value">The value as read: kelvin for the LST, the channel's unit for guidance.</param>
public readonly record struct InputFault(int? Channel, int Column, int Row, double Value)
{
    /// <summary>The value with the reason it is refused: <c>Infinity</c>, <c>NaN</c>, or <c>1e+30 K (outside 150-400 K)</c>.</summary>
    public string Describe()
    {
        var v = Value.ToString("G6", CultureInfo.InvariantCulture);
        return !double.IsFinite(Value) ? v
            : Channel is null ? string.Create(CultureInfo.InvariantCulture,
                $"{v} K (outside the {LstUnits.MinPlausibleKelvin:0}-{LstUnits.MaxPlausibleKelvin:0} K of any land surface)")
            : $"{v} (over {NonFiniteDiagnosis.MaxNormalized:0e0} times the channel's normalization divisor from its shift)";
    }
}

/// <summary>Finds where a network's output is not finite and, where an input caused it, which input pixel: the weights
/// are blamed only when every input of the tile was finite and in range.</summary>
public static class NonFiniteDiagnosis
{
    /// <summary>How far a normalized guidance value may lie from 0 before it is named as the cause.</summary>
    public const double MaxNormalized = 1e6;

    /// <summary>The first non-finite value of one tile of a prediction where <paramref name="use"/> allows (null:
    /// everywhere): its column and row, or null when all are finite.</summary>
    public static (int Column, int Row, float Value)? Find(ReadOnlySpan<float> prediction, int size, Func<int, bool>? use = null)
    {
        for (var i = 0; i < prediction.Length; i++)
        {
            if (!float.IsFinite(prediction[i]) && (use is null || use(i)))
            {
                return (i % size, i / size, prediction[i]);
            }
        }

        return null;
    }

    /// <summary>What to blame when every input was finite and in range: the engine when a second run of the same batch
    /// is finite (it computed the same inputs two ways), else the weights or the engine.</summary>
    /// <param name="model">The model that ran the batch.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="tile">The tile whose output was not finite.</param>
    /// <param name="use">The output pixels that count (null: all).</param>
    /// <returns>The clause for the message, from "where every input ...".</returns>
    public static string Blame(IDownscaler model, TileBatch batch, int tile, Func<int, bool>? use)
    {
        var plane = batch.HrSize * batch.HrSize;
        var again = model.Predict(batch);
        return Find(again.AsSpan(tile * plane, plane), batch.HrSize, use) is not null
            ? "where every input is finite and in range, and again when run a second time (the checkpoint's weights, or the " +
                "engine, give non-finite values on valid inputs: run once more, and if it persists check the weights or train again)"
            : $"where every input is finite and in range, but not when run a second time: {model.Engine} computed the same " +
                "inputs two ways (a fault of the engine or the machine, not of the data or the weights)";
    }

    /// <summary>The input of tile <paramref name="tile"/> of a batch nearest to HR pixel (<paramref name="column"/>,
    /// <paramref name="row"/>) that no network can take, or null when every input is finite and in range.</summary>
    /// <param name="batch">The batch the network was given (guidance normalized).</param>
    /// <param name="tile">The tile in the batch.</param>
    /// <param name="norm">The normalization the guidance was given, to report values as read.</param>
    /// <param name="column">The output's column the fault is sought near.</param>
    /// <param name="row">The output's row.</param>
    public static InputFault? Cause(TileBatch batch, int tile, Normalization norm, int column, int row)
    {
        var scale = batch.HrSize / batch.LrSize;
        InputFault? best = null;
        var distance = int.MaxValue;
        void Consider(int? channel, int c, int r, double value, int step)
        {
            var d = Math.Max(Math.Abs((c * step) + (step / 2) - column), Math.Abs((r * step) + (step / 2) - row));
            if (d < distance)
            {
                (best, distance) = (new InputFault(channel, c, r, value), d);
            }
        }

        var lr = batch.LrOf(tile);
        for (var i = 0; i < lr.Length; i++)
        {
            if (!LstUnits.IsPlausible(lr[i]))
            {
                Consider(null, i % batch.LrSize, i / batch.LrSize, lr[i], scale);
            }
        }

        var plane = batch.HrSize * batch.HrSize;
        for (var k = 0; k < batch.Channels; k++)
        {
            var g = batch.Guidance.AsSpan(((tile * batch.Channels) + k) * plane, plane);
            for (var i = 0; i < g.Length; i++)
            {
                if (!float.IsFinite(g[i]) || Math.Abs(g[i]) > MaxNormalized)
                {
                    Consider(k, i % batch.HrSize, i / batch.HrSize, (g[i] * norm.GuidanceDivisor[k]) + norm.GuidanceShift[k], 1);
                }
            }
        }

        return best;
    }
}
