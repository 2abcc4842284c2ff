using LstPipe.Core.Errors;
using LstPipe.Core.Units;
using LstPipe.Core.Yaml;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Masks;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Ingest.Recipes;
/// <summary>
/// A parsed ingest recipe (<c>pipelines/NAME.yaml</c>): which files of a product are read, how they calibrate,
/// which quality bands mask pixels, how LST and the guidance channels are made, and onto which grid.
/// </summary>
public sealed partial record IngestRecipe
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

    /// <summary>The STAC asset key of the metadata file (<c>mtl.txt</c>), for products read from a STAC item.</summary>
    public string? MetadataAsset { get; init; }

    /// <summary>The sensor the recipe reads (<c>sensor:</c>, for example <c>Landsat 8 OLI/TIRS</c>); the product's
    /// metadata (an MTL, a MODIS granule, an ECOSTRESS file name) names it where it can, this otherwise.</summary>
    public string? Sensor { get; init; }

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
        ["modis-lst"] = ProductKind.ModisLst,
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
        ["modis-lst"] = CalibrationKind.ModisLst,
    };

    private static readonly Dictionary<string, QualityScheme?> Schemes = new()
    {
        ["auto"] = null,
        ["landsat-c2-qa-pixel"] = QualityScheme.LandsatC2QaPixel,
        ["landsat-c1-bqa"] = QualityScheme.LandsatC1Bqa,
        ["landsat-pre-collection-bqa"] = QualityScheme.LandsatPreCollectionBqa,
        ["ecostress-qc"] = QualityScheme.EcostressQc,
        ["nonzero"] = QualityScheme.Nonzero,
        ["modis-lst-qc"] = QualityScheme.ModisLstQc,
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
        var sensor = root.String("sensor");
        var metadata = root.String("metadata");
        var metadataAsset = root.String("metadata_asset");
        var handbook = root.String("thermal_constants") switch
        {
            null or "mtl" => false,
            "handbook" => true,
            var other => throw new UsageException($"{root.At(root.Node("thermal_constants")!)}: 'thermal_constants: {other}' " +
                $"must be mtl or handbook"),
        };
        if (product is ProductKind.LandsatL1 && metadata is null)
        {
            throw new UsageException($"{root.Where}: a landsat-l1 recipe needs 'metadata' (a glob of the MTL file, for example " +
                $"\"*_MTL.txt\")");
        }

        var bands = ReadBands(root, product);
        var names = bands.Select(b => b.Name).ToArray();
        var lst = ReadLst(root, bands);
        var masks = ReadMasks(root, bands);
        var guidance = LabelKinds(ReadGuidance(root, bands), bands);
        var grid = ReadGrid(root, bands);
        root.RejectUnknown();
        if (lst.NativeResolutionMetres is null && product == ProductKind.GeoTiff)
        {
            throw new UsageException($"{root.File}:{lst.Line}: a geotiff recipe must state 'lst.native_resolution': the metres " +
                $"the thermal " +
                "sensor resolved (Landsat 8/9 TIRS 100, ETM+ 60, TM 120, ECOSTRESS 70, SDGSAT-1 TIS 30), however fine the LST file's grid");
        }

        return new IngestRecipe
        {
            Path = System.IO.Path.GetFullPath(path),
            Name = name,
            Description = description,
            Sensor = string.IsNullOrWhiteSpace(sensor) ? null : sensor.Trim(),
            Product = product,
            Metadata = metadata,
            MetadataAsset = metadataAsset,
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
        var section = root.Section("bands") ?? throw new UsageException($"{root.Where}: 'bands' is required: name each input " +
            $"file, for example 'red: {{ file: \"*_B4.TIF\" }}'");
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
            var asset = b.String("asset");
            var file = asset is null ? b.RequireString("file") : b.String("file") ?? "";
            var index = (int)(b.Number("band") ?? 1);
            var landsat = b.String("landsat");
            var calibration = b.Enum("calibrate", Calibrations, DefaultCalibration(product, landsat));
            var scale = b.Number("scale") ?? 1;
            var offset = b.Number("offset") ?? 0;
            var unit = b.String("unit") ?? "K";
            var noData = b.Number("nodata");
            var optional = b.Bool("optional") ?? false;
            var subdataset = b.String("subdataset");
            var radiance = ReadRadiance(b, calibration, root.File, key, line);
            var kind = ReadKind(b, calibration, key);
            b.RejectUnknown();
            unit = LstUnits.TryParse(unit) is { } parsed ? LstUnits.Symbol(parsed)
                : throw new UsageException($"{root.File}:{line}: band '{key}' unit '{unit}' must be {LstUnits.Accepted}");

            if (index < 1)
            {
                throw new UsageException($"{root.File}:{line}: band '{key}' band index {index} must be 1 or more");
            }

            if (calibration is CalibrationKind.Toa or CalibrationKind.BrightnessTemperature && landsat is null)
            {
                throw new UsageException($"{root.File}:{line}: band '{key}' calibrates from the MTL and needs 'landsat: <band " +
                    $"id>', for example landsat: \"4\"");
            }

            if (calibration is CalibrationKind.Toa or CalibrationKind.BrightnessTemperature && product != ProductKind.LandsatL1)
            {
                throw new UsageException($"{root.File}:{line}: band '{key}': calibrate toa/bt needs product landsat-l1");
            }

            bands.Add(new RecipeBand(key, file, index, landsat, calibration, scale, offset, unit, noData, line, radiance, optional)
            {
                Subdataset = subdataset,
                Asset = asset,
                Kind = kind,
            });
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
            if (gain is not null || bias is not null || calibrationFile is not null || wavelength is not null
                || esun is not null || bandNm.Count > 0
                || k1 is not null || k2 is not null || named is not null)
            {
                throw new UsageException($"{file}:{line}: band '{key}': gain, bias, calibration_file, wavelength, esun, " +
                    $"band_nm, k1, k2 and thermal_constants belong to 'calibrate: radiance-bt' or 'radiance-toa'");
            }

            return null;
        }

        var thermal = ReadThermalConstants(calibration, k1, k2, named, file, key, line);
        wavelength ??= thermal.Wavelength;

        if ((gain is null || bias is null) && calibrationFile is null)
        {
            throw new UsageException($"{file}:{line}: band '{key}' calibrates from radiance and needs 'gain' and 'bias' or a " +
                $"'calibration_file' glob");
        }

        double[]? edges = null;
        if (bandNm.Count > 0)
        {
            edges = bandNm.Select(x => double.TryParse(x.Value, System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new UsageException($"{file}:{x.Line}: band_nm value '{x.Value}' is not a number")).ToArray();
            if (edges.Length != 2 || !(edges[0] > 0 && edges[0] < edges[1]))
            {
                throw new UsageException($"{file}:{line}: band '{key}': 'band_nm' must be [lower, upper] in nm, for example [630, 690]");
            }
        }

        if (calibration == CalibrationKind.RadianceBrightness && wavelength is not > 0)
        {
            throw new UsageException($"{file}:{line}: band '{key}': 'calibrate: radiance-bt' needs the band's centre " +
                $"'wavelength' in um, for example 10.8");
        }

        if (calibration == CalibrationKind.RadianceToa && esun is null && edges is null && calibrationFile is null)
        {
            throw new UsageException($"{file}:{line}: band '{key}': 'calibrate: radiance-toa' needs 'esun' (W/(m2 um)), " +
                $"'band_nm' for an estimate, or a 'calibration_file' that gives ESUN");
        }

        return new RadianceSpec(gain, bias, calibrationFile, wavelength, esun, edges)
        {
            Thermal = thermal.Constants,
            ThermalSource = thermal.Source
        };
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
                ? ((c.K1, c.K2), $"handbook ({named})", c.WavelengthMicrons)
                : throw new UsageException($"{file}:{line}: band '{key}': 'thermal_constants: {named}' must name a sensor band " +
                    $"the project knows ({names}), or give 'k1' and 'k2'");
        }

        if ((k1 is null) != (k2 is null) || k1 is <= 0 || k2 is <= 0)
        {
            throw new UsageException($"{file}:{line}: band '{key}': 'k1' (W/(m2 sr um)) and 'k2' (K) go together and are " +
                $"positive, for example k1: 666.09, k2: 1282.71");
        }

        return k1 is null ? (null, null, null) : ((k1.Value, k2!.Value), "recipe (its k1, k2)", null);
    }

    private static CalibrationKind DefaultCalibration(ProductKind product, string? landsatBand) => product switch
    {
        ProductKind.LandsatL1 when landsatBand is not null
            => LandsatCalibration.IsThermalBand(landsatBand) ? CalibrationKind.BrightnessTemperature : CalibrationKind.Toa,
        _ => CalibrationKind.None,
    };
}
