namespace LstPipe.Cli.Tests.Contracts;

/// <summary><c>predict</c> and <c>info</c> on rasters georeferenced other than north-up in UTM: south-up inputs read
/// north first (the same prediction), rotated ones refused, and pixel sizes compared on the ground.</summary>
public partial class ContractCommandTests
{
    [Theory]
    [InlineData("guidance")]
    [InlineData("lst")]
    [InlineData("both")]
    public void South_up_inputs_give_the_north_up_prediction(string which)
    {
        var guidance = which == "lst" ? f.Guidance : ContractFixture.Make("southup", f.Guidance, f.File($"south-gui-{which}.tif"));
        var lst = which == "guidance" ? f.Lr : ContractFixture.Make("southup", f.Lr, f.File($"south-lr-{which}.tif"));
        var output = f.File($"from-south-{which}.tif");
        ContractFixture.Ok(Predict(lst, guidance, output));
        var expected = ContractFixture.Read(Reference());
        var actual = ContractFixture.Read(output);
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst < 1e-4, $"largest difference from the north-up prediction: {worst} K");
    }

    [Theory]
    [InlineData("guidance")]
    [InlineData("lst")]
    public void A_rotated_input_is_refused_in_one_line_naming_it_and_the_fix(string which)
    {
        var rotated = ContractFixture.Make("rotate", which == "lst" ? f.Lr : f.Guidance, f.File($"rotated-{which}.tif"));
        var output = f.File($"out-rotated-{which}.tif");
        var r = which == "lst" ? Predict(rotated, f.Guidance, output) : Predict(f.Lr, rotated, output);
        CliRunner.AssertOneLineError(r, 1, $"{rotated}: its geotransform (");
        Assert.Contains("is rotated or runs west", r.StdErr, StringComparison.Ordinal);
        Assert.Contains($"gdalwarp -r near {rotated} north-up.tif", r.StdErr.ReplaceLineEndings(""), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Web_mercator_guidance_of_30_units_near_40_n_is_refused_naming_its_size_on_the_ground()
    {
        var mercator = ContractFixture.Make("relabel", f.Guidance, f.File("mercator.tif"), "3857");
        var output = f.File("out-mercator.tif");
        var r = Predict(f.Lr, mercator, output);
        CliRunner.AssertOneLineError(r, 2, $"{mercator}: its pixels are 30 map units (m) of EPSG:3857, on the ground 23.06 m;");
        Assert.Contains("gdalwarp -t_srs EPSG:32650 -tr 30 30 -r average", r.StdErr.ReplaceLineEndings(""), StringComparison.Ordinal);
        Assert.False(File.Exists(output));

        var info = ContractFixture.Ok(CliRunner.Run("info", mercator));
        Assert.Contains("30 x 30 metre (23.06 m on the ground)", Flat(info), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_guidance_in_the_next_utm_zone_passes_the_pixel_size_check()
    {
        var utm = ContractFixture.Make("relabel", f.Guidance, f.File("utm51.tif"), "32651");
        var r = ContractFixture.Ok(Predict(f.Lr, utm, f.File("from-utm51.tif")));
        Assert.Contains("wrote", Flat(r), StringComparison.Ordinal);

        var info = ContractFixture.Ok(CliRunner.Run("info", ContractFixture.Make("southup", f.Guidance, f.File("south-info.tif"))));
        Assert.Contains("stored south first (south-up); read north first", Flat(info), StringComparison.Ordinal);
        Assert.DoesNotContain("on the ground", Flat(info), StringComparison.Ordinal);
    }
}
