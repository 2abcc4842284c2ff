using LstPipe.Core.Units;
using LstPipe.Raster.Gdal;

namespace LstPipe.Ingest.Tests;

/// <summary>The Collection 2 Level-2 recipe on a small product written here (no C2 L2 sample is in ../shared/data):
/// known DNs in, the USGS scale factors and the QA_PIXEL mask out.</summary>
public class LandsatC2L2Tests
{
    private const int W = 40;
    private const int H = 30;

    private static void WriteBand(string path, RasterGrid grid, Func<int, int, float> value, RasterDataType type = RasterDataType.UInt16, double? noData = 0)
    {
        using var w = GeoTiffWriter.Create(path, grid, 1, type, noData ?? double.NaN);
        var v = new float[W * H];
        for (var r = 0; r < H; r++)
        {
            for (var c = 0; c < W; c++)
            {
                v[r * W + c] = value(r, c);
            }
        }

        w.Write(1, grid.Extent, v);
        w.Commit();
    }

    [Fact]
    public void Surface_temperature_and_reflectance_use_the_product_scale_factors_and_qa_pixel_masks()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.File("LC08_L2SP_TEST")).FullName;
        var grid = new RasterGrid(Crs.FromEpsg(32616).Wkt, GeoTransform.NorthUp(400000, 3400000, 30), W, H);
        const string id = "LC08_L2SP_020039_20150804_20200908_02_T1";
        for (var b = 1; b <= 5; b++)
        {
            var band = b;
            WriteBand(Path.Combine(input, $"{id}_SR_B{b}.TIF"), grid, (r, c) => 8000 + 1000 * band + r + c);
        }

        WriteBand(Path.Combine(input, $"{id}_ST_B10.TIF"), grid, (r, c) => r == 0 && c == 0 ? 0 : 44000 + 10 * c);
        const int clear = 21824, cloud = 22280, shadow = 23888, water = 21952;
        WriteBand(Path.Combine(input, $"{id}_QA_PIXEL.TIF"), grid, (r, c) => r == 1 ? cloud : r == 2 ? shadow : r == 3 ? water : clear, noData: 1);
        File.WriteAllText(Path.Combine(input, $"{id}_MTL.txt"), $"""
            GROUP = LANDSAT_METADATA_FILE
              GROUP = PRODUCT_CONTENTS
                LANDSAT_PRODUCT_ID = "{id}"
                COLLECTION_NUMBER = 02
              END_GROUP = PRODUCT_CONTENTS
              GROUP = IMAGE_ATTRIBUTES
                SPACECRAFT_ID = "LANDSAT_8"
                SENSOR_ID = "OLI_TIRS"
                DATE_ACQUIRED = 2015-08-04
                SCENE_CENTER_TIME = "16:19:21.7917421Z"
              END_GROUP = IMAGE_ATTRIBUTES
            END_GROUP = LANDSAT_METADATA_FILE
            END
            """);

        var result = IngestProcessor.Run(new IngestOptions
        {
            Recipe = Path.Combine(RepoPaths.Root, "pipelines", "landsat-c2l2.yaml"),
            Input = input,
            Output = dir.File("scene"),
        });
        var m = result.Scene.Manifest;
        Assert.Equal(id, m.Id);
        Assert.Equal("2015-08-04T16:19:21.7917421Z", m.Provenance.Acquired);

        using var lst = RasterDataset.Open(result.Scene.LstPath);
        using var guidance = RasterDataset.Open(result.Scene.GuidancePath);
        var t = new float[W * H];
        var red = new float[W * H];
        var ndvi = new float[W * H];
        lst.GetBand(1).Read(lst.Extent, t);
        guidance.GetBand(4).Read(guidance.Extent, red);
        guidance.GetBand(6).Read(guidance.Extent, ndvi);
        Assert.Equal("red", m.Guidance.Bands[3].Name);
        Assert.Equal("ndvi", m.Guidance.Bands[5].Name);

        Assert.Equal(-9999f, t[0]);
        for (var c = 0; c < W; c++)
        {
            Assert.Equal(-9999f, t[1 * W + c]);
            Assert.Equal(-9999f, t[2 * W + c]);
            Assert.Equal(-9999f, red[1 * W + c]);
            Assert.Equal((float)((44000 + 10 * c) * 0.00341802 + 149.0), t[3 * W + c], 3);
            Assert.Equal((float)((44000 + 10 * c) * 0.00341802 + 149.0), t[5 * W + c], 3);
        }

        const int row = 7, col = 9;
        var sr4 = (12000 + row + col) * 0.0000275 - 0.2;
        var sr5 = (13000 + row + col) * 0.0000275 - 0.2;
        Assert.Equal((float)sr4, red[row * W + col], 5);
        Assert.Equal((float)((sr5 - sr4) / (sr5 + sr4)), ndvi[row * W + col], 4);
        Assert.Equal(2.0 * W / (W * H), result.MaskedFraction, 9);
    }

    [Fact]
    public void A_celsius_lst_geotiff_is_converted_to_kelvin()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        var grid = new RasterGrid(Crs.FromEpsg(32616).Wkt, GeoTransform.NorthUp(400000, 3400000, 30), W, H);
        WriteBand(dir.File("in/lst_c.tif"), grid, (r, c) => 20 + r * 0.5f, RasterDataType.Float32, -9999);
        WriteBand(dir.File("in/dem.tif"), grid, (r, c) => 100 + c, RasterDataType.Float32, -9999);
        File.WriteAllText(dir.File("r.yaml"), """
            product: geotiff
            bands:
              t: { file: "lst_c.tif", calibrate: linear, unit: C }
              dem: dem.tif
            lst:
              band: t
              native_resolution: 100
            guidance:
              dem: dem
            """);
        var result = IngestProcessor.Run(new IngestOptions { Recipe = dir.File("r.yaml"), Input = dir.File("in"), Output = dir.File("scene") });
        Assert.Equal(293.15 + 0.5 * (H - 1) / 2, result.MeanLstKelvin, 3);
    }
}
