using System.Globalization;
using LstPipe.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Ingest.Recipes;

/// <summary>Strict reading of a YAML mapping: every key must be known, every error names <c>file:line</c>.</summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlSection(string file, YamlMappingNode node, string path)
    {
        File = file;
        _node = node;
        Path = path;
    }

    public string File { get; }

    public string Path { get; }

    public int Line => (int)_node.Start.Line;

    public string Where => At(_node);

    public string At(YamlNode node) => $"{File}:{node.Start.Line}";

    public static YamlSection Load(string file)
    {
        if (!System.IO.File.Exists(file))
        {
            throw new UsageException($"{file}: no such recipe file");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new UsageException($"{file}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new UsageException($"{file}: a recipe must be a YAML mapping (key: value lines)");
        }

        return new YamlSection(file, root, "");
    }

    public IEnumerable<(string Key, YamlNode Value)> Entries() =>
        _node.Children.Select(kv => (((YamlScalarNode)kv.Key).Value ?? "", kv.Value));

    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    public string? String(string key)
    {
        var n = Node(key);
        return n switch
        {
            null => null,
            YamlScalarNode s => s.Value,
            _ => throw new UsageException($"{At(n)}: '{Name(key)}' must be a single value"),
        };
    }

    public string RequireString(string key) =>
        String(key) ?? throw new UsageException($"{Where}: '{Name(key)}' is required");

    public double? Number(string key)
    {
        var s = String(key);
        if (s is null)
        {
            return null;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new UsageException($"{At(Node(key)!)}: '{Name(key)}' must be a number, not '{s}'");
    }

    public bool? Bool(string key)
    {
        var s = String(key);
        return s switch
        {
            null => null,
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw new UsageException($"{At(Node(key)!)}: '{Name(key)}' must be true or false, not '{s}'"),
        };
    }

    public IReadOnlyList<(string Value, int Line)> List(string key)
    {
        var n = Node(key);
        return n switch
        {
            null => [],
            YamlSequenceNode seq => seq.Children.Select(c => c is YamlScalarNode s
                ? (s.Value ?? "", (int)s.Start.Line)
                : throw new UsageException($"{At(c)}: items of '{Name(key)}' must be single values")).ToArray(),
            YamlScalarNode s => [(s.Value ?? "", (int)s.Start.Line)],
            _ => throw new UsageException($"{At(n)}: '{Name(key)}' must be a list"),
        };
    }

    public YamlSection? Section(string key)
    {
        var n = Node(key);
        return n switch
        {
            null => null,
            YamlMappingNode m => new YamlSection(File, m, Name(key)),
            _ => throw new UsageException($"{At(n)}: '{Name(key)}' must be a mapping (indented key: value lines)"),
        };
    }

    public T Enum<T>(string key, IReadOnlyDictionary<string, T> names, T fallback)
    {
        var s = String(key);
        if (s is null)
        {
            return fallback;
        }

        return names.TryGetValue(s, out var v)
            ? v
            : throw new UsageException($"{At(Node(key)!)}: '{Name(key)}: {s}' is not one of: {string.Join(", ", names.Keys)}");
    }

    /// <summary>Fails on the first key that was never asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var kv in _node.Children)
        {
            var key = ((YamlScalarNode)kv.Key).Value ?? "";
            if (!_read.Contains(key))
            {
                var known = string.Join(", ", _read.Order(StringComparer.Ordinal));
                throw new UsageException($"{At(kv.Key)}: unknown key '{Name(key)}'; known keys here: {known}");
            }
        }
    }

    private string Name(string key) => Path.Length == 0 ? key : Path + "." + key;
}
