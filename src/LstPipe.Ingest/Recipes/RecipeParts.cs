using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Expressions;
using LstPipe.Ingest.Masks;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest.Recipes;
/// <summary>The product family a recipe reads; it decides which metadata is needed and how bands calibrate.</summary>
public enum ProductKind
{
    /// <summary>Landsat Level-1 (TM, ETM+, OLI/TIRS) digital numbers with an MTL.</summary>
    LandsatL1,

    /// <summary>Landsat Collection 2 Level-2 surface reflectance and surface temperature.</summary>
    LandsatC2L2,

    /// <summary>ECOSTRESS L2 LSTE GeoTIFFs.</summary>
    EcostressL2,

    /// <summary>Ready GeoTIFFs: an LST raster with a declared scale, offset and unit plus guidance rasters.</summary>
    GeoTiff,

    /// <summary>SDGSAT-1 L4 products: TIS thermal (30 m) and MII multispectral (10 m) GeoTIFFs with XML metadata
    /// and calibration files.</summary>
    Sdgsat1,

    /// <summary>MODIS daily LST (MOD11A1 Terra, MYD11A1 Aqua, collection 6/6.1): the HDF4-EOS granule, its fields read
    /// as GDAL subdatasets, or GeoTIFF subsets of those fields (one file per field).</summary>
    ModisLst,
}

/// <summary>How a band's stored values become physical values.</summary>
public enum CalibrationKind
{
    /// <summary>Values as stored (a DEM, a ready index).</summary>
    None,

    /// <summary>Landsat L1 reflective DN to top-of-atmosphere reflectance (MTL).</summary>
    Toa,

    /// <summary>Landsat L1 thermal DN to brightness temperature in Kelvin (MTL).</summary>
    BrightnessTemperature,

    /// <summary>Landsat C2 L2 surface reflectance: DN * 2.75e-5 - 0.2.</summary>
    SurfaceReflectance,

    /// <summary>Landsat C2 L2 surface temperature: DN * 0.00341802 + 149.0 K.</summary>
    SurfaceTemperature,

    /// <summary>ECOSTRESS LST: DN * 0.02 K, nodata 0.</summary>
    EcostressLst,

    /// <summary>value * scale + offset, converted from the declared unit to Kelvin where the unit is Celsius.</summary>
    Linear,

    /// <summary>A quality band: integer bit fields, never interpolated.</summary>
    Quality,

    /// <summary>DN * gain + bias to radiance, then brightness temperature by Planck's law at the band's centre
    /// wavelength (SDGSAT-1 TIS).</summary>
    RadianceBrightness,

    /// <summary>DN * gain + bias to radiance, then top-of-atmosphere reflectance pi L d^2 / (ESUN sin(sun
    /// elevation)) (SDGSAT-1 MII).</summary>
    RadianceToa,

    /// <summary>MODIS LST (MOD11A1/MYD11A1 <c>LST_Day_1km</c>, <c>LST_Night_1km</c>): DN * 0.02 K, 0 is fill.</summary>
    ModisLst,
}

/// <summary>Radiometric coefficients of a band calibrated from radiance (SDGSAT-1).</summary>
/// <param name="Gain">Radiance gain (W/(m2 sr um) per DN); the product's calibration file overrides it.</param>
/// <param name="Bias">Radiance bias; the product's calibration file overrides it.</param>
/// <param name="CalibrationFile">Glob of the product's calibration file, which may give Gain, Bias and ESUN per band.</param>
/// <param name="WavelengthMicrons">Centre wavelength of a thermal band, for K1/K2.</param>
/// <param name="Esun">Mean exoatmospheric solar irradiance of a reflective band, W/(m2 um).</param>
/// <param name="BandNm">Lower and upper band edge in nm, for an ESUN estimate when neither recipe nor product gives one.</param>
public sealed record RadianceSpec(double? Gain, double? Bias, string? CalibrationFile, double? WavelengthMicrons, double? Esun,
    double[]? BandNm)
{
    /// <summary>Thermal constants K1 (W/(m2 sr um)) and K2 (K) of a thermal band (the recipe's <c>k1</c>/<c>k2</c>, or
    /// the handbook's for a named sensor band); null: Planck's law at the centre wavelength.</summary>
    public (double K1, double K2)? Thermal { get; init; }

    /// <summary>Where <see cref="Thermal"/> comes from, for provenance.</summary>
    public string? ThermalSource { get; init; }
}

/// <summary>One named input band: a file in the input folder (by glob), a band of it, and its calibration.</summary>
/// <param name="Name">Name used by expressions and the LST and mask sections.</param>
/// <param name="File">Glob matched against file names in the input folder (case-insensitive).</param>
/// <param name="Band">1-based band index in the file.</param>
/// <param name="LandsatBand">Landsat band id for MTL calibration (<c>4</c>, <c>10</c>, <c>6_VCID_1</c>).</param>
/// <param name="Calibration">How values calibrate.</param>
/// <param name="Scale">Linear scale.</param>
/// <param name="Offset">Linear offset.</param>
/// <param name="Unit">Unit after scale and offset for a temperature band (<c>K</c> or <c>C</c>).</param>
/// <param name="NoData">Stored value that means nodata, overriding the file's.</param>
/// <param name="Line">Recipe line.</param>
/// <param name="Radiance">Radiometric coefficients for the radiance calibrations.</param>
/// <param name="Optional">A band the product may lack: without its file, the channels that need it are left out.</param>
public sealed record RecipeBand(string Name, string File, int Band, string? LandsatBand, CalibrationKind Calibration,
    double Scale, double Offset, string Unit, double? NoData, int Line, RadianceSpec? Radiance = null, bool Optional = false)
{
    /// <summary>The field of a container file (an HDF-EOS field such as <c>LST_Day_1km</c>, read as a GDAL
    /// subdataset); in a folder of single-field GeoTIFFs, the file whose name holds the field's name.</summary>
    public string? Subdataset { get; init; }

    /// <summary>The key of the STAC asset that holds the band (<c>red</c>, <c>lwir11</c>), for products read from a STAC
    /// item; <see cref="File"/> is the glob for products read from a folder.</summary>
    public string? Asset { get; init; }

    /// <summary>What the band's calibrated values are (one of <see cref="GuidanceKinds.All"/>): the recipe's
    /// <c>kind:</c>, else what its calibration makes (<c>toa</c>: reflectance-toa, <c>sr</c>: reflectance-surface,
    /// <c>bt</c>: brightness-temperature); null where neither says.</summary>
    public string? Kind { get; init; }
}

/// <summary>Where LST comes from.</summary>
/// <param name="Band">The band that holds temperature (after calibration); the ~11 um band of a split window.</param>
/// <param name="Emissivity">The emissivity correction (<c>none</c> or <c>sobrino2004</c>; a split window always
/// uses per-band NDVI-threshold emissivities).</param>
/// <param name="Red">Red reflectance band for NDVI emissivity.</param>
/// <param name="Nir">Near-infrared reflectance band for NDVI emissivity.</param>
/// <param name="Line">Recipe line.</param>
public sealed record RecipeLst(string Band, string Emissivity, string? Red, string? Nir, int Line)
{
    /// <summary><c>single-channel</c> (default) or <c>split-window</c>.</summary>
    public string Method { get; init; } = "single-channel";

    /// <summary>The ~12 um band of a split window.</summary>
    public string? Band2 { get; init; }

    /// <summary>Column water vapour for the split window, g/cm2.</summary>
    public double? WaterVapour { get; init; }

    /// <summary>Split-window coefficients c0..c6.</summary>
    public IReadOnlyList<double> Coefficients { get; init; } = ThermalPhysics.JimenezMunoz2014;

    /// <summary>Where the coefficients come from, for provenance and docs.</summary>
    public string CoefficientsSource { get; init; } = "jimenez-munoz2014";

    /// <summary><c>thermal</c> (default): the NDVI that drives the emissivity is averaged to the thermal band's
    /// native resolution first; <c>grid</c>: computed at the grid's resolution.</summary>
    public string EmissivityResolution { get; init; } = "thermal";

    /// <summary>The thermal band's native resolution in metres, when the recipe states it (else from the sensor).</summary>
    public double? NativeResolutionMetres { get; init; }

    /// <summary>Atmospheric parameters for the radiative transfer equation; null: no atmospheric correction.</summary>
    public Atmosphere? Atmosphere { get; init; }

    /// <summary>Whether the LST is computed from at-sensor brightness temperature (and so needs the atmosphere).</summary>
    public bool FromBrightness { get; init; }

    /// <summary>A band holding each pixel's local solar view time in hours (MODIS <c>Day_view_time</c>): its mean
    /// over the kept pixels, and the UTC it means there, go into <c>scene.json</c>.</summary>
    public string? ViewTime { get; init; }

    /// <summary>A band holding each pixel's view zenith angle in degrees (MODIS <c>Day_view_angl</c>).</summary>
    public string? ViewZenith { get; init; }

    /// <summary>Pixels seen at a larger view zenith angle (degrees) are nodata; null: none are.</summary>
    public double? MaxViewZenith { get; init; }
}

/// <summary>A mask from a quality band.</summary>
/// <param name="Band">The quality band.</param>
/// <param name="Mask">How it is decoded and which flags mask.</param>
/// <param name="Line">Recipe line.</param>
public sealed record RecipeMask(string Band, QualityMask Mask, int Line);

/// <summary>One guidance channel.</summary>
/// <param name="Channel">Name, unit and description.</param>
/// <param name="Expression">Per-pixel expression over bands.</param>
/// <param name="Line">Recipe line.</param>
public sealed record RecipeChannel(GuidanceChannel Channel, BandExpression Expression, int Line)
{
    /// <summary>Whether the channel's kind comes from its bands' kinds (stated by the recipe or by their calibration),
    /// not guessed from the channel's name.</summary>
    public bool KindStated { get; init; } = true;
}

/// <summary>The target grid: like a band's grid, or an explicit CRS, resolution and optional bounds.</summary>
/// <param name="Like">Band whose grid is the target.</param>
/// <param name="Crs">Target CRS (<c>EPSG:n</c>, WKT, or <c>utm</c> for the zone of the scene centre).</param>
/// <param name="ResolutionMetres">Pixel size in CRS units.</param>
/// <param name="Bounds">minx, miny, maxx, maxy in the target CRS; null for the LST source's footprint.</param>
/// <param name="Line">Recipe line.</param>
public sealed record RecipeGrid(string? Like, string? Crs, double? ResolutionMetres, double[]? Bounds, int Line);
