using LstPipe.Core.Errors;
using LstPipe.Core.Yaml;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Expressions;
using LstPipe.Ingest.Masks;
using LstPipe.Raster.Scenes;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Ingest.Recipes;

// The sections of an ingest recipe after its bands: the LST, masks, guidance channels and grid.
public sealed partial record IngestRecipe
{
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
        var (viewTime, viewZenith, maxViewZenith) = (s.String("view_time"), s.String("view_zenith"), s.Number("max_view_zenith"));
        s.RejectUnknown();
        RequireBand(s, band, bands);
        foreach (var v in new[] { viewTime, viewZenith }.OfType<string>())
        {
            RequireBand(s, v, bands);
        }

        if (maxViewZenith is not null && (viewZenith is null || maxViewZenith is not (> 0 and <= 90)))
        {
            throw new UsageException($"{s.Where}: 'lst.max_view_zenith' needs 'lst.view_zenith' (the band of view zenith angles) " +
                $"and a limit in (0, 90] degrees, for example 45");
        }

        if (method is not ("single-channel" or "split-window"))
        {
            throw new UsageException($"{s.Where}: 'lst.method: {method}' must be single-channel or split-window");
        }

        if (emissivityResolution is not ("thermal" or "grid"))
        {
            throw new UsageException($"{s.Where}: 'lst.emissivity_resolution: {emissivityResolution}' must be thermal (the NDVI " +
                $"averaged to the thermal band's resolution) or grid");
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
                throw new UsageException($"{s.Where}: 'lst.method: split-window' needs 'band2' (the ~12 um band) and " +
                    $"'water_vapour' (column water vapour, g/cm2)");
            }

            RequireBand(s, band2, bands);
            if (!fromBrightness || bands.First(b
                => b.Name == band2).Calibration is not (CalibrationKind.BrightnessTemperature or CalibrationKind.RadianceBrightness))
            {
                throw new UsageException($"{s.Where}: a split window takes two brightness temperatures; calibrate '{band}' and " +
                    $"'{band2}' with bt or radiance-bt");
            }

            if (waterVapour is < 0 or > 10)
            {
                throw new UsageException($"{s.Where}: 'lst.water_vapour: {waterVapour}' is outside 0-10 g/cm2");
            }

            if (atmosphere is not null)
            {
                throw new UsageException($"{s.Where}: a split window corrects the atmosphere itself from 'water_vapour'; remove " +
                    $"'atmosphere'");
            }

            if (emissivity != "ndvi-threshold")
            {
                throw new UsageException($"{s.Where}: a split window uses per-band NDVI-threshold emissivities ('emissivity: " +
                    $"ndvi-threshold'), not '{emissivity}'");
            }

            if (coefficients.Count > 0)
            {
                c = coefficients.Select(x => double.TryParse(x.Value, System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var v)
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
                    throw new UsageException($"{s.Where}: emissivity correction applies to brightness temperature; band " +
                        $"'{band}' is not calibrated with 'bt' or 'radiance-bt'");
                }
            }

            if (atmosphere is not null && !fromBrightness)
            {
                throw new UsageException($"{s.Where}: 'atmosphere' corrects at-sensor brightness temperature; band '{band}' is " +
                    $"already a surface temperature");
            }
        }

        if (lstBand.Calibration is CalibrationKind.None or CalibrationKind.Toa or CalibrationKind.SurfaceReflectance
            or CalibrationKind.Quality or CalibrationKind.RadianceToa)
        {
            throw new UsageException($"{s.Where}: band '{band}' is not a temperature: calibrate it with bt, radiance-bt, st, " +
                $"ecostress-lst or linear");
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
            ViewTime = viewTime,
            ViewZenith = viewZenith,
            MaxViewZenith = maxViewZenith,
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
            throw new UsageException($"{a.Where}: 'lst.atmosphere' needs transmittance in (0, 1] and non-negative upwelling and " +
                $"downwelling radiances (W/(m2 sr um)), as NASA's atmospheric correction parameter calculator gives them");
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
                : throw new UsageException($"{root.File}:{f.Line}: unknown quality flag '{f.Value}'; known: " +
                    $"{string.Join(", ", FlagNames.Keys)}")).ToHashSet();
            var confidence = s.Enum("confidence", Confidences, QualityConfidence.Medium);
            var maxLstError = s.Number("max_lst_error");
            s.RejectUnknown();
            if (maxLstError is not null && (scheme != QualityScheme.ModisLstQc || maxLstError is not (1 or 2 or 3)))
            {
                throw new UsageException($"{s.Where}: 'max_lst_error' belongs to 'scheme: modis-lst-qc' and is 1, 2 or 3 (K): " +
                    $"the LST error class up to which pixels of mandatory QA 01 are kept");
            }

            RequireBand(s, band, bands);
            if (bands.First(b => b.Name == band).Calibration != CalibrationKind.Quality)
            {
                throw new UsageException($"{s.Where}: mask band '{band}' must be declared with 'calibrate: qa'");
            }

            if (flags.Count == 0)
            {
                flags = [QualityFlag.Fill, QualityFlag.Cloud, QualityFlag.DilatedCloud, QualityFlag.Cirrus,
                    QualityFlag.CloudShadow, QualityFlag.Snow];
            }

            result.Add(new RecipeMask(band, new QualityMask(scheme ?? (QualityScheme)(-1), flags, confidence)
            {
                MaxLstError = (int?)maxLstError,
            }, s.Line));
        }

        return result;
    }

    private static List<RecipeChannel> ReadGuidance(YamlSection root, IReadOnlyList<RecipeBand> bands)
    {
        if (root.Node("guidance") is YamlScalarNode { Value: "none" })
        {
            return [];
        }

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
                        $"{root.Where}: no 'guidance' section, so the ten GrokLST channels are made, but channel '{c.Name}' " +
                            $"needs band(s) " +
                        $"{string.Join(", ", e.Names.Where(n => !names.Contains(n)))}; list the channels this product can give " +
                            $"under 'guidance' (for example 'vre: nir' or leave it out)");
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
                throw new UsageException($"{section.At(node)}: guidance channel '{key}' must be an expression over bands, for " +
                    $"example '(nir - red) / (nir + red)'");
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
            bounds = boundsList.Select(b => double.TryParse(b.Value, System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var v)
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
            throw new UsageException($"{s.Where}: '{name}' is not a band of this recipe; its bands are: " +
                $"{string.Join(", ", bands.Select(b => b.Name))}");
        }
    }
}
