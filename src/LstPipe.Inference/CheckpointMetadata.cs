using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.Json;
using LstPipe.Inference.Contracts;
using LstPipe.Models;

namespace LstPipe.Inference;

/// <summary>What a model file carries besides its weights, the same for every format lstpipe writes (the safetensors
/// header's metadata, an ONNX model's <c>metadata_props</c>): the model configuration, the normalization and the data
/// contract, each as JSON under its key, read back with the same checks.</summary>
public static class CheckpointMetadata
{
    /// <summary>Key of the model configuration (JSON of <see cref="ModelSpec"/>).</summary>
    public const string ConfigKey = "lstpipe.model";

    /// <summary>Key of the normalization (JSON of <see cref="Inference.Normalization"/>).</summary>
    public const string NormalizationKey = "lstpipe.normalization";

    /// <summary>The entries that describe a model: configuration, normalization and (when known) data contract.</summary>
    public static Dictionary<string, string> Write(ModelSpec spec, Normalization norm, DataContract? contract)
    {
        var meta = new Dictionary<string, string>
        {
            [ConfigKey] = JsonSerializer.Serialize(spec, JsonDefaults.Options),
            [NormalizationKey] = JsonSerializer.Serialize(norm, JsonDefaults.Options),
        };
        if (contract is not null)
        {
            meta[DataContract.MetadataKey] = JsonSerializer.Serialize(contract, JsonDefaults.Options);
        }

        return meta;
    }

    /// <summary>Reads the entries back and checks that they agree with one another.</summary>
    /// <param name="path">The model file, for the messages.</param>
    /// <param name="meta">Its metadata.</param>
    /// <param name="writer">What writes such files, for the message when an entry is missing.</param>
    /// <exception cref="DataException">An entry is missing, is not valid JSON, is incomplete, disagrees with the others, or
    /// has a field no lstpipe writes (<see cref="ContractValidation"/>).</exception>
    public static (ModelSpec Spec, Normalization Norm, DataContract? Contract) Read(string path, IReadOnlyDictionary<string, string> meta,
        string writer)
    {
        var spec = Entry<ModelSpec>(path, meta, ConfigKey, writer);
        var norm = Entry<Normalization>(path, meta, NormalizationKey, writer);
        if (spec.MoCoLsk is null || norm.GuidanceShift is null || norm.GuidanceDivisor is null)
        {
            throw new DataException($"{path}: its {(spec.MoCoLsk is null ? ConfigKey : NormalizationKey)} metadata is incomplete; " +
                $"not a model {writer} wrote");
        }

        if (spec.MoCoLsk.Scale != norm.Scale || norm.GuidanceShift.Count != spec.MoCoLsk.GuidanceChannels
            || norm.GuidanceDivisor.Count != norm.GuidanceShift.Count)
        {
            throw new DataException($"{path}: its metadata disagrees with itself (model x{spec.MoCoLsk.Scale} with " +
                $"{spec.MoCoLsk.GuidanceChannels} guidance channels, normalization x{norm.Scale} with {norm.GuidanceShift.Count}); " +
                $"the file was edited or is corrupt");
        }

        var contract = meta.ContainsKey(DataContract.MetadataKey)
            ? Entry<DataContract>(path, meta, DataContract.MetadataKey, writer)
            : null;
        if (contract is not null
            && (contract.Scale != norm.Scale || contract.Guidance?.Count != norm.GuidanceShift.Count || contract.Truth is null))
        {
            throw new DataException($"{path}: its {DataContract.MetadataKey} metadata disagrees with the model (x{contract.Scale}, " +
                $"{contract.Guidance?.Count} channels; the model is x{norm.Scale} with {norm.GuidanceShift.Count}); the file was " +
                $"edited or is corrupt");
        }

        ContractValidation.Check(path, spec, norm, contract);
        return (spec, norm, contract);
    }

    /// <summary>One JSON entry, every failure a one-line data error naming the file.</summary>
    private static T Entry<T>(string path, IReadOnlyDictionary<string, string> meta, string key, string writer)
        where T : class
    {
        if (!meta.TryGetValue(key, out var json))
        {
            throw new DataException($"{path}: has no {key} in its metadata; it was not written by {writer}");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonDefaults.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            throw new DataException($"{path}: its {key} metadata is not valid{where} ({json.Length} characters); the file was " +
                $"edited or is corrupt");
        }
    }
}
