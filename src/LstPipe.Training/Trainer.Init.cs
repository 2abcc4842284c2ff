using LstPipe.Core.Errors;
using LstPipe.Dataset.Cards;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Models;

namespace LstPipe.Training;

/// <summary>Fine-tuning: a run that starts from given weights (<c>--init</c>).</summary>
public static partial class Trainer
{
    /// <summary>The model of <c>--init</c> on the options' device and, for each of its channels, the dataset channel that
    /// feeds it (matched by name). Its configuration and normalization are kept; the options must not ask for another.</summary>
    /// <exception cref="UsageException">The weights' data contract does not fit the dataset, or the options ask for another
    /// model, scale or width than the weights have.</exception>
    private static (Downscaler Model, int[] Channels) StartFrom(TrainOptions options, DatasetCard card)
    {
        var init = options.Init!;
        if (!File.Exists(init))
        {
            throw new UsageException($"--init {init}: no such checkpoint; give a best.safetensors of 'lstpipe train' or a GrokLST .pth");
        }

        TorchSetup.EnsureLoaded();
        var model = Downscaler.Load(init);
        try
        {
            var spec = model.Spec.MoCoLsk;
            var mocolsk = model.Spec.Name == "mocolsk";
            (string Option, object Theirs, object Ours)[] fixedByWeights =
            [
                ("--model", model.Spec.Name, options.Model),
                ("--scale", spec.Scale, options.Scale),
                ("--num-feats", mocolsk ? spec.NumFeats : options.NumFeats, options.NumFeats),
                ("--n-resblocks", mocolsk ? spec.NResblocks : options.NResblocks, options.NResblocks),
                ("--reduction", mocolsk ? spec.Reduction : options.Reduction, options.Reduction),
            ];
            var wrong = fixedByWeights.Where(f => !Equals(f.Theirs, f.Ours)).ToArray();
            if (wrong.Length > 0)
            {
                throw new UsageException($"--init {init}: the weights are {Describe(fixedByWeights)}, the options ask for " +
                    $"{string.Join(", ", wrong.Select(w => $"{w.Option} {w.Ours}"))}; pass " +
                    $"{string.Join(" ", wrong.Select(w => $"{w.Option} {w.Theirs}"))}");
            }

            var contract = model.Contract ?? throw new UsageException($"--init {init}: records no data contract, so its channels " +
                "cannot be matched to the dataset's; re-save it with 'lstpipe convert CHECKPOINT NEW.safetensors --dataset DATASET'");
            var channels = ContractCheck.MatchDataset(contract, card, options.Dataset, init, _ => { });
            return (OnDevice(model, options, card), channels);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>For a resumed run that started from given weights, the dataset channel feeding each of the model's;
    /// null for a run that started from a seeded initialization on the dataset's own channels.</summary>
    private static int[]? ResumedChannels(TrainOptions options, Downscaler model, DatasetCard card) =>
        options.Init is not null && model.Contract is { } contract
            ? ContractCheck.MatchDataset(contract, card, options.Dataset, options.Init, _ => { })
            : null;

    private static string Describe((string Option, object Theirs, object Ours)[] spec) =>
        string.Join(" ", spec.Select(f => $"{f.Option} {f.Theirs}"));
}
