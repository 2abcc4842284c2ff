using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Cards;
using LstPipe.Raster.Checks;

namespace LstPipe.Inference.Contracts;

/// <summary>A guidance channel as an input describes it: its name (null when the input does not name it) and its
/// kind (null when the input does not say).</summary>
/// <param name="Name">The channel's name.</param>
/// <param name="Kind">What it measures (<see cref="Raster.Scenes.GuidanceChannel.Kind"/>).</param>
public readonly record struct InputChannel(string? Name, string? Kind);

/// <summary>Checks inputs against a model's <see cref="DataContract"/>; every refusal is one usage error that names
/// both sides and the way forward.</summary>
public static class ContractCheck
{
    /// <summary>Relative difference in pixel size tolerated between an input and the contract.</summary>
    public const double ResolutionTolerance = 0.02;

    /// <summary>Matches an input's channels to the model's by name: for each of the model's channels, the index of the
    /// input channel that feeds it. A different order is fine (and <paramref name="note"/> says so); a missing, unnamed
    /// or differently measured channel is refused, and so are names that repeat (<see cref="GuidanceCheck.Names"/>).</summary>
    /// <param name="contract">The model's contract.</param>
    /// <param name="input">The input's channels in its order.</param>
    /// <param name="source">The input, for messages.</param>
    /// <param name="checkpoint">The checkpoint, for messages.</param>
    /// <param name="unnamedFix">How to name an input's channels, for the message when it does not.</param>
    /// <param name="note">What was reordered or left out, or null when the input matches as it is.</param>
    /// <exception cref="UsageException">The input cannot feed the model.</exception>
    /// <exception cref="DataException">The input names a channel twice.</exception>
    public static int[] MatchChannels(DataContract contract, IReadOnlyList<InputChannel> input, string source, string checkpoint,
        string unnamedFix, out string? note)
    {
        var wanted = string.Join(", ", contract.ChannelNames);
        var unnamed = input.Select((c, i) => (c, i)).Where(x => string.IsNullOrWhiteSpace(x.c.Name)).Select(x => x.i + 1).ToArray();
        if (unnamed.Length > 0)
        {
            var which = unnamed.Length == 1 ? $"band {unnamed[0]} has no name" : $"bands {string.Join(", ", unnamed)} have no names";
            throw new UsageException($"{source}: {which}, so they cannot be matched to the guidance " +
                $"channels {checkpoint} was trained on ({wanted}); {unnamedFix}");
        }

        var names = input.Select(c => c.Name!.Trim()).ToArray();
        GuidanceCheck.Names(names, source);

        var order = new int[contract.Guidance.Count];
        for (var k = 0; k < order.Length; k++)
        {
            var want = contract.Guidance[k];
            var at = Array.FindIndex(names, n => string.Equals(n, want.Name, StringComparison.OrdinalIgnoreCase));
            if (at < 0)
            {
                throw new UsageException($"{source}: has no '{want.Name}' channel (it has {string.Join(", ", names)}); " +
                    $"{checkpoint} was trained on {wanted}; give guidance with those channels, or a model trained on these");
            }

            if (input[at].Kind is { } kind && kind != "other" && want.Kind != "other" && kind != want.Kind)
            {
                throw new UsageException($"{source}: its '{want.Name}' is {kind}; {checkpoint} was trained on {want.Kind} '{want.Name}'; " +
                    "give guidance of the kind the model knows, or a model trained on this kind");
            }

            order[k] = at;
        }

        var unused = names.Where((_, i) => !order.Contains(i)).ToArray();
        var reordered = !order.SequenceEqual(Enumerable.Range(0, order.Length));
        note = !reordered && unused.Length == 0 ? null : string.Join("; ", new[]
        {
            reordered ? $"guidance bands matched by name, in the model's order: " +
                $"{string.Join(", ", order.Select((b, k) => $"{contract.Guidance[k].Name} = band {b + 1}"))}" : null,
            unused.Length > 0 ? $"not used by the model: {string.Join(", ", unused)}" : null,
        }.OfType<string>());
        return order;
    }

    /// <summary>Refuses an input whose pixels are not the size of the truth the model was trained on.</summary>
    /// <param name="contract">The model's contract.</param>
    /// <param name="metres">The input's pixel size in metres.</param>
    /// <param name="source">The input, for the message.</param>
    /// <param name="checkpoint">The checkpoint, for the message.</param>
    /// <param name="fix">The way forward for this input (resample it, or another model).</param>
    /// <exception cref="UsageException">The sizes differ by more than <see cref="ResolutionTolerance"/>.</exception>
    /// <param name="what">What has that size, as the message says it (<c>its pixels are</c>, <c>its truth is</c>).</param>
    public static void CheckResolution(DataContract contract, double metres, string source, string checkpoint, string fix,
        string what = "its pixels are")
    {
        if (Math.Abs(metres - contract.TruthResolutionMetres) <= ResolutionTolerance * contract.TruthResolutionMetres)
        {
            return;
        }

        throw new UsageException(string.Create(CultureInfo.InvariantCulture,
            $"{source}: {what} {metres:0.##} m; {checkpoint} was trained on {contract.TruthResolutionMetres:0.##} m truth and guidance " +
            $"(x{contract.Scale} from {contract.LrResolutionMetres:0.##} m); {fix}"));
    }

    /// <summary>Checks a dataset against a model's contract: its channels (matched by name), its truth's pixel size
    /// and, through <paramref name="note"/>, how differently its truth was made.</summary>
    /// <returns>For each of the model's channels, the index of the dataset's channel that feeds it.</returns>
    /// <exception cref="UsageException">The dataset is not one the model was trained for.</exception>
    public static int[] MatchDataset(DataContract contract, DatasetCard card, string dataset, string checkpoint, Action<string> note)
    {
        var order = MatchChannels(contract, card.Guidance.Select(g => new InputChannel(g.Name, g.Kind)).ToArray(), dataset, checkpoint,
            "rebuild its card with 'lstpipe crop'", out var matched);
        if (matched is not null)
        {
            note(matched);
        }

        CheckResolution(contract, card.BaseResolutionMetres, dataset, checkpoint, string.Create(CultureInfo.InvariantCulture,
            $"test it on a dataset with {contract.TruthResolutionMetres:0.##} m truth, or test a model trained on " +
                $"{card.BaseResolutionMetres:0.##} m truth"),
            "its truth is");
        var here = DataContract.FromCard(card, contract.Scale, contract.Normalization, null).Truth;
        if (here.Method != contract.Truth.Method || here.Sensor != contract.Truth.Sensor)
        {
            note($"truth: this dataset's is {here.Describe()}; the model was trained on {contract.Truth.Describe()}");
        }

        return order;
    }
}
