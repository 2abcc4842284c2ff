using LstPipe.Core.Errors;
using LstPipe.Ingest.Metadata;

namespace LstPipe.Ingest.Tests.Metadata;

public class ProductMetadataTests
{
    [SharedDataFact]
    public void The_text_form_gives_every_key_across_groups()
    {
        var mtl = ProductMetadata.Read(RepoPaths.Data("landsat8-l1-gulfcoast", "l8_MTL.txt"));
        Assert.Equal("LC80200392015216LGN00", mtl.Get("LANDSAT_SCENE_ID"));
        Assert.Equal(3.3420E-04, mtl.GetNumber("RADIANCE_MULT_BAND_10"));
        Assert.Equal(774.8853, mtl.GetNumber("K1_CONSTANT_BAND_10"));
        Assert.Equal("2015-08-04T16:19:21.7917421Z", mtl.Acquired());
        Assert.Equal(216, mtl.DayOfYear());
        Assert.Null(mtl.GetNumber("NOT_A_KEY"));
    }

    [Fact]
    public void The_xml_form_reads_the_same_keys()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x_MTL.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <LANDSAT_METADATA_FILE>
              <PRODUCT_CONTENTS><LANDSAT_PRODUCT_ID>LC08_L2SP_020039_20150804_20200908_02_T1</LANDSAT_PRODUCT_ID></PRODUCT_CONTENTS>
              <IMAGE_ATTRIBUTES><DATE_ACQUIRED>2015-08-04</DATE_ACQUIRED><SCENE_CENTER_TIME>16:19:21.7917421Z</SCENE_CENTER_TIME>
              <SUN_ELEVATION>64.74360932</SUN_ELEVATION></IMAGE_ATTRIBUTES>
              <LEVEL1_THERMAL_CONSTANTS><K1_CONSTANT_BAND_10>774.8853</K1_CONSTANT_BAND_10></LEVEL1_THERMAL_CONSTANTS>
            </LANDSAT_METADATA_FILE>
            """);
        var mtl = ProductMetadata.Read(dir.File("x_MTL.xml"));
        Assert.Equal("LC08_L2SP_020039_20150804_20200908_02_T1", mtl.Get("LANDSAT_PRODUCT_ID"));
        Assert.Equal(774.8853, mtl.GetNumber("K1_CONSTANT_BAND_10"));
        Assert.Equal(64.74360932, mtl.Require("SUN_ELEVATION", "test"));
        Assert.Equal("2015-08-04T16:19:21.7917421Z", mtl.Acquired());
    }

    [Fact]
    public void A_missing_key_or_a_non_metadata_file_names_the_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("m.txt"), "GROUP = X\n  SUN_ELEVATION = high\nEND_GROUP = X\n");
        var mtl = ProductMetadata.Read(dir.File("m.txt"));
        var e = Assert.Throws<DataException>(() => mtl.Require("K1_CONSTANT_BAND_10", "band 10"));
        Assert.Equal($"{dir.File("m.txt")}: has no K1_CONSTANT_BAND_10, needed for band 10", e.Message);
        Assert.Throws<DataException>(() => mtl.GetNumber("SUN_ELEVATION"));
        File.WriteAllText(dir.File("empty.txt"), "nothing here\n");
        Assert.Contains("not a product metadata file", Assert.Throws<DataException>(() => ProductMetadata.Read(dir.File("empty.txt"))).Message);
    }
}
