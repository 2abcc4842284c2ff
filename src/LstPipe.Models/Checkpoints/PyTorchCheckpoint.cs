using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using LstPipe.Core.Compression;
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
    /// <exception cref="DataException">The file is not a PyTorch checkpoint (a zip whose entries match their CRC-32) or
    /// holds no weights.</exception>
    public static (Dictionary<string, Tensor> State, string Layout) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        CheckArchive(path);
        TorchSetup.EnsureLoaded();
        Hashtable root;
        try
        {
            root = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not LstPipeException)
        {
            throw new DataException($"{path}: not a PyTorch checkpoint that can be read without Python ({e.GetType().Name}: " +
                $"{e.Message.Split('\n')[0]})");
        }

        var (source, layout) = root["state_dict"] is IDictionary nested ? (nested, "runner checkpoint " +
            "(state_dict)") : ((IDictionary)root, "state dict");
        var tensors = source.Cast<DictionaryEntry>().Where(e => e.Key is string && e.Value is Tensor).ToDictionary(e
            => (string)e.Key, e => (Tensor)e.Value!, StringComparer.Ordinal);
        const string generator = "generator.";
        if (tensors.Keys.Any(k => k.StartsWith(generator, StringComparison.Ordinal)))
        {
            tensors = tensors.Where(kv => kv.Key.StartsWith(generator,
                StringComparison.Ordinal)).ToDictionary(kv => kv.Key[generator.Length..], kv => kv.Value, StringComparer.Ordinal);
            layout = "mmagic runner checkpoint (generator.)";
        }

        if (tensors.Count == 0)
        {
            throw new DataException($"{path}: holds no tensors (neither a state dict nor a runner checkpoint with a state_dict)");
        }

        return (tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32).cpu().DetachFromDisposeScope(),
            StringComparer.Ordinal), layout);
    }

    /// <summary>Throws unless the file is a zip whose every entry matches its CRC-32 (what Python's
    /// <c>zipfile.testzip()</c> checks), before anything is unpickled.</summary>
    private static void CheckArchive(string path)
    {
        var head = new byte[9];
        int read;
        using (var s = File.OpenRead(path))
        {
            read = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4)
        {
            throw new DataException(read == 9 && head[8] == '{'
                && BinaryPrimitives.ReadUInt64LittleEndian(head) < (ulong)new FileInfo(path).Length
                ? $"{path}: a safetensors file, not a PyTorch checkpoint; train, test and predict read it as it is (no convert needed)"
                : read > 0 && head[0] == 0x80
                    ? $"{path}: a PyTorch checkpoint in the legacy (before 1.6) format, which is not read; save it again with " +
                        $"torch.save in PyTorch 1.6 or later"
                    : $"{path}: not a PyTorch checkpoint (the zip torch.save writes) nor a safetensors file");
        }

        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries)
            {
                uint crc;
                try
                {
                    using var data = entry.Open();
                    crc = Crc32.Of(data).Crc;
                }
                catch (InvalidDataException)
                {
                    crc = ~entry.Crc32;
                }

                if (crc != entry.Crc32)
                {
                    throw new DataException($"{path}: entry '{entry.FullName}' does not match its CRC-32 (the file is corrupt: " +
                        $"a flipped bit or a bad copy); copy or download it again");
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{path}: a damaged zip, not a PyTorch checkpoint that can be read ({e.Message.Split('\n')[0]})");
        }
    }
}
