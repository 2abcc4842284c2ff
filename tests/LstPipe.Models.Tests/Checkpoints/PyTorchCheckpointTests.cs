using LstPipe.Core.Errors;
using LstPipe.Models.Checkpoints;

namespace LstPipe.Models.Tests.Checkpoints;

public class PyTorchCheckpointTests
{
    /// <summary>Writes <c>{'w': arange(64)}</c> with torch.save and returns the offset of entry <c>NAME/data/0</c>'s data.</summary>
    private static long SavePth(string path)
    {
        const string script = """
            import struct, sys, torch, zipfile
            torch.save({'w': torch.arange(64.)}, sys.argv[1])
            info = next(i for i in zipfile.ZipFile(sys.argv[1]).infolist() if i.filename.endswith('/data/0'))
            with open(sys.argv[1], 'rb') as f:
                f.seek(info.header_offset)
                head = f.read(30)
            n, m = struct.unpack('<HH', head[26:30])
            print(info.header_offset + 30 + n + m)
            """;
        var r = Processes.Run("/usr/bin/python3", ["-c", script, path]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return long.Parse(r.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void A_bit_flipped_entry_is_refused_naming_the_file_and_the_entry_as_python_s_testzip_does()
    {
        using var dir = new TempDir();
        var pth = dir.File("flip.pth");
        var at = SavePth(pth);
        var (good, _) = PyTorchCheckpoint.Load(pth);
        Assert.Equal(63f, good["w"][63].item<float>());
        var bytes = File.ReadAllBytes(pth);
        bytes[at + 4 * 10 + 1] ^= 0x10;
        File.WriteAllBytes(pth, bytes);
        var python = Processes.Run("/usr/bin/python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).testzip())", pth]);
        Assert.Equal("flip/data/0", python.StdOut.Trim());
        var e = Assert.Throws<DataException>(() => PyTorchCheckpoint.Load(pth));
        Assert.StartsWith($"{pth}: entry 'flip/data/0' does not match its CRC-32", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void An_empty_or_random_file_is_neither_a_pytorch_checkpoint_nor_safetensors(int length)
    {
        using var dir = new TempDir();
        var bytes = new byte[length];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(dir.File("x.pth"), bytes);
        var e = Assert.Throws<DataException>(() => PyTorchCheckpoint.Load(dir.File("x.pth")));
        Assert.Equal($"{dir.File("x.pth")}: not a PyTorch checkpoint (the zip torch.save writes) nor a safetensors file", e.Message);
    }

    [Fact]
    public void A_safetensors_file_given_as_pytorch_says_it_needs_no_conversion()
    {
        using var dir = new TempDir();
        using (var scope = TorchSharp.torch.NewDisposeScope())
        {
            SafeTensors.Save(dir.File("m.safetensors"), new Dictionary<string, TorchSharp.torch.Tensor> { ["w"] = TorchSharp.torch.ones(3) });
        }

        var e = Assert.Throws<DataException>(() => PyTorchCheckpoint.Load(dir.File("m.safetensors")));
        Assert.Contains("a safetensors file, not a PyTorch checkpoint", e.Message, StringComparison.Ordinal);
    }
}
