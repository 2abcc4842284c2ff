using LstPipe.Core.Errors;
using LstPipe.Models.Checkpoints;
using static TorchSharp.torch;

namespace LstPipe.Models.Tests.Checkpoints;

public class SafeTensorsTests
{
    [Fact]
    public void Files_round_trip_with_metadata_and_numpy_reads_them_as_safetensors()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["b.weight"] = randn(3, 2, 2),
            ["a.count"] = tensor(new long[] { 1, -2, 3 }),
            ["c.mask"] = tensor(new[] { true, false }),
            ["d.double"] = tensor(new[] { Math.PI }),
        };
        SafeTensors.Save(dir.File("x.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt", ["scale"] = "4" });
        var (back, meta) = SafeTensors.Load(dir.File("x.safetensors"));
        Assert.Equal("4", meta["scale"]);
        Assert.Equal(meta, SafeTensors.ReadMetadata(dir.File("x.safetensors")));
        foreach (var (k, v) in tensors)
        {
            Assert.Equal(v.dtype, back[k].dtype);
            Assert.True(v.eq(back[k]).all().item<bool>(), k);
        }

        const string script = """
            import json, struct, sys
            import numpy as np
            b = open(sys.argv[1], 'rb').read()
            n = struct.unpack('<Q', b[:8])[0]
            h = json.loads(b[8:8 + n])
            w = h['b.weight']
            a = np.frombuffer(b[8 + n + w['data_offsets'][0]:8 + n + w['data_offsets'][1]], dtype='<f4').reshape(w['shape'])
            c = h['a.count']
            i = np.frombuffer(b[8 + n + c['data_offsets'][0]:8 + n + c['data_offsets'][1]], dtype='<i8')
            print(json.dumps([n % 8, h['__metadata__']['format'], w['dtype'], float(a[2, 1, 0]), i.tolist()]))
            """;
        var r = Processes.Run("/usr/bin/python3", ["-c", script, dir.File("x.safetensors")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var expected = tensors["b.weight"][2, 1, 0].item<float>();
        Assert.Equal($"[0, \"pt\", \"F32\", {((double)expected).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, [1, -2, 3]]", r.StdOut.Trim());
    }

    [Fact]
    public void Truncated_or_foreign_files_are_data_errors_naming_the_file()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        SafeTensors.Save(dir.File("x.safetensors"), new Dictionary<string, Tensor> { ["w"] = ones(100) });
        var bytes = File.ReadAllBytes(dir.File("x.safetensors"));
        File.WriteAllBytes(dir.File("cut.safetensors"), bytes[..(bytes.Length - 10)]);
        Assert.StartsWith(dir.File("cut.safetensors"), Assert.Throws<DataException>(() => SafeTensors.Load(dir.File("cut.safetensors"))).Message);
        File.WriteAllText(dir.File("junk.safetensors"), "hello world, not tensors");
        Assert.Throws<DataException>(() => SafeTensors.Load(dir.File("junk.safetensors")));
        Assert.Throws<DataException>(() => SafeTensors.ReadMetadata(dir.File("junk.safetensors")));
        File.WriteAllBytes(dir.File("header.safetensors"), bytes[..12]);
        Assert.StartsWith(dir.File("header.safetensors"),
            Assert.Throws<DataException>(() => SafeTensors.ReadMetadata(dir.File("header.safetensors"))).Message);
        Assert.Throws<UsageException>(() => SafeTensors.Load(dir.File("missing.safetensors")));
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", "no valid data_offsets")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", "do not fit its shape")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", "do not fit its shape")]
    [InlineData("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "has no dtype")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", "do not fit its shape")]
    public void Offsets_and_shapes_are_checked_before_anything_is_read(string header, string message)
    {
        using var dir = new TempDir();
        WriteHeader(dir.File("bad.safetensors"), header);
        var e = Assert.Throws<DataException>(() => SafeTensors.Load(dir.File("bad.safetensors")));
        Assert.StartsWith(dir.File("bad.safetensors") + ": tensor 'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2, 3]", ": safetensors header is a JSON array, not an object")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        ": safetensors header names tensor 'w' twice")]
    public void A_header_that_is_not_an_object_or_names_a_tensor_twice_is_a_data_error(string header, string message)
    {
        using var dir = new TempDir();
        WriteHeader(dir.File("bad.safetensors"), header);
        var e = Assert.Throws<DataException>(() => SafeTensors.Load(dir.File("bad.safetensors")));
        Assert.StartsWith(dir.File("bad.safetensors") + message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>A safetensors file of <paramref name="header"/> and 8 bytes of data.</summary>
    private static void WriteHeader(string path, string header)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }
}
