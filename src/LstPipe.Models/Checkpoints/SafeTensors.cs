using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using static TorchSharp.torch;

namespace LstPipe.Models.Checkpoints;

/// <summary>
/// The safetensors format (an 8-byte little-endian header length, a JSON header of
/// <c>{name: {dtype, shape, data_offsets}}</c> plus optional <c>__metadata__</c> strings, then the little-endian
/// row-major data), so checkpoints move between lstpipe and PyTorch (<c>safetensors.torch.load_file</c>) with their
/// metadata, which TorchSharp's own safetensors support does not write.
/// </summary>
public static class SafeTensors
{
    private static readonly Dictionary<string, ScalarType> Dtypes = new()
    {
        ["F32"] = ScalarType.Float32,
        ["F64"] = ScalarType.Float64,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>Writes tensors (sorted by name, copied to the CPU) and metadata atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var m = new JsonObject();
            foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                m[k] = v;
            }

            header["__metadata__"] = m;
        }

        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var bytes = Bytes(t);
            header[name] = new JsonObject
            {
                ["dtype"] = Dtypes.First(d => d.Value == t.dtype).Key,
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            offset += bytes.Length;
            blobs.Add(bytes);
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        using var file = AtomicFile.Begin(path);
        using (var s = File.Create(file.TemporaryPath))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            s.Write(len);
            s.Write(json);
            for (var i = json.Length; i < padded; i++)
            {
                s.WriteByte((byte)' ');
            }

            foreach (var b in blobs)
            {
                s.Write(b);
            }
        }

        file.Commit();
    }

    /// <summary>Reads every tensor (on the CPU, outside any dispose scope) and the metadata.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">The file is not safetensors or is truncated.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw new DataException($"{path}: not a safetensors file (shorter than its header length)");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new DataException($"{path}: not a safetensors file or truncated (header of {headerLength} bytes in a {bytes.Length}-byte file)");
        }

        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.AsSpan(8, (int)headerLength))?.AsObject() ?? throw new JsonException("empty header");
        }
        catch (JsonException e)
        {
            throw new DataException($"{path}: safetensors header is not valid JSON: {e.Message}");
        }

        var dataStart = 8 + (long)headerLength;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (k, v) in node!.AsObject())
                {
                    metadata[k] = v?.GetValue<string>() ?? "";
                }

                continue;
            }

            var dtypeName = node!["dtype"]!.GetValue<string>();
            if (!Dtypes.TryGetValue(dtypeName, out var dtype))
            {
                throw new DataException($"{path}: tensor '{name}' has dtype {dtypeName}, which lstpipe does not read (F32, F64, I64, I32, BOOL)");
            }

            var shape = node["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var count = shape.Aggregate(1L, (a, b) => a * b);
            if (offsets[1] - offsets[0] != count * ElementSize(dtype) || dataStart + offsets[1] > bytes.Length)
            {
                throw new DataException($"{path}: tensor '{name}' data ({offsets[0]}-{offsets[1]}) does not fit its shape or the file (truncated?)");
            }

            tensors[name] = FromBytes(bytes.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0])), shape, dtype).DetachFromDisposeScope();
        }

        return (tensors, metadata);
    }

    private static int ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Bool => 1,
        _ => 4,
    };

    private static byte[] Bytes(Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return t.dtype switch
        {
            ScalarType.Float32 => MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray(),
            ScalarType.Float64 => MemoryMarshal.AsBytes(cpu.data<double>().ToArray().AsSpan()).ToArray(),
            ScalarType.Int64 => MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()).ToArray(),
            ScalarType.Int32 => MemoryMarshal.AsBytes(cpu.data<int>().ToArray().AsSpan()).ToArray(),
            ScalarType.Bool => MemoryMarshal.AsBytes(cpu.data<bool>().ToArray().AsSpan()).ToArray(),
            _ => throw new NotSupportedException(t.dtype.ToString()),
        };
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> data, long[] shape, ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(data).ToArray(), shape),
        ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(data).ToArray(), shape),
        ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(data).ToArray(), shape),
        ScalarType.Int32 => tensor(MemoryMarshal.Cast<byte, int>(data).ToArray(), shape),
        ScalarType.Bool => tensor(MemoryMarshal.Cast<byte, bool>(data).ToArray(), shape),
        _ => throw new NotSupportedException(dtype.ToString()),
    };
}
