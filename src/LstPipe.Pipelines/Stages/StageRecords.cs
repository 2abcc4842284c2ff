using System.Globalization;
using System.Text.Json;
using LstPipe.Core.IO;
using LstPipe.Core.Json;

namespace LstPipe.Pipelines.Stages;

/// <summary>What a finished stage recorded: its fingerprint and the inputs behind it.</summary>
/// <param name="Id">Stage id.</param>
/// <param name="Fingerprint">SHA-256 of the inputs.</param>
/// <param name="Inputs">The inputs by name.</param>
public sealed record StageRecord(string Id, string Fingerprint, IReadOnlyDictionary<string, string> Inputs);

/// <summary>Whether a stage is up to date, and if not, why.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="UpToDate">Its output exists and was made from the current inputs.</param>
/// <param name="Reason">Why not (<c>never built</c>, <c>output missing</c>, <c>crop changed</c>, ...); empty when up to date.</param>
public sealed record StageStatus(Stage Stage, bool UpToDate, string Reason);

/// <summary>The records of finished stages, one JSON file each in <c>OUT/.lstpipe/stages/</c>, written when a stage
/// succeeds and deleted when it starts, so an interrupted stage is never taken as done.</summary>
public sealed class StageRecords(string output)
{
    private readonly string _folder = Path.Combine(output, ".lstpipe", "stages");

    /// <summary>The record of a stage, or null.</summary>
    public StageRecord? Get(string id)
    {
        var path = PathOf(id);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StageRecord>(File.ReadAllText(path), JsonDefaults.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Marks a stage as started (its old record no longer holds).</summary>
    public void Invalidate(string id)
    {
        if (File.Exists(PathOf(id)))
        {
            File.Delete(PathOf(id));
        }
    }

    /// <summary>Records a finished stage.</summary>
    public void Complete(Stage stage)
    {
        Directory.CreateDirectory(_folder);
        AtomicFile.WriteAllText(PathOf(stage.Id), JsonSerializer.Serialize(new StageRecord(stage.Id, stage.Fingerprint,
            new SortedDictionary<string, string>(stage.Inputs.ToDictionary(), StringComparer.Ordinal)), JsonDefaults.Options) + "\n");
    }

    /// <summary>Compares a stage with its record.</summary>
    public StageStatus Status(Stage stage)
    {
        var record = Get(stage.Id);
        if (record is null)
        {
            return new StageStatus(stage, false, "never built");
        }

        if (!Directory.Exists(stage.Output) && !File.Exists(stage.Output))
        {
            return new StageStatus(stage, false, "output missing: " + stage.Output);
        }

        if (record.Fingerprint == stage.Fingerprint)
        {
            return new StageStatus(stage, true, "");
        }

        var changes = new List<string>();
        foreach (var (key, now) in stage.Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!record.Inputs.TryGetValue(key, out var then))
            {
                changes.Add($"{key} is new");
            }
            else if (then != now)
            {
                changes.Add(key.StartsWith("stage ", StringComparison.Ordinal) ? $"{key[6..]} changed"
                    : key.StartsWith("source ", StringComparison.Ordinal) || key.StartsWith("recipe ",
                        StringComparison.Ordinal) ? $"{key} changed (checksum)"
                    : $"{key}: {Short(then)} -> {Short(now)}");
            }
        }

        changes.AddRange(record.Inputs.Keys.Where(k => !stage.Inputs.ContainsKey(k)).Select(k => $"{k} removed"));
        return new StageStatus(stage, false, string.Join("; ", changes));
    }

    private string PathOf(string id) => Path.Combine(_folder, id.Replace(':', '-') + ".json");

    private static string Short(string value) =>
        value.Length <= 120 ? value : value[..117] + "...";
}

/// <summary>SHA-256 of files, cached by path, size and modification time in <c>OUT/.lstpipe/checksums.json</c>, so
/// large products are hashed once.</summary>
public sealed class FileChecksums(string output)
{
    private readonly string _path = Path.Combine(output, ".lstpipe", "checksums.json");
    private Dictionary<string, string>? _cache;
    private bool _dirty;

    /// <summary>The file's SHA-256 (lower-case hex).</summary>
    public string Sha256(string file)
    {
        _cache ??= Load();
        var info = new FileInfo(file);
        var key = string.Create(CultureInfo.InvariantCulture, $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
        if (!_cache.TryGetValue(key, out var sha))
        {
            sha = Checksums.Sha256(file);
            _cache[key] = sha;
            _dirty = true;
        }

        return sha;
    }

    /// <summary>Writes new checksums to the cache file.</summary>
    public void Save()
    {
        if (_dirty && _cache is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            AtomicFile.WriteAllText(_path, JsonSerializer.Serialize(new SortedDictionary<string, string>(_cache,
                StringComparer.Ordinal), JsonDefaults.Options) + "\n");
            _dirty = false;
        }
    }

    private Dictionary<string, string> Load()
    {
        try
        {
            return File.Exists(_path)
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_path)) ?? []
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
