using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
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

        var json = Encoding.UTF8.GetBytes(header.ToJsonString(JsonDefaults.Compact));
        var padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, temporary =>
        {
            using var s = File.Create(temporary);
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
        });
    }

    /// <summary>Reads every tensor (on the CPU, outside any dispose scope) and the metadata.</summary>
    /// <exception cref="UsageException">The file does not exist, or <c>LSTPIPE_THREADS</c> is malformed (libtorch is
    /// set up here, before a reader can mistake that for a fault of the file).</exception>
    /// <exception cref="DataException">The file is not safetensors or is truncated.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        TorchSetup.EnsureLoaded();
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw new DataException($"{path}: not a safetensors file (shorter than its header length)");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new DataException($"{path}: not a safetensors file or truncated (header of {headerLength} bytes in a " +
                $"{bytes.Length}-byte file)");
        }

        var header = Header(path, bytes.AsSpan(8, (int)headerLength));

        var dataStart = 8 + (long)headerLength;
        var dataLength = bytes.Length - dataStart;
        var metadata = MetadataOf(path, header);
        var entries = header.Where(kv => kv.Key != "__metadata__").Select(kv => Entry(path, kv.Key, kv.Value)).ToList();

        long expected = 0;
        foreach (var e in entries.OrderBy(e => e.Begin))
        {
            var count = e.Shape.Aggregate(1L, (a, b) => b == 0 ? 0 : a > long.MaxValue / b ? -1 : a * b);
            if (e.Begin != expected || e.End < e.Begin || e.End > dataLength || count < 0
                || e.End - e.Begin != count * ElementSize(e.Dtype))
            {
                throw new DataException($"{path}: tensor '{Short(e.Name)}' data_offsets [{e.Begin}, {e.End}] do not fit its " +
                    $"shape [{string.Join(", ", e.Shape)}] or the {dataLength}-byte data block (corrupt or truncated)");
            }

            expected = e.End;
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            tensors[e.Name] = FromBytes(bytes.AsSpan((int)(dataStart + e.Begin), (int)(e.End - e.Begin)), e.Shape,
                e.Dtype).DetachFromDisposeScope();
        }

        return (tensors, metadata);
    }

    /// <summary>Reads the metadata alone, from the header, without reading a tensor or loading libtorch.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="DataException">The file is not safetensors or its header is truncated.</exception>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        var headerLength = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) == 8
            ? BinaryPrimitives.ReadUInt64LittleEndian(prefix) : ulong.MaxValue;
        if (headerLength > (ulong)Math.Min(stream.Length - 8, int.MaxValue))
        {
            throw new DataException($"{path}: not a safetensors file or truncated (its header does not fit the " +
                $"{stream.Length}-byte file)");
        }

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        return MetadataOf(path, Header(path, json));
    }

    /// <summary>The <c>__metadata__</c> entry of a header: names to strings.</summary>
    private static Dictionary<string, string> MetadataOf(string path, JsonObject header)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header["__metadata__"] is not { } node)
        {
            return metadata;
        }

        if (node is not JsonObject meta || meta.Any(kv => kv.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw new DataException($"{path}: safetensors __metadata__ must map names to strings");
        }

        foreach (var (k, v) in meta)
        {
            metadata[k] = v!.GetValue<string>();
        }

        return metadata;
    }

    /// <summary>The header: a JSON object that names each tensor once.</summary>
    private static JsonObject Header(string path, ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DataException($"{path}: safetensors header is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, " +
                    $"not an object of tensors; not a valid safetensors file");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var twice = root.EnumerateObject().FirstOrDefault(p => !seen.Add(p.Name));
            if (twice.Value.ValueKind != JsonValueKind.Undefined)
            {
                throw new DataException($"{path}: safetensors header names tensor '{Short(twice.Name)}' twice; not a valid " +
                    $"safetensors file");
            }

            return JsonObject.Create(root.Clone())!;
        }
        catch (JsonException e)
        {
            throw new DataException($"{path}: safetensors header is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Validates one header entry: dtype known, shape of non-negative integers, two integer offsets.</summary>
    private static (string Name, ScalarType Dtype, long[] Shape, long Begin, long End) Entry(string path, string name, JsonNode? node)
    {
        string Bad(string what) => $"{path}: tensor '{Short(name)}' {what}; not a valid safetensors file";
        if (node is not JsonObject o)
        {
            throw new DataException(Bad("is not an object with dtype, shape and data_offsets"));
        }

        var dtypeName = o["dtype"] is JsonValue d && d.TryGetValue<string>(out var dn) ? dn : throw new DataException(Bad("has no dtype"));
        if (!Dtypes.TryGetValue(dtypeName, out var dtype))
        {
            throw new DataException($"{path}: tensor '{Short(name)}' has dtype {Short(dtypeName)}, which lstpipe does not read " +
                $"(F32, F64, I64, I32, BOOL)");
        }

        long[] Longs(string key) => o[key] is JsonArray a && a.All(x => x is JsonValue v && v.TryGetValue<long>(out var n) && n >= 0)
            ? a.Select(x => x!.GetValue<long>()).ToArray()
            : throw new DataException(Bad($"has no valid {key} (non-negative integers)"));
        var shape = Longs("shape");
        var offsets = Longs("data_offsets");
        if (offsets.Length != 2 || shape.Length > 8)
        {
            throw new DataException(Bad("has malformed data_offsets or shape"));
        }

        return (name, dtype, shape, offsets[0], offsets[1]);
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..77] + "...";

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
