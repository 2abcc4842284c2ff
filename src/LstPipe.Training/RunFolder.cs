using System.Globalization;
using System.Text;
using System.Text.Json;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Json;
using LstPipe.Training.Optim;
using TorchSharp.Modules;

namespace LstPipe.Training;

/// <summary>What a run folder holds between iterations: <c>best</c> and <c>last.safetensors</c>, the optimizer state,
/// <c>log.csv</c> and <c>state.json</c>, written so that a resume continues exactly.</summary>
internal static class RunFolder
{
    public static void Save(Downscaler model, string path, int iteration) =>
        model.Save(path, new Dictionary<string, string> { ["iteration"] = iteration.ToString(CultureInfo.InvariantCulture) });

    public static void Checkpoint(string run, Downscaler model, AdamW optimizer, RunState state, List<string> log)
    {
        Save(model, Path.Combine(run, "last.safetensors"), state.Iteration);
        using (var file = AtomicFile.Begin(Path.Combine(run, "last.optimizer.bin")))
        {
            using (var writer = new BinaryWriter(File.Create(file.TemporaryPath)))
            {
                optimizer.save_state_dict(writer);
            }

            file.Commit();
        }

        WriteLog(Path.Combine(run, "log.csv"), log);
        AtomicFile.WriteAllText(Path.Combine(run, "state.json"), JsonSerializer.Serialize(state, JsonDefaults.Options) + "\n");
    }

    /// <summary>Rewrites <c>log.csv</c> with the rows so far (atomically); rows are appended as iterations finish, and
    /// each checkpoint (and a resume) rewrites it, so the file never holds rows the checkpoint does not.</summary>
    public static void WriteLog(string path, List<string> log)
    {
        var csv = new StringBuilder("iteration,loss,lr,val_rmse\n");
        foreach (var line in log)
        {
            csv.Append(line).Append('\n');
        }

        AtomicFile.WriteAllText(path, csv.ToString());
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
