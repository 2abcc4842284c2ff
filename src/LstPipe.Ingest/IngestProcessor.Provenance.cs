using System.Globalization;
using System.Text.RegularExpressions;
using LstPipe.Core.IO;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Lst;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest;

// Ingest: the scene id and its provenance.
public static partial class IngestProcessor
{
    private static string SceneId(IngestOptions options, ProductMetadata? mtl, Dictionary<string, SourceBand> sources, RecipeBand lstBand)
    {
        if (options.Id is { } id)
        {
            return id;
        }

        if ((mtl?.Get("LANDSAT_PRODUCT_ID") ?? mtl?.Get("LANDSAT_SCENE_ID")) is { } product)
        {
            return product;
        }

        var match = EcostressName.Match(Path.GetFileName(sources[lstBand.Name].Dataset.Path));
        return match.Success ? $"ECOSTRESS_{match.Groups["doy"].Value}" : Path.GetFileName(Path.GetFullPath(options.Output));
    }

    private static readonly Regex EcostressName = new(@"^(?<product>ECO_L\w+?\.\d{3})_.*doy(?<doy>\d{13})", RegexOptions.CultureInvariant);

    private static SceneProvenance Provenance(IngestOptions options, WriteContext x, IReadOnlyList<string> warnings,
        DetailStatistics lstDetail, DetailStatistics termDetail)
    {
        var (recipe, mtl, sources, masks) = (x.Recipe, x.Mtl, x.Sources, x.Masks);
        var files = new List<SourceFile>();
        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        string Sha(string path) => checksums.TryGetValue(path, out var s) ? s : checksums[path] = Checksums.Sha256(path);
        foreach (var group in recipe.Bands.GroupBy(b => sources[b.Name].Dataset.Path))
        {
            files.Add(new SourceFile(group.Key, Sha(group.Key), string.Join(",", group.Select(b => b.Name))));
        }

        if (mtl is not null)
        {
            files.Add(new SourceFile(mtl.Path, Sha(mtl.Path), "metadata"));
        }

        files.Add(new SourceFile(recipe.Path, Sha(recipe.Path), "recipe"));
        var inv = CultureInfo.InvariantCulture;
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["recipe"] = recipe.Name,
            ["recipe.path"] = recipe.Path,
            ["product"] = recipe.Product.ToString(),
            ["lst.band"] = recipe.Lst.Band,
            ["lst.emissivity"] = recipe.Lst.Emissivity,
            ["thermal_constants"] = recipe.HandbookThermalConstants ? "handbook where the MTL has none" : "mtl",
            ["lst.method"] = x.Retrieval.Description,
            ["lst.atmosphere"] = recipe.Lst.Atmosphere is { } a
                ? string.Create(inv, $"transmittance {a.Transmittance}, upwelling {a.Upwelling}, downwelling {a.Downwelling}")
                : recipe.Lst.FromBrightness && recipe.Lst.Method == "single-channel" ? "none (uncorrected)" : "not needed",
            ["lst.native_resolution"] = string.Create(inv, $"{x.NativeResolution:0.###} m ({x.NativeSource})"),
        };
        if (x.Retrieval.NeedsNdvi)
        {
            parameters["lst.emissivity_resolution"] = x.EmissivityAt;
        }

        for (var k = 0; k < DetailStatistics.Scales.Length; k++)
        {
            var key = "x" + DetailStatistics.Scales[k].ToString(inv);
            parameters[$"lst.detail_rms_K.{key}"] = lstDetail.Rms[k].ToString("0.0000", inv);
            if (recipe.Lst.FromBrightness)
            {
                parameters[$"lst.emissivity_term_detail_rms_K.{key}"] = termDetail.Rms[k].ToString("0.0000", inv);
            }
        }

        foreach (var (name, c) in x.Calibrations.Where(c => c.Value.Note is not null).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            parameters["calibration." + name] = c.Note!;
        }
        foreach (var c in recipe.Guidance)
        {
            parameters["guidance." + c.Channel.Name] = c.Expression.Text;
        }

        foreach (var (m, decoder) in masks)
        {
            parameters["mask." + m.Band] = $"{decoder.Scheme}: {string.Join(",", decoder.Flags.Order())} (confidence >= " +
                $"{decoder.Confidence})";
        }

        for (var i = 0; i < warnings.Count; i++)
        {
            parameters["warning." + (i + 1).ToString(inv)] = warnings[i];
        }

        var productIds = new List<string>();
        if (mtl?.Get("LANDSAT_PRODUCT_ID") is { } pid)
        {
            productIds.Add(pid);
        }

        if (mtl?.Get("LANDSAT_SCENE_ID") is { } sid)
        {
            productIds.Add(sid);
        }

        string? acquired = mtl?.Acquired();
        string? sensor = recipe.Product == ProductKind.Sdgsat1 ? "SDGSAT-1 TIS/MII" : mtl is not null
            ? LandsatCalibration.DisplayName(mtl) : null;
        foreach (var s in sources.Values)
        {
            var m = EcostressName.Match(Path.GetFileName(s.Dataset.Path));
            if (m.Success)
            {
                var doy = m.Groups["doy"].Value;
                var id = $"{m.Groups["product"].Value} doy{doy}";
                if (!productIds.Contains(id))
                {
                    productIds.Add(id);
                }

                sensor ??= "ECOSTRESS PHyTIR";
                acquired ??= new DateTime(int.Parse(doy[..4], inv), 1, 1, 0, 0, 0, DateTimeKind.Utc)
                    .AddDays(int.Parse(doy[4..7], inv) - 1)
                    .Add(new TimeSpan(int.Parse(doy[7..9], inv), int.Parse(doy[9..11], inv), int.Parse(doy[11..13], inv)))
                    .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv);
            }
        }

        return new SceneProvenance
        {
            Command = options.Command,
            Sensor = sensor ?? recipe.Product.ToString(),
            Acquired = acquired,
            ProductIds = productIds,
            Sources = files,
            Parameters = parameters,
        };
    }
}
