namespace LstPipe.Cli.Tests;

/// <summary>Edits of a scene's rasters for the CLI tests.</summary>
internal static class TestRasters
{
    /// <summary>Rewrites band 1 of a GeoTIFF (nodata -9999) with <paramref name="change"/> applied to its values.</summary>
    public static void Edit(string tif, Action<float[]> change)
    {
        float[] values;
        LstPipe.Core.Units.RasterGrid grid;
        using (var d = LstPipe.Raster.Gdal.RasterDataset.Open(tif))
        {
            grid = d.Grid;
            values = new float[d.Width * d.Height];
            d.GetBand(1).Read(d.Extent, values);
        }

        change(values);
        using var w = LstPipe.Raster.Gdal.GeoTiffWriter.Create(tif, grid, 1, noData: -9999);
        w.Write(1, grid.Extent, values);
        w.Commit();
    }
}
