using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Inference;
using LstPipe.Training;

namespace LstPipe.Inference.Tests;

/// <summary>Checkpoints edited or damaged by hand: each is one short data error naming the file, never an
/// unexpected exception or a message that quotes the damage.</summary>
[Collection(SeededTorch.Name)]
public class DownscalerTests
{
    private static string Saved(TempDir dir)
    {
        var path = dir.File("good.safetensors");
        using var d = Downscaler.Create(new TrainOptions { Dataset = "unused", Output = "unused", NumFeats = 8, NResblocks = 1, Reduction = 4 }.Spec, Normalization.GrokLst(4), LstPipe.Inference.Contracts.DataContract.GrokLst(4));
        d.Save(path);
        return path;
    }

    /// <summary>Rewrites a safetensors header (the data block is kept) and returns the new file.</summary>
    private static string Edited(TempDir dir, string good, string name, Action<JsonObject> edit)
    {
        var bytes = File.ReadAllBytes(good);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(bytes.AsSpan(8, length))!.AsObject();
        edit(header);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var output = new byte[8 + padded + bytes.Length - 8 - length];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        json.CopyTo(output, 8);
        output.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        bytes.AsSpan(8 + length).CopyTo(output.AsSpan(8 + padded));
        var path = dir.File(name + ".safetensors");
        File.WriteAllBytes(path, output);
        return path;
    }

    private static void Meta(JsonObject h, string key, Func<string, string> edit) =>
        h["__metadata__"]![key] = edit(h["__metadata__"]![key]!.GetValue<string>());

    public static TheoryData<string, string> Damage => new()
    {
        { "garbage-config", "its lstpipe.model metadata is not valid" },
        { "null-config", "its lstpipe.model metadata is not valid" },
        { "wrong-type-normalization", "its lstpipe.normalization metadata is not valid at $.lstMean" },
        { "empty-normalization", "its lstpipe.normalization metadata is not valid" },
        { "no-config", "has no lstpipe.model in its metadata" },
        { "scale-disagrees", "its metadata disagrees with itself (model x4 with 10 guidance channels, normalization x2 with 10)" },
        { "huge-width", "its model configuration is not one lstpipe can build (--num-feats 100000000" },
        { "unknown-model", "its model configuration is not one lstpipe can build (--model zzz" },
        { "transposed-shape", "lst_stem.weight has shape" },
        { "contract-disagrees", "its lstpipe.contract metadata disagrees with the model (x8, 10 channels; the model is x4 with 10)" },
        { "garbage-contract", "its lstpipe.contract metadata is not valid" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void A_damaged_checkpoint_is_one_short_data_error_naming_the_file(string damage, string message)
    {
        using var dir = new TempDir();
        var good = Saved(dir);
        using (Downscaler.Load(good))
        {
        }

        var bad = Edited(dir, good, damage, h =>
        {
            switch (damage)
            {
                case "garbage-config": Meta(h, Downscaler.ConfigKey, _ => new string('x', 12_000)); break;
                case "null-config": Meta(h, Downscaler.ConfigKey, _ => "null"); break;
                case "wrong-type-normalization": Meta(h, Downscaler.NormalizationKey, _ => "{\"lstMean\": \"abc\"" + new string(' ', 12_000) + "}"); break;
                case "empty-normalization": Meta(h, Downscaler.NormalizationKey, _ => "{}"); break;
                case "no-config": h["__metadata__"]!.AsObject().Remove(Downscaler.ConfigKey); break;
                case "scale-disagrees": Meta(h, Downscaler.NormalizationKey, s => s.Replace("\"scale\": 4", "\"scale\": 2")); break;
                case "huge-width": Meta(h, Downscaler.ConfigKey, s => s.Replace("\"numFeats\": 8", "\"numFeats\": 100000000")); break;
                case "unknown-model": Meta(h, Downscaler.ConfigKey, s => s.Replace("\"mocolsk\"", "\"zzz\"")); break;
                case "contract-disagrees": Meta(h, LstPipe.Inference.Contracts.DataContract.MetadataKey, s => s.Replace("\"scale\": 4", "\"scale\": 8")); break;
                case "garbage-contract": Meta(h, LstPipe.Inference.Contracts.DataContract.MetadataKey, _ => "[1, 2]"); break;
                case "transposed-shape":
                    var shape = h["lst_stem.weight"]!["shape"]!.AsArray();
                    (shape[0], shape[1]) = (shape[1]!.DeepClone(), shape[0]!.DeepClone());
                    break;
            }
        });
        var e = Assert.Throws<DataException>(() => Downscaler.Load(bad));
        Assert.StartsWith(bad + ":", e.Message);
        Assert.Contains(message, e.Message);
        Assert.True(e.Message.Length < 300, e.Message);
    }
}
