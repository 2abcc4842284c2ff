using System.Globalization;
using LstPipe.Dataset.Cards;
using LstPipe.Raster.Scenes;

namespace LstPipe.Inference.Contracts;

/// <summary>One guidance channel a model takes.</summary>
/// <param name="Name">GrokLST variable name (<c>dem</c>, <c>red</c>, <c>ndvi</c>, ...).</param>
/// <param name="Kind">What it measures (<see cref="GuidanceChannel.Kind"/>): <c>elevation</c>, <c>reflectance-toa</c>,
/// <c>reflectance-surface</c>, <c>index</c> or <c>other</c>.</param>
/// <param name="Unit">Its unit (<c>m</c> for elevation, <c>1</c> otherwise).</param>
public sealed record ContractChannel(string Name, string Kind, string Unit);

/// <summary>How the truth a model was trained against was made.</summary>
/// <param name="Method"><c>grid</c>: the scenes' own grid, at or coarser than what the sensor resolved;
/// <c>native</c>: averaged onto the sensor's native resolution (<c>crop --truth native</c>); <c>resampled</c>: a grid
/// finer than the sensor's pixels (<c>--truth resampled</c>); <c>adopted</c>: a GrokLST-layout folder made
/// elsewhere; <c>published</c>: GrokLST's SDGSAT-1 benchmark.</param>
/// <param name="Sensor">The thermal sensor (or generator), where known.</param>
/// <param name="NativeResolutionMetres">What that sensor resolved, where known.</param>
/// <param name="ResampledFromMetres">With <c>resampled</c>: the native resolution the truth was resampled from.</param>
/// <param name="CoarsenedFromMetres">With <c>native</c>: the scenes' pixel size the truth was averaged from.</param>
public sealed record ContractTruth(string Method, string? Sensor = null, double? NativeResolutionMetres = null,
    double? ResampledFromMetres = null, double? CoarsenedFromMetres = null)
{
    /// <summary>One phrase: <c>native: averaged from 30 m onto Landsat 8/9 TIRS's 100 m</c>.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var sensor = Sensor is null ? ""
            : $" ({Sensor}{(NativeResolutionMetres is { } n ? string.Create(inv, $", native {n:0.#} m") : "")})";
        return Method switch
        {
            "resampled" => string.Create(inv, $"resampled from the sensor's {ResampledFromMetres:0.#} m{sensor}: holds no finer detail"),
            "native" => string.Create(inv, $"averaged from {CoarsenedFromMetres:0.#} m onto the sensor's resolution{sensor}"),
            "grid" => $"the scenes' grid, at or coarser than the sensor's resolution{sensor}",
            "published" => $"GrokLST's published benchmark{sensor}",
            _ => $"adopted from a GrokLST-layout folder{sensor}",
        };
    }
}

/// <summary>
/// What a model was trained on, carried in every checkpoint (<c>lstpipe.contract</c>) so that <c>predict</c> and
/// <c>test</c> refuse data it was not made for: the guidance channels in order with their kind and unit, the LST unit,
/// the truth's and the LR input's ground sampling distance, the scale, how the truth was made, the dataset and a
/// digest of its card, and which normalization constants it was trained with.
/// </summary>
public sealed record DataContract
{
    /// <summary>Checkpoint metadata key.</summary>
    public const string MetadataKey = "lstpipe.contract";

    /// <summary>The format identifier written in every contract.</summary>
    public const string CurrentFormat = "lstpipe-contract/1";

    /// <summary>Format identifier and version.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Guidance channels in the order the network takes them.</summary>
    public required IReadOnlyList<ContractChannel> Guidance { get; init; }

    /// <summary>Unit of the LST the network reads and writes (always <c>K</c>).</summary>
    public string LstUnit { get; init; } = "K";

    /// <summary>Pixel size of the truth and the guidance, in metres.</summary>
    public required double TruthResolutionMetres { get; init; }

    /// <summary>Pixel size of the coarse LST input, in metres.</summary>
    public required double LrResolutionMetres { get; init; }

    /// <summary>The downscaling factor.</summary>
    public required int Scale { get; init; }

    /// <summary>How the truth was made.</summary>
    public required ContractTruth Truth { get; init; }

    /// <summary>The dataset trained on (its folder's name), where known.</summary>
    public string? Dataset { get; init; }

    /// <summary>SHA-256 of the dataset's card (<c>dataset.json</c>) when training started, where known.</summary>
    public string? CardSha256 { get; init; }

    /// <summary>The normalization constants: <c>card</c> (the dataset's statistics) or <c>groklst</c> (the paper's).</summary>
    public required string Normalization { get; init; }

    /// <summary>The training LST's statistics at the LR level, which <c>predict</c> and <c>test</c> compare an input's LST
    /// with (<see cref="ContractLstStatistics.Compare"/>); null in contracts written before they were recorded.</summary>
    public ContractLstStatistics? LstStatistics { get; init; }

    /// <summary>The channel names in order.</summary>
    public IReadOnlyList<string> ChannelNames => Guidance.Select(c => c.Name).ToArray();

    /// <summary>The contract of a model trained at <paramref name="scale"/> on a dataset.</summary>
    /// <param name="card">The dataset's card.</param>
    /// <param name="scale">The factor.</param>
    /// <param name="normalization"><c>card</c> or <c>groklst</c>.</param>
    /// <param name="dataset">The dataset folder, for its name and the card's digest; null when only the card is known.</param>
    public static DataContract FromCard(DatasetCard card, int scale, string normalization, string? dataset)
    {
        var sensors = card.Scenes.Select(s => s.Sensor).OfType<string>().Distinct().ToArray();
        var natives = card.Scenes.Select(s => s.NativeResolutionMetres).OfType<double>().ToArray();
        var sensor = sensors.Length == 0 ? null : string.Join(", ", sensors);
        double? native = natives.Length == 0 ? null : natives.Max();
        var truth = card switch
        {
            { IsAdopted: true } => new ContractTruth("adopted"),
            { TruthResampledFrom: { } from } => new ContractTruth("resampled", sensor, native ?? from, ResampledFromMetres: from),
            { TruthCoarsenedFrom: { } grid } => new ContractTruth("native", sensor, native, CoarsenedFromMetres: grid),
            _ => new ContractTruth("grid", sensor, native),
        };
        var cardPath = dataset is null ? null : Path.Combine(dataset, LstPipe.Dataset.DatasetLayout.CardFileName);
        return new DataContract
        {
            Guidance = card.Guidance.Select(c => new ContractChannel(c.Name, c.Kind, c.Unit)).ToArray(),
            TruthResolutionMetres = card.BaseResolutionMetres,
            LrResolutionMetres = card.BaseResolutionMetres * scale,
            Scale = scale,
            Truth = truth,
            Dataset = dataset is null ? null : Path.GetFileName(Path.GetFullPath(dataset).TrimEnd(Path.DirectorySeparatorChar)),
            CardSha256 = cardPath is not null && File.Exists(cardPath) ? Core.IO.Checksums.Sha256(cardPath) : null,
            Normalization = normalization,
            LstStatistics = ContractLstStatistics.FromCard(card, scale),
        };
    }

    /// <summary>The contract of GrokLST's published models: SDGSAT-1 TIS truth at its native 30 m, the ten channels,
    /// the paper's constants.</summary>
    public static DataContract GrokLst(int scale) => new()
    {
        Guidance = GuidanceChannel.GrokLst.Select(c => new ContractChannel(c.Name, c.Kind, c.Unit)).ToArray(),
        TruthResolutionMetres = 30,
        LrResolutionMetres = 30 * scale,
        Scale = scale,
        Truth = new ContractTruth("published", "SDGSAT-1 TIS", 30),
        Dataset = "GrokLST",
        Normalization = "groklst",
    };

    /// <summary>Lines that describe the contract, for <c>info</c>.</summary>
    public IEnumerable<(string Field, string Value)> Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return ("guidance", string.Join(", ", Guidance.Select(c => $"{c.Name} ({c.Kind}{(c.Unit == "1" ? "" : ", " + c.Unit)})")));
        yield return ("LST unit", LstUnit);
        yield return ("truth", string.Create(inv, $"{TruthResolutionMetres:0.###} m: {Truth.Describe()}"));
        yield return ("coarse input", string.Create(inv, $"{LrResolutionMetres:0.###} m (x{Scale})"));
        yield return ("trained on",
            Dataset is null ? "unknown dataset" : $"{Dataset}{(CardSha256 is { } sha ? $" (card sha256 {sha[..12]})" : "")}");
        yield return ("normalization", Normalization == "groklst" ? "groklst (the paper's published " +
            "constants)" : "card (the dataset's statistics)");
        yield return ("training LST", LstStatistics?.Describe() ?? "not recorded (a contract of an older lstpipe): the coarse LST " +
            "is not compared with the temperatures the model was trained on");
    }
}
