using LstPipe.Core.Errors;
using LstPipe.Dataset.Mat;

namespace LstPipe.Dataset.Tests.Mat;

/// <summary>A damaged MAT file is a data error naming it, never values read silently (matio checks no Adler-32).</summary>
public class CorruptionTests
{
    [Fact]
    public void One_flipped_bit_in_a_zlib_variable_is_a_data_error_on_every_read()
    {
        using var dir = new TempDir();
        var values = Enumerable.Range(0, 64 * 64).Select(i => 280f + (i * 7919 % 1000) / 50f).ToArray();
        MatFile.Write(dir.File("ok.mat"), [new MatArray("data", 64, 64, values), new MatArray("dem", 64, 64, values)], compress: true);
        Assert.Equal(values, MatFile.Read(dir.File("ok.mat"), "data").Values);

        var bytes = File.ReadAllBytes(dir.File("ok.mat"));
        bytes[128 + 8 + 200] ^= 0x10;
        File.WriteAllBytes(dir.File("flip.mat"), bytes);
        foreach (var read in new Action[] { () => MatFile.Read(dir.File("flip.mat")), () => MatFile.Read(dir.File("flip.mat"), "dem") })
        {
            var e = Assert.Throws<DataException>(read);
            Assert.StartsWith(dir.File("flip.mat") + ": the variable at byte 128: its zlib data is corrupt", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
    }
}
