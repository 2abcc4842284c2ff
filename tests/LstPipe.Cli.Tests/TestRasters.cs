namespace LstPipe.Cli.Tests;

/// <summary>Edits of a scene's rasters for the CLI tests.</summary>
internal static class TestRasters
{
    /// <summary>Band 1 of a raster, row by row.</summary>
    public static float[] Read(string tif) => Read(tif, out _);

    /// <summary>Rewrites band 1 of a GeoTIFF (nodata -9999) with <paramref name="change"/> applied to its values.</summary>
    public static void Edit(string tif, Action<float[]> change)
    {
        var values = Read(tif, out var grid);
        change(values);
        using var w = LstPipe.Raster.Gdal.GeoTiffWriter.Create(tif, grid, 1, noData: -9999);
        w.Write(1, grid.Extent, values);
        w.Commit();
    }

    private static float[] Read(string tif, out LstPipe.Core.Units.RasterGrid grid)
    {
        using var d = LstPipe.Raster.Gdal.RasterDataset.Open(tif);
        grid = d.Grid;
        var values = new float[d.Width * d.Height];
        d.GetBand(1).Read(d.Extent, values);
        return values;
    }
}
