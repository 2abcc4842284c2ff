using System.Globalization;
using System.Text.Json;
using LstPipe.Core.Errors;

namespace LstPipe.Training.Reports;

/// <summary>The mean metrics of one <c>metrics-SPLIT.csv</c> written by <c>lstpipe test</c>, as its table prints them.</summary>
/// <param name="Path">The CSV.</param>
/// <param name="Split">The split evaluated (from the file name).</param>
/// <param name="Tiles">Tiles evaluated.</param>
/// <param name="Rows">Per output (the model, the model after the radiance correction, bicubic): the means of
/// <see cref="TileMetrics.Names"/> and of the consistency error.</param>
internal sealed record TestTable(string Path, string Split, int Tiles, IReadOnlyList<(string Output, double[] Means,
    double Consistency)> Rows)
{
    /// <summary>Reads a metrics CSV.</summary>
    /// <exception cref="DataException">The file has not the columns <c>lstpipe test</c> writes, or a value is not a number.</exception>
    public static TestTable Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        var header = lines.FirstOrDefault()?.Split(',') ?? [];
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw new DataException($"{path}: no column '{name}'; not a metrics file of 'lstpipe test' (run it again)");
        var outputs = new[] { ("model", ""), ("model + radiance correction", "radiance_"), ("bicubic", "bicubic_") };
        var consistency = new[] { "consistency", "radiance_consistency", "bicubic_consistency" };
        var rows = lines.Skip(1).Select((l, n) =>
        {
            var fields = l.Split(',');
            return (Fields: fields, Line: n + 2);
        }).ToArray();
        double Mean(string column)
        {
            var k = Column(column);
            return rows.Length == 0 ? double.NaN : rows.Average(r => k < r.Fields.Length && double.TryParse(r.Fields[k],
                NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new DataException($"{path}:{r.Line}: column '{column}' is not a number; the file was edited or cut " +
                    $"short (run 'lstpipe test' again)"));
        }

        var table = outputs.Select((o, i) => (o.Item1, TileMetrics.Names.Select(n => Mean(o.Item2 + n)).ToArray(),
            Mean(consistency[i]))).ToArray();
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        return new TestTable(path, name.StartsWith("metrics-", StringComparison.Ordinal) ? name["metrics-".Length..] : name,
            rows.Length, table);
    }

    /// <summary>The metrics files of a run: <c>metrics-*.csv</c> in the run folder and in the folders directly inside it
    /// (a <c>test --out</c> folder), sorted by path.</summary>
    public static IReadOnlyList<string> Find(string run) =>
        new[] { run }.Concat(Directory.GetDirectories(run)).SelectMany(d => Directory.GetFiles(d, "metrics-*.csv"))
            .Where(f => !Core.IO.AtomicFile.IsTemporaryName(System.IO.Path.GetFileName(f)))
            .Order(StringComparer.Ordinal).ToArray();
}

/// <summary>What a run's <c>config.json</c> says about the model: its name and scale, where present.</summary>
internal static class RunConfig
{
    /// <summary>The model and scale (<c>mocolsk ×4</c>), or the run folder's name.</summary>
    public static string Describe(string run)
    {
        var name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(run)));
        var path = System.IO.Path.Combine(run, "config.json");
        try
        {
            using var doc = JsonDocument.Parse(File.Exists(path) ? File.ReadAllText(path) : "{}");
            var root = doc.RootElement;
            if (!root.TryGetProperty("model", out var m) || m.ValueKind != JsonValueKind.String)
            {
                return name;
            }

            var scale = root.TryGetProperty("scale", out var s) && s.ValueKind == JsonValueKind.Number ? $" ×{s.GetInt32()}" : "";
            return $"{m.GetString()}{scale} ({name})";
        }
        catch (JsonException)
        {
            return name;
        }
    }
}
