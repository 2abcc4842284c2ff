using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Models;

namespace LstPipe.Inference.Contracts;

/// <summary>Validates what a model file says about its data when it is opened (a checkpoint, a PyTorch file being
/// converted, an ONNX model): every field of the data contract and of the normalization, so that a contract no
/// lstpipe writes, or constants that cannot normalize, are named at once instead of surfacing later as a network that
/// gives NaN. Every refusal is one data error naming the file and the field.</summary>
public static class ContractValidation
{
    /// <summary>How a contract's truth may have been made (<see cref="ContractTruth.Method"/>).</summary>
    public static IReadOnlySet<string> TruthMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "grid", "native", "resampled", "adopted", "published",
    };

    /// <summary>Checks a model's configuration, normalization and (when it has one) data contract.</summary>
    /// <param name="path">The model file, for the messages.</param>
    /// <param name="spec">Its configuration.</param>
    /// <param name="norm">Its normalization.</param>
    /// <param name="contract">Its data contract, or null.</param>
    /// <param name="given">Where the normalization and contract came from when the file does not carry them (a PyTorch
    /// file converted with GrokLST's constants or a dataset's card), for the messages; null: the file's metadata.</param>
    /// <exception cref="DataException">A field no lstpipe writes or no model can use.</exception>
    public static void Check(string path, ModelSpec spec, Normalization norm, DataContract? contract, string? given = null)
    {
        CheckNormalization(path, norm, given);
        var site = new Site(path, given);
        if (spec.MoCoLsk is { } o)
        {
            Require(site, CheckpointMetadata.ConfigKey, "lstMean", double.IsFinite(o.LstMean), Number(o.LstMean), "a finite mean in K");
            Require(site, CheckpointMetadata.ConfigKey, "lstStd", o.LstStd is not { } std || Positive(std), Number(o.LstStd ?? 0),
                "a finite standard deviation above 0 K");
        }

        if (contract is not null)
        {
            CheckContract(path, contract, given);
        }
    }

    /// <summary>Checks the normalization constants: every shift and mean finite, every divisor finite and above 0.</summary>
    /// <exception cref="DataException">A constant that cannot normalize.</exception>
    public static void CheckNormalization(string path, Normalization norm, string? given = null)
    {
        var site = new Site(path, given);
        const string key = CheckpointMetadata.NormalizationKey;
        Require(site, key, "scale", norm.Scale >= 1, Number(norm.Scale), "a factor of 1 or more");
        Require(site, key, "lstMean", double.IsFinite(norm.LstMean), Number(norm.LstMean), "a finite mean in K");
        Require(site, key, "lstStd", Positive(norm.LstStd), Number(norm.LstStd), "a finite standard deviation above 0 K");
        Require(site, key, "guidanceMode", norm.GuidanceMode is "min-max" or "z-score", Quote(norm.GuidanceMode),
            "min-max or z-score");
        for (var i = 0; i < norm.GuidanceShift.Count; i++)
        {
            Require(site, key, $"guidanceShift[{i}]", double.IsFinite(norm.GuidanceShift[i]), Number(norm.GuidanceShift[i]),
                "a finite value");
        }

        for (var i = 0; i < norm.GuidanceDivisor.Count; i++)
        {
            Require(site, key, $"guidanceDivisor[{i}]", Positive(norm.GuidanceDivisor[i]), Number(norm.GuidanceDivisor[i]),
                "a finite divisor above 0 (the channel's standard deviation or range)");
        }
    }

    /// <summary>Checks a data contract: its format, channels (each named once, of a known kind), LST unit, scale,
    /// resolutions, truth and normalization.</summary>
    /// <exception cref="DataException">A field no lstpipe writes.</exception>
    public static void CheckContract(string path, DataContract c, string? given = null)
    {
        var site = new Site(path, given);
        const string key = DataContract.MetadataKey;
        Require(site, key, "format", c.Format == DataContract.CurrentFormat, Quote(c.Format),
            $"{DataContract.CurrentFormat}, the only contract this lstpipe reads (a newer lstpipe may read it)");
        for (var i = 0; i < c.Guidance.Count; i++)
        {
            var ch = c.Guidance[i];
            Require(site, key, $"guidance[{i}]", ch is not null, "null", "a channel");
            Require(site, key, $"guidance[{i}].name", !string.IsNullOrWhiteSpace(ch!.Name), Quote(ch.Name), "a channel name");
            var first = Enumerable.Range(0, i).FirstOrDefault(k => string.Equals(c.Guidance[k].Name, ch.Name,
                StringComparison.OrdinalIgnoreCase), -1);
            Require(site, key, $"guidance[{i}].name", first < 0, Quote(ch.Name),
                $"a name no other channel has (guidance[{first}] is '{c.Guidance[Math.Max(first, 0)].Name}' too)");
            Require(site, key, $"guidance[{i}].kind", Raster.Scenes.GuidanceKinds.IsKnown(ch.Kind),
                ch.Kind is null ? "missing" : Quote(ch.Kind), $"one of {string.Join(", ", Raster.Scenes.GuidanceKinds.All)}");
            Require(site, key, $"guidance[{i}].unit", !string.IsNullOrWhiteSpace(ch.Unit), Quote(ch.Unit),
                "a unit (m for elevation, 1 otherwise)");
        }

        Require(site, key, "lstUnit", c.LstUnit == "K", Quote(c.LstUnit), "K (the network reads and writes kelvin)");
        Require(site, key, "scale", c.Scale >= 1, Number(c.Scale), "a factor of 1 or more");
        Require(site, key, "truthResolutionMetres", Positive(c.TruthResolutionMetres), Number(c.TruthResolutionMetres),
            "a finite pixel size above 0 m");
        Require(site, key, "lrResolutionMetres", Positive(c.LrResolutionMetres), Number(c.LrResolutionMetres),
            "a finite pixel size above 0 m");
        Require(site, key, "lrResolutionMetres", Math.Abs(c.LrResolutionMetres - (c.Scale * c.TruthResolutionMetres))
            <= ContractCheck.ResolutionTolerance * c.LrResolutionMetres, Number(c.LrResolutionMetres),
            string.Create(CultureInfo.InvariantCulture, $"scale x truthResolutionMetres ({c.Scale * c.TruthResolutionMetres:0.###})"));
        Require(site, key, "truth.method", TruthMethods.Contains(c.Truth.Method ?? ""), Quote(c.Truth.Method),
            $"one of {string.Join(", ", TruthMethods)}");
        foreach (var (field, value) in new (string, double?)[]
        {
            ("truth.nativeResolutionMetres", c.Truth.NativeResolutionMetres),
            ("truth.resampledFromMetres", c.Truth.ResampledFromMetres),
            ("truth.coarsenedFromMetres", c.Truth.CoarsenedFromMetres),
        })
        {
            Require(site, key, field, value is not { } v || Positive(v), Number(value ?? 0), "a finite pixel size above 0 m");
        }

        Require(site, key, "normalization", c.Normalization is "card" or "groklst", Quote(c.Normalization), "card or groklst");
    }

    private static bool Positive(double v) => double.IsFinite(v) && v > 0;

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string? s) => s is null ? "missing" : $"'{s}'";

    /// <summary>Throws the one-line error of a field that is not what it must be.</summary>
    private static void Require(Site site, string key, string field, bool ok, string value, string expected)
    {
        if (ok)
        {
            return;
        }

        throw new DataException(site.Given is null
            ? $"{site.Path}: its {key} metadata has {field} {value}; it must be {expected} (the file was edited or is corrupt, or " +
                "written by another tool; use the model as lstpipe wrote it)"
            : $"{site.Path}: the {key} given it ({site.Given}) has {field} {value}; it must be {expected}");
    }

    /// <summary>The model file and, when they are not its own, where its constants came from.</summary>
    private readonly record struct Site(string Path, string? Given);
}
