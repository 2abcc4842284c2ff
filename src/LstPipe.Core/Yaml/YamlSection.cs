using System.Globalization;
using LstPipe.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Core.Yaml;

/// <summary>Strict reading of a YAML mapping (an ingest or pipeline recipe, or a section of one): every key must be
/// known, every error is a usage error that names <c>file:line</c>.</summary>
public sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>A mapping of <paramref name="file"/> whose keys are named under <paramref name="path"/> in messages.</summary>
    public YamlSection(string file, YamlMappingNode node, string path)
    {
        File = file;
        _node = node;
        Path = path;
    }

    /// <summary>The recipe file.</summary>
    public string File { get; }

    /// <summary>The dotted path of this section (<c>train</c>, <c>bands.red</c>; empty at the root).</summary>
    public string Path { get; }

    /// <summary>The line the section starts on.</summary>
    public int Line => (int)_node.Start.Line;

    /// <summary><c>file:line</c> of the section.</summary>
    public string Where => At(_node);

    /// <summary><c>file:line</c> of a node.</summary>
    public string At(YamlNode node) => $"{File}:{node.Start.Line}";

    /// <summary>Reads a recipe file whose root is a mapping.</summary>
    /// <exception cref="UsageException">The file is missing, not YAML, or not a mapping.</exception>
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

    /// <summary>The section's keys and values in file order (none of them counts as read).</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries() =>
        _node.Children.Select(kv => (((YamlScalarNode)kv.Key).Value ?? "", kv.Value));

    /// <summary>The value of a key, or null; the key counts as read.</summary>
    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    /// <summary>A single value, or null.</summary>
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

    /// <summary>A single value that must be there.</summary>
    public string RequireString(string key) =>
        String(key) ?? throw new UsageException($"{Where}: '{Name(key)}' is required");

    /// <summary>A number, or null.</summary>
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

    /// <summary>true/false (or yes/no), or null.</summary>
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

    /// <summary>A list of single values (a single value is a list of one), with their lines; empty when absent.</summary>
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

    /// <summary>A nested mapping, or null.</summary>
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

    /// <summary>One of the named values, or <paramref name="fallback"/> when absent.</summary>
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
