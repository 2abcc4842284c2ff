using System.Text.Json;
using LstPipe.Core.IO;
using LstPipe.Dataset;
using LstPipe.Inference;
using LstPipe.Inference.Contracts;
using LstPipe.Models.Checkpoints;

namespace LstPipe.Training.Reports;

/// <summary>Whether a run was trained on the dataset a report shows it beside: the data contract of the run's
/// checkpoint names the dataset and the SHA-256 of its card when training started; a run without one is judged by
/// the dataset folder its <c>config.json</c> names.</summary>
internal static class RunDataset
{
    /// <summary>Why the run's curve and metrics are not this dataset's, or null when they are (or nothing says
    /// otherwise).</summary>
    /// <param name="run">The run folder.</param>
    /// <param name="dataset">The dataset the report is about.</param>
    /// <exception cref="Core.Errors.DataException">The run's checkpoint is damaged.</exception>
    public static string? Mismatch(string run, string dataset)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataset)));
        var card = Path.Combine(dataset, DatasetLayout.CardFileName);
        var checkpoint = new[] { "best.safetensors", "last.safetensors" }.Select(f => Path.Combine(run, f)).FirstOrDefault(File.Exists);
        var contract = checkpoint is null ? null
            : CheckpointMetadata.Read(checkpoint, SafeTensors.ReadMetadata(checkpoint), "'lstpipe train'").Contract;
        if (contract?.CardSha256 is { } then)
        {
            var now = Checksums.Sha256(card);
            if (now == then)
            {
                return null;
            }

            var which = contract.Dataset == name ? $"an earlier state of {name}" : $"another dataset, '{contract.Dataset}'";
            return $"{run} was trained on {which} (card sha256 {then[..12]}; this dataset's card is {now[..12]}): its curve and " +
                $"metrics are not this dataset's; test the checkpoint on this dataset, or report the run with the dataset it was " +
                $"trained on";
        }

        var trained = contract?.Dataset ?? ConfigDataset(run);
        return trained is null || trained == name ? null
            : $"{run} was trained on another dataset, '{trained}': its curve and metrics are not this dataset's; report the run " +
                $"with the dataset it was trained on";
    }

    /// <summary>The folder name of the dataset <c>config.json</c> names, or null.</summary>
    private static string? ConfigDataset(string run)
    {
        var path = Path.Combine(run, "config.json");
        try
        {
            using var doc = JsonDocument.Parse(File.Exists(path) ? File.ReadAllText(path) : "{}");
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("dataset", out var d)
                && d.ValueKind == JsonValueKind.String && d.GetString() is { Length: > 0 } folder
                ? Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
