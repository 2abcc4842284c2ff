using LstPipe.Core.Errors;
using LstPipe.Dataset.Adopt;
using LstPipe.Dataset.Mat;
using LstPipe.Raster.Scenes;

namespace LstPipe.Dataset.Tests.Adopt;

public class GrokLstAdopterTests
{
    /// <summary>A folder in GrokLST's layout: two tiles of <paramref name="size"/> px at the first scale folder, the LST
    /// <paramref name="lst"/> (Kelvin by default), the ten guidance channels (reflectances 0.25, so indices 0).</summary>
    private static string Folder(string root, string[] scales, int size = 16, float lst = 290, bool version73 = false)
    {
        var baseMetres = double.Parse(scales[0][..^1], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var label in scales)
        {
            var metres = double.Parse(label[..^1], System.Globalization.CultureInfo.InvariantCulture);
            var cs = metres > 0 && metres / baseMetres <= size ? size / (int)(metres / baseMetres) : size;
            foreach (var name in new[] { "tile_a.mat", "tile_b.mat" })
            {
                var values = Enumerable.Range(0, cs * cs).Select(i => lst + i % 7 * 0.1f).ToArray();
                Directory.CreateDirectory(Path.Combine(root, label, "lst"));
                Directory.CreateDirectory(Path.Combine(root, label, "guidance"));
                MatFile.Write(Path.Combine(root, label, "lst", name), [new MatArray("data", cs, cs, values)], version73: version73);
                MatFile.Write(Path.Combine(root, label, "guidance", name),
                    GuidanceChannel.GrokLst.Select(c => new MatArray(c.Name, cs, cs, Enumerable.Repeat(c.Kind == "index" ? 0 : 0.25f, cs * cs).ToArray())).ToArray(), version73: version73);
            }
        }

        return root;
    }

    private static string Refused(string root) =>
        Assert.IsAssignableFrom<LstPipeException>(Record.Exception(() => GrokLstAdopter.Run(new AdoptOptions { Dataset = root }))).Message;

    [Fact]
    public void A_zero_metre_scale_folder_is_refused_naming_it()
    {
        using var dir = new TempDir();
        var root = Folder(dir.File("g"), ["30m", "60m"]);
        Folder(dir.File("g"), ["0m"]);
        Assert.Equal($"{Path.Combine(root, "0m")}: a scale folder of 0 m; GrokLST names its scale folders by their pixel size in metres (30m, 60m, ...)", Refused(root));
    }

    [Fact]
    public void A_scale_coarser_than_one_tile_is_refused_instead_of_read_as_a_huge_factor()
    {
        using var dir = new TempDir();
        var root = Folder(dir.File("g"), ["30m", "60m"]);
        var nines = new string('9', 250) + "m";
        Directory.CreateDirectory(Path.Combine(root, nines, "lst"));
        Directory.CreateDirectory(Path.Combine(root, nines, "guidance"));
        foreach (var kind in new[] { "lst", "guidance" })
        {
            foreach (var name in new[] { "tile_a.mat", "tile_b.mat" })
            {
                File.Copy(Path.Combine(root, "60m", kind, name), Path.Combine(root, nines, kind, name));
            }
        }

        var message = Refused(root);
        Assert.StartsWith($"{root}: scale folder '9999", message, StringComparison.Ordinal);
        Assert.Contains("is x3.33E+248 the 30m folder's pixel size: coarser than its 16 px tiles", message, StringComparison.Ordinal);
        Assert.True(message.Length < 300, message);
    }

    [Fact]
    public void A_mat_v7_3_file_is_refused_saying_to_save_it_as_v7()
    {
        using var dir = new TempDir();
        var root = Folder(dir.File("g"), ["30m", "60m"], version73: true);
        Assert.Equal($"{Path.Combine(root, "30m", "lst", "tile_a.mat")}: MAT v7.3 (HDF5) is not read (GrokLST's loader, scipy.io.loadmat, reads v5 to v7); save it with -v7",
            Refused(root));
    }

    [Fact]
    public void A_folder_in_celsius_is_refused_with_the_celsius_hint()
    {
        using var dir = new TempDir();
        var root = Folder(dir.File("g"), ["30m", "60m"], lst: 24.8f);
        Assert.StartsWith($"{Path.Combine(root, "30m", "lst", "tile_a.mat")}: holds an LST of 24.8 K at row 0, column 0 (values 24.8 to 25.4 K), outside the 150-400 K of any land surface (it looks like degrees Celsius or Fahrenheit)",
            Refused(root));
    }

    [Theory]
    [InlineData(100000, 100000, "declares 100000 x 100000 values")]
    [InlineData(-5, 16, "declares -5 x 16 values")]
    public void A_matrix_declared_larger_than_its_file_or_negative_is_refused_saying_so(int rows, int cols, string message)
    {
        using var dir = new TempDir();
        var root = Folder(dir.File("g"), ["30m", "60m"]);
        var lst = Path.Combine(root, "30m", "lst", "tile_b.mat");
        MatFile.Write(lst, [new MatArray("data", 16, 16, Enumerable.Repeat(290f, 256).ToArray())], compress: false);
        var bytes = File.ReadAllBytes(lst);
        Assert.Equal(16, BitConverter.ToInt32(bytes, 160));
        BitConverter.GetBytes(rows).CopyTo(bytes, 160);
        BitConverter.GetBytes(cols).CopyTo(bytes, 164);
        File.WriteAllBytes(lst, bytes);
        var refused = Refused(root);
        Assert.StartsWith($"{lst}: variable 'data' {message}", refused, StringComparison.Ordinal);
    }
}
