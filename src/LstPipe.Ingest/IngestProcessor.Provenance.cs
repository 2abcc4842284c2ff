using System.Globalization;
using System.Text.RegularExpressions;
using LstPipe.Core.IO;
using LstPipe.Ingest.Calibration;
using LstPipe.Ingest.Lst;
using LstPipe.Ingest.Masks;
using LstPipe.Ingest.Metadata;
using LstPipe.Ingest.Recipes;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest;

// Ingest: the scene id and its provenance.
public static partial class IngestProcessor
{
    private static string SceneId(IngestOptions options, WriteContext x, RecipeBand lstBand)
    {
        if (options.Id is { } id)
        {
            return id;
        }

        var (mtl, sources) = (x.Mtl, x.Sources);
        if ((mtl?.Get("LANDSAT_PRODUCT_ID") ?? mtl?.Get("LANDSAT_SCENE_ID")) is { } product)
        {
            return product;
        }

        if (x.Modis?.GranuleId is { } granule)
        {
            return granule;
        }

        var match = EcostressName.Match(Path.GetFileName(sources[lstBand.Name].Dataset.Path));
        return match.Success ? $"ECOSTRESS_{match.Groups["doy"].Value}" : Path.GetFileName(Path.GetFullPath(options.Output));
    }

    private static readonly Regex EcostressName = new(@"^(?<product>ECO_L\w+?\.\d{3})_.*doy(?<doy>\d{13})", RegexOptions.CultureInvariant);

    private static SceneProvenance Provenance(IngestOptions options, WriteContext x, IReadOnlyList<string> warnings,
        DetailStatistics lstDetail, DetailStatistics termDetail, long validLst)
    {
        var (recipe, mtl, sources, masks) = (x.Recipe, x.Mtl, x.Sources, x.Masks);
        var files = new List<SourceFile>();
        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        string Sha(string path) => checksums.TryGetValue(path, out var s) ? s : checksums[path] = Checksums.Sha256(path);
        foreach (var group in recipe.Bands.GroupBy(b => RasterDataset.SubdatasetFile(sources[b.Name].Dataset.Path)
            ?? sources[b.Name].Dataset.Path))
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
            ["thermal_constants"] = x.Calibrations[recipe.Lst.Band].Thermal?.Source
                ?? "not used (the LST band is a temperature already)",
            ["lst.method"] = x.Retrieval.Description,
            ["lst.atmosphere"] = recipe.Lst.Atmosphere is { } a
                ? string.Create(inv, $"transmittance {a.Transmittance}, upwelling {a.Upwelling}, downwelling {a.Downwelling}")
                : recipe.Lst.FromBrightness && recipe.Lst.Method == "single-channel" ? "none (uncorrected)" : "not needed",
            ["lst.native_resolution"] = string.Create(inv, $"{x.NativeResolution:0.###} m ({x.NativeSource})"),
        };
        if (recipe.Lst.Band2 is { } band2 && x.Calibrations[band2].Thermal?.Source is { } second)
        {
            parameters["thermal_constants.band2"] = second;
        }

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
            parameters["mask." + m.Band] = decoder.Scheme == QualityScheme.ModisLstQc
                ? "ModisLstQc: kept mandatory QA 00" + (decoder.MaxLstError is { } e ? $" and QA 01 with an LST error <= {e} K" : " only")
                : $"{decoder.Scheme}: {string.Join(",", decoder.Flags.Order())} (confidence >= {decoder.Confidence})";
        }

        for (var i = 0; i < warnings.Count; i++)
        {
            parameters["warning." + (i + 1).ToString(inv)] = warnings[i];
        }

        if (options.Item is { } item && options.Assets is not null)
        {
            parameters["stac.item"] = item;
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

        if (x.Modis is { } modis)
        {
            sensor = modis.Sensor;
            acquired = x.Views is { Count: > 0 } v ? ViewUtc(modis.Date, v.MeanUtcHours) : modis.Date.ToString("yyyy-MM-dd", inv);
            if (modis.GranuleId is { } granuleId)
            {
                productIds.Add(granuleId);
            }

            ModisParameters(parameters, x, validLst);
        }

        return new SceneProvenance
        {
            Command = options.Command,
            Sensor = sensor ?? recipe.Sensor,
            Acquired = acquired,
            ProductIds = productIds,
            Sources = files,
            Parameters = parameters,
        };
    }

    /// <summary>What a MODIS ingest records: the product, the pixels kept by the QC filter and the view-zenith limit, and
    /// when the kept pixels were seen (mean local solar time, and the UTC it means there).</summary>
    private static void ModisParameters(SortedDictionary<string, string> parameters, WriteContext x, long validLst)
    {
        var inv = CultureInfo.InvariantCulture;
        var modis = x.Modis!;
        parameters["modis.product"] = $"{modis.Product} ({modis.Platform})";
        parameters["modis.date"] = modis.Date.ToString("yyyy-MM-dd", inv);
        parameters["modis.kept_pixels"] = validLst.ToString(inv);
        if (x.Recipe.Lst.MaxViewZenith is { } zenith)
        {
            parameters["modis.view_zenith_limit_deg"] = zenith.ToString("R", inv);
            parameters["modis.view_zenith_masked_pixels"] = x.ZenithMasked.ToString(inv);
        }

        if (x.Views is { Count: > 0 } views)
        {
            parameters["modis.view_time_local_h"] = views.MeanLocalHours.ToString("0.00", inv);
            parameters["modis.view_time_utc_h"] = views.MeanUtcHours.ToString("0.00", inv);
            parameters["modis.view_time_utc"] = ViewUtc(modis.Date, views.MeanUtcHours);
        }
    }

    /// <summary>The UTC instant of a mean view time in hours of the granule's day (it may fall outside 0-24 h).</summary>
    internal static string ViewUtc(DateOnly date, double utcHours) =>
        date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddMinutes(Math.Round(utcHours * 60))
            .ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
}
