namespace LstPipe.Raster.Gdal;

/// <summary>GDAL's pixel data types (the values of <c>GDALDataType</c>).</summary>
public enum RasterDataType
{
    /// <summary>Unknown or unspecified.</summary>
    Unknown = 0,

    /// <summary>Unsigned 8-bit integer.</summary>
    Byte = 1,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 2,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 3,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 4,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 5,

    /// <summary>32-bit IEEE float.</summary>
    Float32 = 6,

    /// <summary>64-bit IEEE float.</summary>
    Float64 = 7,

    /// <summary>Complex signed 16-bit integers.</summary>
    CInt16 = 8,

    /// <summary>Complex signed 32-bit integers.</summary>
    CInt32 = 9,

    /// <summary>Complex 32-bit floats.</summary>
    CFloat32 = 10,

    /// <summary>Complex 64-bit floats.</summary>
    CFloat64 = 11,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 12,

    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 13,
}
