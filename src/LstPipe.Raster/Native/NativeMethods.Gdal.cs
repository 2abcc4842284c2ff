using System.Runtime.InteropServices;

namespace LstPipe.Raster.Native;

/// <summary>The GDAL 3.6 C API (gdal.h, cpl_error.h, cpl_conv.h, cpl_string.h, ogr_srs_api.h, ogr_api.h, gdal_utils.h).
/// Every GDAL entry point the project calls is declared here and nowhere else.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Gdal = "gdal";

    internal const int CE_None = 0;
    internal const int CE_Warning = 2;
    internal const int CE_Failure = 3;
    internal const int CE_Fatal = 4;

    internal const uint GDAL_OF_READONLY = 0x00;
    internal const uint GDAL_OF_UPDATE = 0x01;
    internal const uint GDAL_OF_RASTER = 0x02;
    internal const uint GDAL_OF_VERBOSE_ERROR = 0x40;

    internal const int GF_Read = 0;
    internal const int GF_Write = 1;

    internal const int OAMS_TRADITIONAL_GIS_ORDER = 0;

    [LibraryImport(Gdal)]
    internal static partial void GDALAllRegister();

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void CPLSetConfigOption(string key, string? value);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint CPLGetConfigOption(string key, string? defaultValue);

    [LibraryImport(Gdal)]
    internal static partial nint CPLSetErrorHandler(nint handler);

    [LibraryImport(Gdal)]
    internal static partial void CPLErrorReset();

    [LibraryImport(Gdal)]
    internal static partial int CPLGetLastErrorType();

    [LibraryImport(Gdal)]
    internal static partial nint CPLGetLastErrorMsg();

    [LibraryImport(Gdal)]
    internal static partial void VSIFree(nint pointer);

    [LibraryImport(Gdal)]
    internal static partial void VSICurlClearCache();

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void VSICurlPartialClearCache(string prefix);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void CPLSetThreadLocalConfigOption(string key, string? value);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint CPLGetThreadLocalConfigOption(string key, string? defaultValue);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint CSLAddString(nint list, string value);

    [LibraryImport(Gdal)]
    internal static partial void CSLDestroy(nint list);

    [LibraryImport(Gdal)]
    internal static partial nint GDALVersionInfo([MarshalAs(UnmanagedType.LPUTF8Str)] string request);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GDALOpenEx(string path, uint flags, nint allowedDrivers, nint openOptions, nint siblingFiles);

    [LibraryImport(Gdal)]
    internal static partial void GDALClose(nint dataset);

    [LibraryImport(Gdal)]
    internal static partial void GDALFlushCache(nint dataset);

    [LibraryImport(Gdal)]
    internal static partial int GDALGetRasterXSize(nint dataset);

    [LibraryImport(Gdal)]
    internal static partial int GDALGetRasterYSize(nint dataset);

    [LibraryImport(Gdal)]
    internal static partial int GDALGetRasterCount(nint dataset);

    [LibraryImport(Gdal)]
    internal static partial nint GDALGetDatasetDriver(nint dataset);

    [LibraryImport(Gdal)]
    internal static partial nint GDALGetDriverShortName(nint driver);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GDALGetDriverByName(string name);

    [LibraryImport(Gdal)]
    internal static partial int GDALGetGeoTransform(nint dataset, double* transform);

    [LibraryImport(Gdal)]
    internal static partial int GDALSetGeoTransform(nint dataset, double* transform);

    [LibraryImport(Gdal)]
    internal static partial nint GDALGetProjectionRef(nint dataset);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GDALSetProjection(nint dataset, string wkt);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GDALCreate(nint driver, string path, int width, int height, int bands, int dataType, nint options);

    [LibraryImport(Gdal)]
    internal static partial nint GDALGetRasterBand(nint dataset, int band);

    [LibraryImport(Gdal)]
    internal static partial int GDALGetRasterDataType(nint band);

    [LibraryImport(Gdal)]
    internal static partial nint GDALGetDataTypeName(int dataType);

    [LibraryImport(Gdal)]
    internal static partial double GDALGetRasterNoDataValue(nint band, out int hasNoData);

    [LibraryImport(Gdal)]
    internal static partial int GDALSetRasterNoDataValue(nint band, double noData);

    [LibraryImport(Gdal)]
    internal static partial void GDALGetBlockSize(nint band, out int blockX, out int blockY);

    [LibraryImport(Gdal)]
    internal static partial double GDALGetRasterScale(nint band, out int hasScale);

    [LibraryImport(Gdal)]
    internal static partial double GDALGetRasterOffset(nint band, out int hasOffset);

    [LibraryImport(Gdal)]
    internal static partial nint GDALGetDescription(nint majorObject);

    [LibraryImport(Gdal)]
    internal static partial nint GDALGetRasterUnitType(nint band);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GDALSetRasterUnitType(nint band, string unit);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void GDALSetDescription(nint majorObject, string description);

    [LibraryImport(Gdal)]
    internal static partial int GDALRasterIO(
        nint band, int readWrite, int xOff, int yOff, int xSize, int ySize,
        void* buffer, int bufXSize, int bufYSize, int bufType, int pixelSpace, int lineSpace);

    [LibraryImport(Gdal)]
    internal static partial nint GDALTranslateOptionsNew(nint argv, nint binaryOptions);

    [LibraryImport(Gdal)]
    internal static partial void GDALTranslateOptionsFree(nint options);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GDALTranslate(string destination, nint source, nint options, out int usageError);

    [LibraryImport(Gdal)]
    internal static partial nint GDALWarpAppOptionsNew(nint argv, nint binaryOptions);

    [LibraryImport(Gdal)]
    internal static partial void GDALWarpAppOptionsFree(nint options);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GDALWarp(string? destination, nint destinationDataset, int sourceCount, nint* sources,
        nint options, out int usageError);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OSRNewSpatialReference(string? wkt);

    [LibraryImport(Gdal)]
    internal static partial void OSRDestroySpatialReference(nint srs);

    [LibraryImport(Gdal)]
    internal static partial int OSRImportFromEPSG(nint srs, int epsg);

    [LibraryImport(Gdal)]
    internal static partial int OSRExportToWkt(nint srs, out nint wkt);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OSRGetAuthorityCode(nint srs, string? targetKey);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OSRGetAuthorityName(nint srs, string? targetKey);

    [LibraryImport(Gdal)]
    internal static partial int OSRAutoIdentifyEPSG(nint srs);

    [LibraryImport(Gdal)]
    internal static partial int OSRIsProjected(nint srs);

    [LibraryImport(Gdal)]
    internal static partial int OSRIsGeographic(nint srs);

    [LibraryImport(Gdal)]
    internal static partial nint OSRGetName(nint srs);

    [LibraryImport(Gdal)]
    internal static partial double OSRGetLinearUnits(nint srs, out nint unitName);

    [LibraryImport(Gdal)]
    internal static partial int OSRIsSame(nint srs, nint other);

    [LibraryImport(Gdal)]
    internal static partial void OSRSetAxisMappingStrategy(nint srs, int strategy);

    [LibraryImport(Gdal)]
    internal static partial nint OCTNewCoordinateTransformation(nint source, nint target);

    [LibraryImport(Gdal)]
    internal static partial void OCTDestroyCoordinateTransformation(nint transformation);

    [LibraryImport(Gdal)]
    internal static partial int OCTTransformBounds(nint transformation, double minX, double minY, double maxX, double maxY,
        out double outMinX, out double outMinY, out double outMaxX, out double outMaxY, int densifyPoints);

    [LibraryImport(Gdal)]
    internal static partial int OCTTransformEx(nint transformation, int count, double* x, double* y, double* z, int* success);

    [LibraryImport(Gdal)]
    internal static partial int OCTTransform(nint transformation, int count, double* x, double* y, double* z);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GDALGetMetadata(nint majorObject, string? domain);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint GDALCreateCopy(nint driver, string path, nint source, int strict, nint options, nint progress,
        nint progressData);

    [LibraryImport(Gdal, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OGR_G_CreateGeometryFromJson(string json);

    [LibraryImport(Gdal)]
    internal static partial nint OGR_G_UnionCascaded(nint geometry);

    [LibraryImport(Gdal)]
    internal static partial int OGR_G_IsValid(nint geometry);

    [LibraryImport(Gdal)]
    internal static partial nint OGR_G_ExportToJsonEx(nint geometry, nint options);

    [LibraryImport(Gdal)]
    internal static partial void OGR_G_DestroyGeometry(nint geometry);
}
