using LstPipe.Core.Errors;
using LstPipe.Core.Scenes;
using LstPipe.Core.Units;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Expressions;
using LstPipe.Ingest.Masks;
using YamlDotNet.RepresentationModel;

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
}

/// <summary>Radiometric coefficients of a band calibrated from radiance (SDGSAT-1).</summary>
/// <param name="Gain">Radiance gain (W/(m2 sr um) per DN); the product's calibration file overrides it.</param>
/// <param name="Bias">Radiance bias; the product's calibration file overrides it.</param>
/// <param name="CalibrationFile">Glob of the product's calibration file, which may give Gain, Bias and ESUN per band.</param>
/// <param name="WavelengthMicrons">Centre wavelength of a thermal band, for K1/K2.</param>
/// <param name="Esun">Mean exoatmospheric solar irradiance of a reflective band, W/(m2 um).</param>
/// <param name="BandNm">Lower and upper band edge in nm, for an ESUN estimate when neither recipe nor product gives one.</param>
public sealed record RadianceSpec(double? Gain, double? Bias, string? CalibrationFile, double? WavelengthMicrons, double? Esun, double[]? BandNm)
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
    double Scale, double Offset, string Unit, double? NoData, int Line, RadianceSpec? Radiance = null, bool Optional = false);

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
public sealed record RecipeChannel(GuidanceChannel Channel, BandExpression Expression, int Line);

/// <summary>The target grid: like a band's grid, or an explicit CRS, resolution and optional bounds.</summary>
/// <param name="Like">Band whose grid is the target.</param>
/// <param name="Crs">Target CRS (<c>EPSG:n</c>, WKT, or <c>utm</c> for the zone of the scene centre).</param>
/// <param name="ResolutionMetres">Pixel size in CRS units.</param>
/// <param name="Bounds">minx, miny, maxx, maxy in the target CRS; null for the LST source's footprint.</param>
/// <param name="Line">Recipe line.</param>
public sealed record RecipeGrid(string? Like, string? Crs, double? ResolutionMetres, double[]? Bounds, int Line);

/// <summary>
/// A parsed ingest recipe (<c>pipelines/NAME.yaml</c>): which files of a product are read, how they calibrate,
/// which quality bands mask pixels, how LST and the guidance channels are made, and onto which grid.
/// </summary>
public sealed record IngestRecipe
{
    /// <summary>The recipe file.</summary>
    public required string Path { get; init; }

    /// <summary>Recipe name.</summary>
    public required string Name { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>The product family.</summary>
    public required ProductKind Product { get; init; }

    /// <summary>Glob of the Landsat MTL (text or XML).</summary>
    public string? Metadata { get; init; }

    /// <summary>Use the published K1/K2 of TM and ETM+ where an older MTL lacks them.</summary>
    public bool HandbookThermalConstants { get; init; }

    /// <summary>Named input bands.</summary>
    public required IReadOnlyList<RecipeBand> Bands { get; init; }

    /// <summary>The LST definition.</summary>
    public required RecipeLst Lst { get; init; }

    /// <summary>Masks; their union is nodata in the scene.</summary>
    public required IReadOnlyList<RecipeMask> Masks { get; init; }

    /// <summary>Guidance channels in band order.</summary>
    public required IReadOnlyList<RecipeChannel> Guidance { get; init; }

    /// <summary>The target grid.</summary>
    public required RecipeGrid Grid { get; init; }

    /// <summary>Looks up a band by name.</summary>
    public RecipeBand Band(string name) => Bands.First(b => b.Name == name);

    private static readonly Dictionary<string, ProductKind> Products = new()
    {
        ["landsat-l1"] = ProductKind.LandsatL1,
        ["landsat-c2l2"] = ProductKind.LandsatC2L2,
        ["ecostress-l2"] = ProductKind.EcostressL2,
        ["geotiff"] = ProductKind.GeoTiff,
        ["sdgsat1"] = ProductKind.Sdgsat1,
    };

    private static readonly Dictionary<string, CalibrationKind> Calibrations = new()
    {
        ["none"] = CalibrationKind.None,
        ["toa"] = CalibrationKind.Toa,
        ["bt"] = CalibrationKind.BrightnessTemperature,
        ["sr"] = CalibrationKind.SurfaceReflectance,
        ["st"] = CalibrationKind.SurfaceTemperature,
        ["ecostress-lst"] = CalibrationKind.EcostressLst,
        ["linear"] = CalibrationKind.Linear,
        ["qa"] = CalibrationKind.Quality,
        ["radiance-bt"] = CalibrationKind.RadianceBrightness,
        ["radiance-toa"] = CalibrationKind.RadianceToa,
    };

    private static readonly Dictionary<string, QualityScheme?> Schemes = new()
    {
        ["auto"] = null,
        ["landsat-c2-qa-pixel"] = QualityScheme.LandsatC2QaPixel,
        ["landsat-c1-bqa"] = QualityScheme.LandsatC1Bqa,
        ["landsat-pre-collection-bqa"] = QualityScheme.LandsatPreCollectionBqa,
        ["ecostress-qc"] = QualityScheme.EcostressQc,
        ["nonzero"] = QualityScheme.Nonzero,
    };

    private static readonly Dictionary<string, QualityFlag> FlagNames = new()
    {
        ["fill"] = QualityFlag.Fill,
        ["cloud"] = QualityFlag.Cloud,
        ["dilated_cloud"] = QualityFlag.DilatedCloud,
        ["cirrus"] = QualityFlag.Cirrus,
        ["cloud_shadow"] = QualityFlag.CloudShadow,
        ["snow"] = QualityFlag.Snow,
        ["water"] = QualityFlag.Water,
    };

    private static readonly Dictionary<string, QualityConfidence> Confidences = new()
    {
        ["low"] = QualityConfidence.Low,
        ["medium"] = QualityConfidence.Medium,
        ["high"] = QualityConfidence.High,
    };

    /// <summary>Reads and checks a recipe; a Landsat <c>auto</c> quality scheme is resolved later, from the MTL.</summary>
    /// <exception cref="UsageException">A syntax error, an unknown key or value, or a name that refers to nothing;
    /// the message starts with <c>file:line</c>.</exception>
    public static IngestRecipe Load(string path)
    {
        var root = YamlSection.Load(path);
        var product = root.Enum("product", Products, (ProductKind)(-1));
        if ((int)product == -1)
        {
            throw new UsageException($"{root.Where}: 'product' is required: one of {string.Join(", ", Products.Keys)}");
        }

        var name = root.String("name") ?? System.IO.Path.GetFileNameWithoutExtension(path);
        var description = root.String("description");
        var metadata = root.String("metadata");
        var handbook = root.String("thermal_constants") switch
        {
            null or "mtl" => false,
            "handbook" => true,
            var other => throw new UsageException($"{root.At(root.Node("thermal_constants")!)}: 'thermal_constants: {other}' must be mtl or handbook"),
        };
        if (product is ProductKind.LandsatL1 && metadata is null)
        {
            throw new UsageException($"{root.Where}: a landsat-l1 recipe needs 'metadata' (a glob of the MTL file, for example \"*_MTL.txt\")");
        }

        var bands = ReadBands(root, product);
        var names = bands.Select(b => b.Name).ToArray();
        var lst = ReadLst(root, bands);
        var masks = ReadMasks(root, bands);
        var guidance = LabelReflectance(ReadGuidance(root, bands), bands);
        var grid = ReadGrid(root, bands);
        root.RejectUnknown();
        if (lst.NativeResolutionMetres is null && product == ProductKind.GeoTiff)
        {
            throw new UsageException($"{root.File}:{lst.Line}: a geotiff recipe must state 'lst.native_resolution': the metres the thermal " +
                "sensor resolved (Landsat 8/9 TIRS 100, ETM+ 60, TM 120, ECOSTRESS 70, SDGSAT-1 TIS 30), however fine the LST file's grid");
        }

        return new IngestRecipe
        {
            Path = System.IO.Path.GetFullPath(path),
            Name = name,
            Description = description,
            Product = product,
            Metadata = metadata,
            HandbookThermalConstants = handbook,
            Bands = bands,
            Lst = lst,
            Masks = masks,
            Guidance = guidance,
            Grid = grid,
        };
    }

    private static List<RecipeBand> ReadBands(YamlSection root, ProductKind product)
    {
        var section = root.Section("bands") ?? throw new UsageException($"{root.Where}: 'bands' is required: name each input file, for example 'red: {{ file: \"*_B4.TIF\" }}'");
        var bands = new List<RecipeBand>();
        foreach (var (key, node) in section.Entries())
        {
            section.Node(key);
            if (node is YamlScalarNode shorthand)
            {
                bands.Add(new RecipeBand(key, shorthand.Value ?? "", 1, null, CalibrationKind.None, 1, 0, "K", null, (int)node.Start.Line));
                continue;
            }

            var b = node is YamlMappingNode m
                ? new YamlSection(root.File, m, "bands." + key)
                : throw new UsageException($"{section.At(node)}: band '{key}' must be a file glob or a mapping");
            var line = (int)node.Start.Line;
            var file = b.RequireString("file");
            var index = (int)(b.Number("band") ?? 1);
            var landsat = b.String("landsat");
            var calibration = b.Enum("calibrate", Calibrations, DefaultCalibration(product, landsat));
            var scale = b.Number("scale") ?? 1;
            var offset = b.Number("offset") ?? 0;
            var unit = b.String("unit") ?? "K";
            var noData = b.Number("nodata");
            var optional = b.Bool("optional") ?? false;
            var radiance = ReadRadiance(b, calibration, root.File, key, line);
            b.RejectUnknown();
            unit = LstUnits.TryParse(unit) switch
            {
                TemperatureUnit.Kelvin => "K",
                TemperatureUnit.Celsius => "C",
                _ => throw new UsageException($"{root.File}:{line}: band '{key}' unit '{unit}' must be {LstUnits.Accepted}"),
            };

            if (index < 1)
            {
                throw new UsageException($"{root.File}:{line}: band '{key}' band index {index} must be 1 or more");
            }

            if (calibration is CalibrationKind.Toa or CalibrationKind.BrightnessTemperature && landsat is null)
            {
                throw new UsageException($"{root.File}:{line}: band '{key}' calibrates from the MTL and needs 'landsat: <band id>', for example landsat: \"4\"");
            }

            if (calibration is CalibrationKind.Toa or CalibrationKind.BrightnessTemperature && product != ProductKind.LandsatL1)
            {
                throw new UsageException($"{root.File}:{line}: band '{key}': calibrate toa/bt needs product landsat-l1");
            }

            bands.Add(new RecipeBand(key, file, index, landsat, calibration, scale, offset, unit, noData, line, radiance, optional));
        }

        if (bands.Count == 0)
        {
            throw new UsageException($"{section.Where}: 'bands' is empty");
        }

        return bands;
    }

    private static RadianceSpec? ReadRadiance(YamlSection b, CalibrationKind calibration, string file, string key, int line)
    {
        var gain = b.Number("gain");
        var bias = b.Number("bias");
        var calibrationFile = b.String("calibration_file");
        var wavelength = b.Number("wavelength");
        var esun = b.Number("esun");
        var bandNm = b.List("band_nm");
        var (k1, k2, named) = (b.Number("k1"), b.Number("k2"), b.String("thermal_constants"));
        if (calibration is not (CalibrationKind.RadianceBrightness or CalibrationKind.RadianceToa))
        {
            if (gain is not null || bias is not null || calibrationFile is not null || wavelength is not null || esun is not null || bandNm.Count > 0
                || k1 is not null || k2 is not null || named is not null)
            {
                throw new UsageException($"{file}:{line}: band '{key}': gain, bias, calibration_file, wavelength, esun, band_nm, k1, k2 and thermal_constants belong to 'calibrate: radiance-bt' or 'radiance-toa'");
            }

            return null;
        }

        var thermal = ReadThermalConstants(calibration, k1, k2, named, file, key, line);
        wavelength ??= thermal.Wavelength;

        if ((gain is null || bias is null) && calibrationFile is null)
        {
            throw new UsageException($"{file}:{line}: band '{key}' calibrates from radiance and needs 'gain' and 'bias' or a 'calibration_file' glob");
        }

        double[]? edges = null;
        if (bandNm.Count > 0)
        {
            edges = bandNm.Select(x => double.TryParse(x.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new UsageException($"{file}:{x.Line}: band_nm value '{x.Value}' is not a number")).ToArray();
            if (edges.Length != 2 || !(edges[0] > 0 && edges[0] < edges[1]))
            {
                throw new UsageException($"{file}:{line}: band '{key}': 'band_nm' must be [lower, upper] in nm, for example [630, 690]");
            }
        }

        if (calibration == CalibrationKind.RadianceBrightness && wavelength is not > 0)
        {
            throw new UsageException($"{file}:{line}: band '{key}': 'calibrate: radiance-bt' needs the band's centre 'wavelength' in um, for example 10.8");
        }

        if (calibration == CalibrationKind.RadianceToa && esun is null && edges is null && calibrationFile is null)
        {
            throw new UsageException($"{file}:{line}: band '{key}': 'calibrate: radiance-toa' needs 'esun' (W/(m2 um)), 'band_nm' for an estimate, or a 'calibration_file' that gives ESUN");
        }

        return new RadianceSpec(gain, bias, calibrationFile, wavelength, esun, edges) { Thermal = thermal.Constants, ThermalSource = thermal.Source };
    }

    /// <summary>A radiance-bt band's K1/K2: both given, or a named sensor band's handbook constants (with its
    /// wavelength), or neither (Planck's law at the centre wavelength).</summary>
    private static ((double, double)? Constants, string? Source, double? Wavelength) ReadThermalConstants(CalibrationKind calibration,
        double? k1, double? k2, string? named, string file, string key, int line)
    {
        if ((k1 is not null || k2 is not null || named is not null) && calibration != CalibrationKind.RadianceBrightness)
        {
            throw new UsageException($"{file}:{line}: band '{key}': k1, k2 and thermal_constants belong to 'calibrate: radiance-bt'");
        }

        if (named is not null)
        {
            if (k1 is not null || k2 is not null)
            {
                throw new UsageException($"{file}:{line}: band '{key}': give either 'k1' and 'k2' or 'thermal_constants', not both");
            }

            var names = string.Join(", ", LandsatCalibration.NamedThermalConstants.Keys);
            return LandsatCalibration.NamedThermalConstants.TryGetValue(named, out var c)
                ? ((c.K1, c.K2), $"handbook constants of {named}", c.WavelengthMicrons)
                : throw new UsageException($"{file}:{line}: band '{key}': 'thermal_constants: {named}' must name a sensor band the project knows ({names}), or give 'k1' and 'k2'");
        }

        if ((k1 is null) != (k2 is null) || k1 is <= 0 || k2 is <= 0)
        {
            throw new UsageException($"{file}:{line}: band '{key}': 'k1' (W/(m2 sr um)) and 'k2' (K) go together and are positive, for example k1: 666.09, k2: 1282.71");
        }

        return k1 is null ? (null, null, null) : ((k1.Value, k2!.Value), "the recipe's k1/k2", null);
    }

    private static CalibrationKind DefaultCalibration(ProductKind product, string? landsatBand) => product switch
    {
        ProductKind.LandsatL1 when landsatBand is not null => LandsatCalibration.IsThermalBand(landsatBand) ? CalibrationKind.BrightnessTemperature : CalibrationKind.Toa,
        _ => CalibrationKind.None,
    };

    private static RecipeLst ReadLst(YamlSection root, IReadOnlyList<RecipeBand> bands)
    {
        var s = root.Section("lst") ?? throw new UsageException($"{root.Where}: 'lst' is required, for example 'lst: {{ band: thermal }}'");
        var band = s.RequireString("band");
        var method = s.String("method") ?? "single-channel";
        var emissivity = s.String("emissivity") ?? (method == "split-window" ? "ndvi-threshold" : "none");
        var red = s.String("red");
        var nir = s.String("nir");
        var band2 = s.String("band2");
        var waterVapour = s.Number("water_vapour");
        var coefficients = s.List("coefficients");
        var emissivityResolution = s.String("emissivity_resolution") ?? "thermal";
        var native = s.Number("native_resolution");
        var atmosphere = ReadAtmosphere(s);
        s.RejectUnknown();
        RequireBand(s, band, bands);
        if (method is not ("single-channel" or "split-window"))
        {
            throw new UsageException($"{s.Where}: 'lst.method: {method}' must be single-channel or split-window");
        }

        if (emissivityResolution is not ("thermal" or "grid"))
        {
            throw new UsageException($"{s.Where}: 'lst.emissivity_resolution: {emissivityResolution}' must be thermal (the NDVI averaged to the thermal band's resolution) or grid");
        }

        if (native is <= 0)
        {
            throw new UsageException($"{s.Where}: 'lst.native_resolution' must be a positive number of metres");
        }

        var lstBand = bands.First(b => b.Name == band);
        var fromBrightness = lstBand.Calibration is CalibrationKind.BrightnessTemperature or CalibrationKind.RadianceBrightness;
        IReadOnlyList<double> c = ThermalPhysics.JimenezMunoz2014;
        var source = "jimenez-munoz2014";
        if (method == "split-window")
        {
            if (band2 is null || waterVapour is null)
            {
                throw new UsageException($"{s.Where}: 'lst.method: split-window' needs 'band2' (the ~12 um band) and 'water_vapour' (column water vapour, g/cm2)");
            }

            RequireBand(s, band2, bands);
            if (!fromBrightness || bands.First(b => b.Name == band2).Calibration is not (CalibrationKind.BrightnessTemperature or CalibrationKind.RadianceBrightness))
            {
                throw new UsageException($"{s.Where}: a split window takes two brightness temperatures; calibrate '{band}' and '{band2}' with bt or radiance-bt");
            }

            if (waterVapour is < 0 or > 10)
            {
                throw new UsageException($"{s.Where}: 'lst.water_vapour: {waterVapour}' is outside 0-10 g/cm2");
            }

            if (atmosphere is not null)
            {
                throw new UsageException($"{s.Where}: a split window corrects the atmosphere itself from 'water_vapour'; remove 'atmosphere'");
            }

            if (emissivity != "ndvi-threshold")
            {
                throw new UsageException($"{s.Where}: a split window uses per-band NDVI-threshold emissivities ('emissivity: ndvi-threshold'), not '{emissivity}'");
            }

            if (coefficients.Count > 0)
            {
                c = coefficients.Select(x => double.TryParse(x.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
                    ? v
                    : throw new UsageException($"{root.File}:{x.Line}: coefficient '{x.Value}' is not a number")).ToArray();
                if (c.Count != 7)
                {
                    throw new UsageException($"{s.Where}: 'lst.coefficients' must list the seven split-window coefficients c0..c6");
                }

                source = "recipe";
            }

            red ??= "red";
            nir ??= "nir";
            RequireBand(s, red, bands);
            RequireBand(s, nir, bands);
        }
        else
        {
            if (band2 is not null || waterVapour is not null || coefficients.Count > 0)
            {
                throw new UsageException($"{s.Where}: band2, water_vapour and coefficients belong to 'method: split-window'");
            }

            if (emissivity is not ("none" or "sobrino2004"))
            {
                throw new UsageException($"{s.Where}: 'lst.emissivity: {emissivity}' must be none or sobrino2004");
            }

            if (emissivity == "sobrino2004")
            {
                red ??= "red";
                nir ??= "nir";
                RequireBand(s, red, bands);
                RequireBand(s, nir, bands);
                if (!fromBrightness)
                {
                    throw new UsageException($"{s.Where}: emissivity correction applies to brightness temperature; band '{band}' is not calibrated with 'bt' or 'radiance-bt'");
                }
            }

            if (atmosphere is not null && !fromBrightness)
            {
                throw new UsageException($"{s.Where}: 'atmosphere' corrects at-sensor brightness temperature; band '{band}' is already a surface temperature");
            }
        }

        if (lstBand.Calibration is CalibrationKind.None or CalibrationKind.Toa or CalibrationKind.SurfaceReflectance or CalibrationKind.Quality or CalibrationKind.RadianceToa)
        {
            throw new UsageException($"{s.Where}: band '{band}' is not a temperature: calibrate it with bt, radiance-bt, st, ecostress-lst or linear");
        }

        if (lstBand.Optional || (band2 is not null && bands.First(b => b.Name == band2).Optional))
        {
            throw new UsageException($"{s.Where}: the LST band cannot be optional");
        }

        return new RecipeLst(band, emissivity, red, nir, s.Line)
        {
            Method = method,
            Band2 = band2,
            WaterVapour = waterVapour,
            Coefficients = c,
            CoefficientsSource = source,
            EmissivityResolution = emissivityResolution,
            NativeResolutionMetres = native,
            Atmosphere = atmosphere,
            FromBrightness = fromBrightness,
        };
    }

    private static Atmosphere? ReadAtmosphere(YamlSection lst)
    {
        var a = lst.Section("atmosphere");
        if (a is null)
        {
            return null;
        }

        var tau = a.Number("transmittance");
        var up = a.Number("upwelling");
        var down = a.Number("downwelling");
        a.RejectUnknown();
        if (tau is not (> 0 and <= 1) || up is not >= 0 || down is not >= 0)
        {
            throw new UsageException($"{a.Where}: 'lst.atmosphere' needs transmittance in (0, 1] and non-negative upwelling and downwelling radiances (W/(m2 sr um)), as NASA's atmospheric correction parameter calculator gives them");
        }

        return new Atmosphere(tau.Value, up.Value, down.Value);
    }

    private static List<RecipeMask> ReadMasks(YamlSection root, IReadOnlyList<RecipeBand> bands)
    {
        var result = new List<RecipeMask>();
        var node = root.Node("masks");
        if (node is null)
        {
            return result;
        }

        if (node is not YamlSequenceNode seq)
        {
            throw new UsageException($"{root.At(node)}: 'masks' must be a list of '- band: NAME' entries");
        }

        foreach (var item in seq.Children)
        {
            if (item is not YamlMappingNode m)
            {
                throw new UsageException($"{root.At(item)}: a mask must be a mapping with 'band' and 'scheme'");
            }

            var s = new YamlSection(root.File, m, "masks");
            var band = s.RequireString("band");
            var scheme = s.Enum<QualityScheme?>("scheme", Schemes, null);
            var flags = s.List("flags").Select(f => FlagNames.TryGetValue(f.Value, out var q)
                ? q
                : throw new UsageException($"{root.File}:{f.Line}: unknown quality flag '{f.Value}'; known: {string.Join(", ", FlagNames.Keys)}")).ToHashSet();
            var confidence = s.Enum("confidence", Confidences, QualityConfidence.Medium);
            s.RejectUnknown();
            RequireBand(s, band, bands);
            if (bands.First(b => b.Name == band).Calibration != CalibrationKind.Quality)
            {
                throw new UsageException($"{s.Where}: mask band '{band}' must be declared with 'calibrate: qa'");
            }

            if (flags.Count == 0)
            {
                flags = [QualityFlag.Fill, QualityFlag.Cloud, QualityFlag.DilatedCloud, QualityFlag.Cirrus, QualityFlag.CloudShadow, QualityFlag.Snow];
            }

            result.Add(new RecipeMask(band, new QualityMask(scheme ?? (QualityScheme)(-1), flags, confidence), s.Line));
        }

        return result;
    }

    private static List<RecipeChannel> ReadGuidance(YamlSection root, IReadOnlyList<RecipeBand> bands)
    {
        var section = root.Section("guidance");
        var names = bands.Select(b => b.Name).ToArray();
        var result = new List<RecipeChannel>();
        if (section is null)
        {
            foreach (var c in GuidanceChannel.GrokLst)
            {
                var text = DefaultExpression(c.Name);
                var e = BandExpression.Parse(text, $"{root.Where} (default channel '{c.Name}')");
                if (e.Names.Any(n => !names.Contains(n)))
                {
                    throw new UsageException(
                        $"{root.Where}: no 'guidance' section, so the ten GrokLST channels are made, but channel '{c.Name}' needs band(s) " +
                        $"{string.Join(", ", e.Names.Where(n => !names.Contains(n)))}; list the channels this product can give under 'guidance' (for example 'vre: nir' or leave it out)");
                }

                result.Add(new RecipeChannel(c, e, root.Line));
            }

            return result;
        }

        foreach (var (key, node) in section.Entries())
        {
            section.Node(key);
            if (node is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
            {
                throw new UsageException($"{section.At(node)}: guidance channel '{key}' must be an expression over bands, for example '(nir - red) / (nir + red)'");
            }

            var where = section.At(node);
            var e = BandExpression.Parse(scalar.Value, where);
            e.RequireNames(names, where);
            var known = GuidanceChannel.GrokLst.FirstOrDefault(c => c.Name == key);
            var channel = known ?? new GuidanceChannel(key, "1", scalar.Value);
            result.Add(new RecipeChannel(channel, e, (int)node.Start.Line));
        }

        if (result.Count == 0)
        {
            throw new UsageException($"{section.Where}: 'guidance' lists no channels");
        }

        return result;
    }

    /// <summary>Says which reflectance a channel is made of: a channel computed only from top-of-atmosphere bands
    /// (Landsat Level-1, SDGSAT-1 MII) is labelled top-of-atmosphere, never "surface reflectance".</summary>
    private static List<RecipeChannel> LabelReflectance(List<RecipeChannel> channels, IReadOnlyList<RecipeBand> bands)
    {
        var toa = bands.Where(b => b.Calibration is CalibrationKind.Toa or CalibrationKind.RadianceToa).Select(b => b.Name).ToHashSet();
        return channels.Select(c =>
        {
            var names = c.Expression.Names;
            if (names.Count == 0 || !names.All(toa.Contains))
            {
                return c;
            }

            var d = c.Channel.Description;
            d = d.Contains("surface reflectance", StringComparison.Ordinal)
                ? d.Replace("surface reflectance", "top-of-atmosphere reflectance", StringComparison.Ordinal)
                : d + ", from top-of-atmosphere reflectance";
            return c with { Channel = c.Channel with { Description = d } };
        }).ToList();
    }

    /// <summary>The expression each GrokLST channel has when a recipe names no guidance section.</summary>
    public static string DefaultExpression(string channel) => channel switch
    {
        "ndvi" => "(nir - red) / (nir + red)",
        "ndwi" => "(green - nir) / (green + nir)",
        "ndmvi" => "ndmvi",
        _ => channel,
    };

    private static RecipeGrid ReadGrid(YamlSection root, IReadOnlyList<RecipeBand> bands)
    {
        var s = root.Section("grid");
        if (s is null)
        {
            var like = bands.FirstOrDefault(b => b.Calibration is CalibrationKind.Toa or CalibrationKind.SurfaceReflectance)
                       ?? bands.FirstOrDefault(b => b.Calibration is not CalibrationKind.Quality) ?? bands[0];
            return new RecipeGrid(like.Name, null, null, null, root.Line);
        }

        var likeName = s.String("like");
        var crs = s.String("crs");
        var resolution = s.Number("resolution");
        var boundsList = s.List("bounds");
        s.RejectUnknown();
        double[]? bounds = null;
        if (boundsList.Count > 0)
        {
            bounds = boundsList.Select(b => double.TryParse(b.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new UsageException($"{root.File}:{b.Line}: bound '{b.Value}' is not a number")).ToArray();
            if (bounds.Length != 4 || bounds[0] >= bounds[2] || bounds[1] >= bounds[3])
            {
                throw new UsageException($"{s.Where}: 'grid.bounds' must be [minx, miny, maxx, maxy] with min < max");
            }
        }

        if (likeName is not null)
        {
            RequireBand(s, likeName, bands);
            if (crs is not null || resolution is not null || bounds is not null)
            {
                throw new UsageException($"{s.Where}: 'grid.like' excludes crs, resolution and bounds");
            }
        }
        else if (crs is null || resolution is not > 0)
        {
            throw new UsageException($"{s.Where}: 'grid' needs either 'like: BAND' or 'crs' (EPSG:n or utm) with a positive 'resolution'");
        }

        return new RecipeGrid(likeName, crs, resolution, bounds, s.Line);
    }

    private static void RequireBand(YamlSection s, string name, IReadOnlyList<RecipeBand> bands)
    {
        if (bands.All(b => b.Name != name))
        {
            throw new UsageException($"{s.Where}: '{name}' is not a band of this recipe; its bands are: {string.Join(", ", bands.Select(b => b.Name))}");
        }
    }
}
