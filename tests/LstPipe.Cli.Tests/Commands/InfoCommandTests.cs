using System.Text.Json;
using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Cli.Tests.Commands;

public class InfoCommandTests
{
    [Fact]
    public void A_missing_file_exits_2_naming_it()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("info", "/nonexistent/b10.tif"), 2, "/nonexistent/b10.tif: no such file");
    }

    [Fact]
    public void A_dataset_a_mat_tile_and_a_product_folder_say_what_they_are()
    {
        using var dir = new TempDir();
        var scene = LstPipe.Synthetic.SyntheticSceneGenerator.Generate(new LstPipe.Synthetic.SyntheticSceneOptions { Width = 128, Height = 128 }, dir.File("scene")).Directory;
        Assert.Equal(0, CliRunner.Run("crop", scene, "--out", dir.File("ds"), "--size", "64").ExitCode);
        Assert.Equal(0, CliRunner.Run("split", "6:1:3", "--dataset", dir.File("ds")).ExitCode);

        var ds = CliRunner.Run("info", dir.File("ds"), "--json");
        Assert.True(ds.ExitCode == 0, ds.StdErr);
        using (var j = JsonDocument.Parse(ds.StdOut))
        {
            Assert.Equal("dataset", j.RootElement.GetProperty("kind").GetString());
            Assert.Equal(9, j.RootElement.GetProperty("tiles").GetInt32());
            Assert.Equal(4, j.RootElement.GetProperty("scales").GetArrayLength());
            Assert.Equal(10, j.RootElement.GetProperty("channels").GetArrayLength());
            Assert.Equal(9, j.RootElement.GetProperty("splits").GetProperty("trainval").GetInt32() + j.RootElement.GetProperty("splits").GetProperty("test").GetInt32());
        }

        var mat = CliRunner.Run("info", Path.Combine(dir.File("ds"), "120m", "guidance", "00004.mat"), "--json");
        Assert.True(mat.ExitCode == 0, mat.StdErr);
        using (var j = JsonDocument.Parse(mat.StdOut))
        {
            var variables = j.RootElement.GetProperty("variables").EnumerateArray().ToArray();
            Assert.Equal(10, variables.Length);
            Assert.Equal(("dem", 16, 16), (variables[0].GetProperty("name").GetString(), variables[0].GetProperty("rows").GetInt32(), variables[0].GetProperty("columns").GetInt32()));
        }

        var product = CliRunner.Run("info", RepoPaths.Data("landsat7-talca"));
        Assert.True(product.ExitCode == 0, product.StdErr);
        Assert.Contains("Landsat LANDSAT_7 ETM", product.StdOut);
        Assert.Contains("L7_Talca.tif", product.StdOut);
        Directory.CreateDirectory(dir.File("empty"));
        CliRunner.AssertOneLineError(CliRunner.Run("info", dir.File("empty")), 2, "no raster GDAL can read");
        CliRunner.AssertOneLineError(CliRunner.Run("info", dir.File("*.tif")), 2, "no such file");
    }

    [Fact]
    public void A_non_raster_exits_1_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("readme.txt"), "hello");
        CliRunner.AssertOneLineError(CliRunner.Run("info", dir.File("readme.txt")), 1, dir.File("readme.txt"));
    }

    [Fact]
    public void A_truncated_geotiff_exits_1_naming_it()
    {
        using var dir = new TempDir();
        var grid = new RasterGrid(Crs.FromEpsg(32650).Wkt, GeoTransform.NorthUp(0, 512 * 30, 30), 512, 512);
        using (var w = GeoTiffWriter.Create(dir.File("full.tif"), grid, 1, options: new GeoTiffOptions { Compression = TiffCompression.None }))
        {
            w.Write(1, grid.Extent, Enumerable.Range(0, 512 * 512).Select(i => (float)i).ToArray());
            w.Commit();
        }

        var bytes = File.ReadAllBytes(dir.File("full.tif"));
        File.WriteAllBytes(dir.File("cut.tif"), bytes.AsSpan(0, bytes.Length / 2).ToArray());
        CliRunner.AssertOneLineError(CliRunner.Run("info", dir.File("cut.tif")), 1, dir.File("cut.tif"));
    }

    [SharedDataFact]
    public void Json_describes_a_real_landsat_band()
    {
        var r = CliRunner.Run("info", "--json", RepoPaths.Data("landsat8-l1-gulfcoast", "l8_B10.tif"));
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal(627, root.GetProperty("width").GetInt32());
        Assert.Equal(603, root.GetProperty("height").GetInt32());
        Assert.Equal(32616, root.GetProperty("crs").GetProperty("epsg").GetInt32());
        var band = root.GetProperty("bands")[0];
        Assert.Equal("UInt16", band.GetProperty("dataType").GetString());
        Assert.Equal(12490, band.GetProperty("statistics").GetProperty("min").GetDouble());
    }

    [SharedDataFact]
    public void Tables_show_crs_pixel_size_and_nodata()
    {
        var r = CliRunner.Run("info", RepoPaths.Data("landsat7-talca", "L7_Talca.tif"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("EPSG:32719", r.StdOut);
        Assert.Contains("30 x 30 metre", r.StdOut);
        Assert.Contains("-3.4E+38", r.StdOut);
        Assert.Contains("508 x 417 px, 7 bands", r.StdOut);
    }
}
