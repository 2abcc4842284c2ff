using LstPipe.Core.Errors;
using LstPipe.Core.Yaml;
using LstPipe.Raster.Scenes;

namespace LstPipe.Ingest.Recipes;

// What a recipe's bands and channels are: each band's kind, and the kind, unit and description of each channel.
public sealed partial record IngestRecipe
{
    private static readonly Dictionary<string, string?> KindNames = GuidanceKinds.All.ToDictionary(k => k, string? (k) => k);

    /// <summary>A band's <c>kind:</c>, which must be one of <see cref="GuidanceKinds.All"/> and agree with what its
    /// calibration makes; without one, the calibration's kind (or null).</summary>
    private static string? ReadKind(YamlSection b, CalibrationKind calibration, string key)
    {
        var made = KindMadeBy(calibration);
        var kind = b.Enum("kind", KindNames, null);
        if (kind is not null && made is not null && kind != made)
        {
            throw new UsageException($"{b.At(b.Node("kind")!)}: band '{key}' says 'kind: {kind}', but its calibration makes " +
                $"{made}; remove 'kind' or change 'calibrate'");
        }

        return kind ?? made;
    }

    /// <summary>The kind a calibration makes: toa and radiance-toa top-of-atmosphere reflectance, sr surface
    /// reflectance, bt and radiance-bt brightness temperature; null for the others (as stored, or a temperature).</summary>
    private static string? KindMadeBy(CalibrationKind calibration) => calibration switch
    {
        CalibrationKind.Toa or CalibrationKind.RadianceToa => GuidanceKinds.ReflectanceToa,
        CalibrationKind.SurfaceReflectance => GuidanceKinds.ReflectanceSurface,
        CalibrationKind.BrightnessTemperature or CalibrationKind.RadianceBrightness => GuidanceKinds.BrightnessTemperature,
        _ => null,
    };

    /// <summary>Gives each channel its kind from its bands' kinds (<see cref="RecipeBand.Kind"/>): a channel that is one
    /// band has that band's kind, with its unit and description to match (a <c>red</c> channel of top-of-atmosphere
    /// bands is never "surface reflectance"); a channel computed from bands keeps the kind its name says (an index),
    /// a reflectance kind taken from its bands where they all share one. Channels of bands that state no kind keep the
    /// kind their name suggests, and are marked as guessed.</summary>
    private static List<RecipeChannel> LabelKinds(List<RecipeChannel> channels, IReadOnlyList<RecipeBand> bands) =>
        channels.Select(c =>
        {
            var used = c.Expression.Names.Select(n => bands.First(b => b.Name == n)).ToArray();
            var kinds = used.Select(b => b.Kind).Distinct().ToArray();
            var shared = kinds is [{ } k] ? k : null;
            var guessed = c.Channel.Kind;
            var single = used.Length == 1 && c.Expression.Text.Trim() == used[0].Name;
            var kind = single ? shared
                : guessed is GuidanceKinds.ReflectanceToa or GuidanceKinds.ReflectanceSurface
                  && shared is GuidanceKinds.ReflectanceToa or GuidanceKinds.ReflectanceSurface ? shared : guessed;
            var channel = kind is null || kind == guessed ? c.Channel : Relabel(c.Channel, kind);
            if (!single && shared == GuidanceKinds.ReflectanceToa && channel.Kind != GuidanceKinds.ReflectanceToa)
            {
                channel = channel with { Description = channel.Description + ", from top-of-atmosphere reflectance" };
            }

            return c with
            {
                Channel = channel with { Kind = kind ?? guessed },
                KindStated = kind is not null || used.Length == 0,
            };
        }).ToList();

    /// <summary>A channel given another kind: the kind's unit (unless <c>other</c>) and a description that says it.</summary>
    private static GuidanceChannel Relabel(GuidanceChannel c, string kind)
    {
        var d = c.Description.Contains("surface reflectance", StringComparison.Ordinal)
            ? c.Description.Replace("surface reflectance", GuidanceKinds.Describe(kind), StringComparison.Ordinal)
            : $"{c.Description} ({GuidanceKinds.Describe(kind)})";
        return c with { Unit = kind == GuidanceKinds.Other ? c.Unit : GuidanceKinds.UnitOf(kind), Description = d };
    }
}
