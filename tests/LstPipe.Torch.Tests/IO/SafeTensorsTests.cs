using LstPipe.Core.Errors;
using LstPipe.Torch.IO;

namespace LstPipe.Torch.Tests.IO;

public class SafeTensorsTests
{
    [Fact]
    public void Pytorch_written_files_load_and_our_files_round_trip_with_metadata()
    {
        using var dir = new TempDir();
        using var scope = Torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["b.weight"] = Torch.Randn([3, 2, 2]),
            ["a.count"] = Torch.FromArray(new long[] { 1, -2, 3 }),
            ["c.mask"] = Torch.FromArray(new[] { true, false }),
            ["d.double"] = Torch.FromArray(new[] { Math.PI }),
        };
        SafeTensors.Save(dir.File("x.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt", ["scale"] = "4" });
        var (back, meta) = SafeTensors.Load(dir.File("x.safetensors"));
        Assert.Equal("4", meta["scale"]);
        foreach (var (k, v) in tensors)
        {
            Assert.Equal(v.Dtype, back[k].Dtype);
            Assert.Equal(v.ToArray<double>(), back[k].ToArray<double>());
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
        var expected = tensors["b.weight"].ToArray<float>()[2 * 4 + 1 * 2 + 0];
        Assert.Equal($"[0, \"pt\", \"F32\", {((double)expected).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, [1, -2, 3]]", r.StdOut.Trim());
    }

    [Fact]
    public void Truncated_or_foreign_files_are_data_errors_naming_the_file()
    {
        using var dir = new TempDir();
        using var scope = Torch.NewDisposeScope();
        SafeTensors.Save(dir.File("x.safetensors"), new Dictionary<string, Tensor> { ["w"] = Torch.Ones([100]) });
        var bytes = File.ReadAllBytes(dir.File("x.safetensors"));
        File.WriteAllBytes(dir.File("cut.safetensors"), bytes[..(bytes.Length - 10)]);
        Assert.StartsWith(dir.File("cut.safetensors"), Assert.Throws<DataException>(() => SafeTensors.Load(dir.File("cut.safetensors"))).Message);
        File.WriteAllText(dir.File("junk.safetensors"), "hello world, not tensors");
        Assert.Throws<DataException>(() => SafeTensors.Load(dir.File("junk.safetensors")));
        Assert.Throws<UsageException>(() => SafeTensors.Load(dir.File("missing.safetensors")));
    }
}
