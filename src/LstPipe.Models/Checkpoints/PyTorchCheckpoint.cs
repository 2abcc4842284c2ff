using System.Collections;
using LstPipe.Core.Errors;
using static TorchSharp.torch;

namespace LstPipe.Models.Checkpoints;

/// <summary>
/// Weights from a PyTorch <c>.pth</c>/<c>.pt</c> file (<c>torch.save</c>'s zip of a pickle), read with
/// TorchSharp.PyBridge's unpickler: a plain state dict, or an mmagic/mmengine runner checkpoint whose
/// <c>state_dict</c> holds the network under <c>generator.</c> beside <c>meta</c>, <c>message_hub</c> and optimizer
/// entries. Objects of classes the reader does not know (mmengine's message hub, history buffers) are skipped; only
/// tensors are taken.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>Whether a path names a PyTorch checkpoint by its extension.</summary>
    public static bool IsPyTorch(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".pth" or ".pt" or ".ckpt" or ".bin";

    /// <summary>Reads the network's weights (on the CPU) and says which layout the file had.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">The file is not a PyTorch checkpoint or holds no weights.</exception>
    public static (Dictionary<string, Tensor> State, string Layout) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        TorchSetup.EnsureLoaded();
        Hashtable root;
        try
        {
            root = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not LstPipeException)
        {
            throw new DataException($"{path}: not a PyTorch checkpoint that can be read without Python ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }

        var (source, layout) = root["state_dict"] is IDictionary nested ? (nested, "runner checkpoint (state_dict)") : ((IDictionary)root, "state dict");
        var tensors = source.Cast<DictionaryEntry>().Where(e => e.Key is string && e.Value is Tensor).ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!, StringComparer.Ordinal);
        const string generator = "generator.";
        if (tensors.Keys.Any(k => k.StartsWith(generator, StringComparison.Ordinal)))
        {
            tensors = tensors.Where(kv => kv.Key.StartsWith(generator, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[generator.Length..], kv => kv.Value, StringComparer.Ordinal);
            layout = "mmagic runner checkpoint (generator.)";
        }

        if (tensors.Count == 0)
        {
            throw new DataException($"{path}: holds no tensors (neither a state dict nor a runner checkpoint with a state_dict)");
        }

        return (tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32).cpu().DetachFromDisposeScope(), StringComparer.Ordinal), layout);
    }
}
