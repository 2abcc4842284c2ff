using System.Globalization;
using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Inference;
using LstPipe.Training.Optim;
using TorchSharp.Modules;

namespace LstPipe.Training;

/// <summary>What a run folder holds between iterations: <c>best</c> and <c>last.safetensors</c>, the optimizer state,
/// <c>log.csv</c> and <c>state.json</c>, written so that a resume continues exactly.</summary>
internal static class RunFolder
{
    public static void Save(Downscaler model, string path, int iteration) =>
        model.Save(path, new Dictionary<string, string> { ["iteration"] = iteration.ToString(CultureInfo.InvariantCulture) });

    public static void Checkpoint(string run, Downscaler model, AdamW optimizer, RunState state, TrainLog log)
    {
        Save(model, Path.Combine(run, "last.safetensors"), state.Iteration);
        AtomicFile.Write(Path.Combine(run, "last.optimizer.bin"), temporary =>
        {
            using var writer = new BinaryWriter(File.Create(temporary));
            optimizer.save_state_dict(writer);
        });

        log.Rewrite();
        AtomicFile.WriteAllText(Path.Combine(run, "state.json"), JsonSerializer.Serialize(state, JsonDefaults.Options) + "\n");
    }

    public static void LoadCheckpoint(string run, Downscaler model, AdamW optimizer, CosineRestartLR schedule)
    {
        var path = Path.Combine(run, "last.safetensors");
        var (weights, _) = Models.Checkpoints.SafeTensors.Load(path);
        try
        {
            model.Net.LoadStrict(weights, path);
        }
        finally
        {
            foreach (var t in weights.Values)
            {
                t.Dispose();
            }
        }

        var opt = Path.Combine(run, "last.optimizer.bin");
        if (!File.Exists(opt))
        {
            throw new DataException($"{opt}: missing, so the optimizer state cannot be resumed (a run of an older lstpipe?); " +
                $"start the run again with --force");
        }

        using var reader = new BinaryReader(File.OpenRead(opt));
        optimizer.load_state_dict(reader);
        foreach (var g in optimizer.ParamGroups)
        {
            g.LearningRate = schedule.LearningRate;
        }
    }
}
