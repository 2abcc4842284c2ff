using LstPipe.Core.Compression;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Mat;

namespace LstPipe.Dataset.Tests.Mat;

public class MatFileTests
{
    private static MatArray Ramp(string name, int h, int w) =>
        new(name, h, w, Enumerable.Range(0, h * w).Select(i => 100f + i * 0.5f).ToArray());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Non_square_arrays_round_trip_in_row_major_order(bool compress)
    {
        using var dir = new TempDir();
        var a = Ramp("data", 3, 5);
        var b = Ramp("nir", 7, 2);
        MatFile.Write(dir.File("x.mat"), [a, b], compress);
        var back = MatFile.Read(dir.File("x.mat"));
        Assert.Equal(["data", "nir"], back.Select(v => v.Name));
        Assert.Equal((3, 5), (back[0].Height, back[0].Width));
        Assert.Equal(a.Values, back[0].Values);
        Assert.Equal(b.Values, back[1].Values);
        Assert.Equal(101f, back[0][0, 2]);
    }

    [Fact]
    public void Scipy_loadmat_reads_the_variables_with_their_shape_and_order()
    {
        using var dir = new TempDir();
        MatFile.Write(dir.File("x.mat"), [Ramp("data", 3, 5), Ramp("dem", 4, 4)]);
        const string script = """
            import sys, json, scipy.io as sio
            m = sio.loadmat(sys.argv[1])
            d = m['data']
            print(json.dumps([str(d.dtype), list(d.shape), float(d[0, 2]), float(d[2, 4]), sorted(k for k in m if not k.startswith('__'))]))
            """;
        var r = Processes.Run("/usr/bin/python3", ["-c", script, dir.File("x.mat")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("[\"float32\", [3, 5], 101.0, 107.0, [\"data\", \"dem\"]]", r.StdOut.Trim());
    }

    [Fact]
    public void Identical_content_gives_identical_bytes()
    {
        using var dir = new TempDir();
        MatFile.Write(dir.File("a.mat"), [Ramp("data", 16, 16)]);
        MatFile.Write(dir.File("b.mat"), [Ramp("data", 16, 16)]);
        Assert.Equal(File.ReadAllBytes(dir.File("a.mat")), File.ReadAllBytes(dir.File("b.mat")));
    }

    [Fact]
    public void Version_73_round_trips_too()
    {
        using var dir = new TempDir();
        MatFile.Write(dir.File("h5.mat"), [Ramp("data", 6, 3)], version73: true);
        Assert.Equal(Ramp("data", 6, 3).Values, MatFile.Read(dir.File("h5.mat"), "data").Values);
    }

    [Fact]
    public void Garbage_and_truncated_files_are_data_errors_naming_the_file()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("junk.mat"), Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray());
        var e = Assert.Throws<DataException>(() => MatFile.Read(dir.File("junk.mat")));
        Assert.StartsWith(dir.File("junk.mat") + ": ", e.Message);

        MatFile.Write(dir.File("ok.mat"), [Ramp("data", 64, 64)]);
        var bytes = File.ReadAllBytes(dir.File("ok.mat"));
        File.WriteAllBytes(dir.File("cut.mat"), bytes[..(bytes.Length / 2)]);
        var e2 = Assert.Throws<DataException>(() => MatFile.Read(dir.File("cut.mat")));
        Assert.Contains("cut.mat", e2.Message);
        Assert.Throws<UsageException>(() => MatFile.Read(dir.File("missing.mat")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public void Compressed_variables_are_miCOMPRESSED_elements_that_scipy_and_matio_read_at_any_level(int level)
    {
        using var dir = new TempDir();
        var a = Ramp("data", 40, 30);
        var b = Ramp("ndvi", 40, 30);
        using (var compressor = new DeflateCompressor(level))
        {
            MatFile.Write(dir.File("z.mat"), [a, b], compressor);
        }

        MatFile.Write(dir.File("raw.mat"), [a, b], compress: false);
        var bytes = File.ReadAllBytes(dir.File("z.mat"));
        Assert.Equal(15u, BitConverter.ToUInt32(bytes, 128));
        var second = 128 + 8 + (int)BitConverter.ToUInt32(bytes, 132);
        Assert.Equal(15u, BitConverter.ToUInt32(bytes, second));
        Assert.Equal(bytes.Length, second + 8 + (int)BitConverter.ToUInt32(bytes, second + 4));
        Assert.True(bytes.Length < new FileInfo(dir.File("raw.mat")).Length);
        Assert.Equal(b.Values, MatFile.Read(dir.File("z.mat"), "ndvi").Values);
        const string script = """
            import sys, scipy.io as sio, numpy as np
            m = sio.loadmat(sys.argv[1])
            r = sio.loadmat(sys.argv[2])
            print(all(np.array_equal(m[k], r[k]) and m[k].dtype == np.float32 for k in ('data', 'ndvi')))
            """;
        var r = Processes.Run("/usr/bin/python3", ["-c", script, dir.File("z.mat"), dir.File("raw.mat")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal("True", r.StdOut.Trim());
    }
}
