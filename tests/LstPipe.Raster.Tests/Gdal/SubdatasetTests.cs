using LstPipe.Raster.Gdal;

namespace LstPipe.Raster.Tests.Gdal;

/// <summary>Containers of several fields (HDF4-EOS granules, HDF5, netCDF) read by field name through GDAL's subdatasets;
/// the container here is a netCDF file that GDAL's Python bindings write, with two named fields.</summary>
public class SubdatasetTests
{
    private static string TwoFields(TempDir dir)
    {
        const string script = """
            import sys
            import numpy as np
            from osgeo import gdal
            ds = gdal.GetDriverByName("netCDF").CreateMultiDimensional(sys.argv[1])
            rg = ds.GetRootGroup()
            y, x = rg.CreateDimension("y", None, None, 3), rg.CreateDimension("x", None, None, 4)
            for name, value in (("LST_Day_1km", 15000), ("QC_Day", 17)):
                a = rg.CreateMDArray(name, [y, x], gdal.ExtendedDataType.Create(gdal.GDT_UInt16))
                a.Write(np.full((3, 4), value, dtype=np.uint16))
            """;
        File.WriteAllText(dir.File("make.py"), script);
        var r = Processes.Run("/usr/bin/python3", [dir.File("make.py"), dir.File("granule.nc")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return dir.File("granule.nc");
    }

    [Fact]
    public void A_field_is_opened_by_its_name_and_its_file_is_known()
    {
        using var dir = new TempDir();
        var file = TwoFields(dir);
        using (var qc = RasterDataset.OpenSubdataset(file, "QC_Day")!)
        {
            var values = new float[12];
            qc.GetBand(1).Read(qc.Extent, values);
            Assert.All(values, v => Assert.Equal(17f, v));
            Assert.Equal(file, RasterDataset.SubdatasetFile(qc.Path));
        }

        Assert.Null(RasterDataset.OpenSubdataset(file, "LST_Night_1km"));
    }

    [Theory]
    [InlineData("HDF4_EOS:EOS_GRID:\"/d/MOD11A1.hdf\":MODIS_Grid_Daily_1km_LST:LST_Day_1km", "/d/MOD11A1.hdf")]
    [InlineData("HDF5:\"/d/VNP21A1D.h5\"://HDFEOS/GRIDS/LST", "/d/VNP21A1D.h5")]
    [InlineData("NETCDF:\"/d/a b.nc\":lst", "/d/a b.nc")]
    [InlineData("/d/lst.tif", null)]
    [InlineData("/vsizip/d.zip/lst.tif", null)]
    public void The_file_of_a_subdataset_name(string name, string? file) => Assert.Equal(file, RasterDataset.SubdatasetFile(name));

    [Fact]
    public void A_missing_container_is_a_usage_error_naming_the_file()
    {
        var e = Assert.Throws<Core.Errors.UsageException>(() =>
            RasterDataset.Open("HDF4_EOS:EOS_GRID:\"/nonexistent/g.hdf\":MODIS_Grid_Daily_1km_LST:LST_Day_1km"));
        Assert.StartsWith("/nonexistent/g.hdf: no such file", e.Message, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void The_metadata_of_a_modis_subset_is_read()
    {
        var path = Directory.GetFiles(RepoPaths.Data("modis-mod11a1"), "*_LST_Day_1km.tif").Single();
        using var d = RasterDataset.Open(path);
        Assert.Equal("MOD11A1", d.MetadataItem("SHORTNAME"));
        Assert.Equal("2021-08-15", d.MetadataItem("RANGEBEGINNINGDATE"));
        Assert.Null(d.MetadataItem("NO_SUCH_ITEM"));
        Assert.Empty(d.Subdatasets());
    }
}
