using System.Globalization;
using System.Reflection;
using LstPipe.Core.Errors;

namespace LstPipe.Core.Options;

/// <summary>One option of an options record: its property and its declaration.</summary>
/// <param name="Property">The record's property.</param>
/// <param name="Declaration">The <see cref="OptionAttribute"/> on it.</param>
public sealed record OptionSpec(PropertyInfo Property, OptionAttribute Declaration)
{
    /// <summary>The kebab-case name (<c>num-feats</c>).</summary>
    public string Name => Declaration.Name;

    /// <summary>The command-line form (<c>--num-feats</c>).</summary>
    public string CommandLineName => "--" + Declaration.Name;

    /// <summary>The recipe key (<c>num_feats</c>).</summary>
    public string RecipeKey => Declaration.Name.Replace('-', '_');

    /// <summary>The value's type, nullable unwrapped.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    /// <summary>Whether the option is a switch (a bool).</summary>
    public bool IsFlag => ValueType == typeof(bool);

    /// <summary>Whether the value is a list of texts (scene folders, channel names), read as one value per item.</summary>
    public bool IsTextList
        => Declaration.Parser is null && typeof(IEnumerable<string>).IsAssignableFrom(ValueType) && ValueType != typeof(string);
}

/// <summary>
/// The options of a stage's options record <typeparamref name="T"/>, read from its <see cref="OptionAttribute"/>s:
/// the single place that says what an option is called, what it takes and what its default is. Values are parsed from
/// text here, with one error per option whatever the source (the command line or a recipe), and set on a copy of the
/// record.
/// </summary>
/// <typeparam name="T">An options record with a parameterless constructor that gives its defaults.</typeparam>
public static class OptionSchema<T>
    where T : class, new()
{
    private static readonly MethodInfo Clone = typeof(T).GetMethod("<Clone>$")
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not a record");

    /// <summary>The declared options in declaration order.</summary>
    public static IReadOnlyList<OptionSpec> Options { get; } = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Property: p, Declaration: p.GetCustomAttribute<OptionAttribute>()))
        .Where(x => x.Declaration is not null)
        .OrderBy(x => x.Property.MetadataToken)
        .Select(x => new OptionSpec(x.Property, x.Declaration!))
        .ToArray();

    /// <summary>The record with every default.</summary>
    public static T Defaults { get; } = new();

    /// <summary>The option called <paramref name="name"/> (kebab case or a recipe key), or null.</summary>
    public static OptionSpec? Find(string name) =>
        Options.FirstOrDefault(o => o.Name == name || o.RecipeKey == name);

    /// <summary>A copy of <paramref name="seed"/> with one option set.</summary>
    public static T With(T seed, OptionSpec option, object? value)
    {
        var copy = (T)Clone.Invoke(seed, null)!;
        option.Property.SetValue(copy, value);
        return copy;
    }

    /// <summary>The value of an option in a record, as text a user would give (empty for null).</summary>
    public static string Format(OptionSpec option, T record)
    {
        var value = option.Property.GetValue(record);
        return value switch
        {
            null => "",
            _ when option.Declaration.Parser is { } p => ((IOptionParser)Activator.CreateInstance(p)!).Format(value),
            bool b => b ? "true" : "false",
            IEnumerable<string> list => string.Join(",", list),
            Enum e => Kebab(e.ToString()),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    /// <summary>Parses an option's text.</summary>
    /// <param name="option">The option.</param>
    /// <param name="text">Its text.</param>
    /// <param name="where">How the message names it: <c>--num-feats</c>, or <c>r.yaml:12: train.num_feats</c>.</param>
    /// <exception cref="UsageException">The text is not a value of the option; the message says which are.</exception>
    public static object? Parse(OptionSpec option, string text, string where)
    {
        var d = option.Declaration;
        var t = option.ValueType;
        object Fail(string why) => throw new UsageException($"{where} {text}: {why}");
        if (d.Parser is { } parserType)
        {
            try
            {
                return ((IOptionParser)Activator.CreateInstance(parserType)!).Parse(text);
            }
            catch (FormatException e)
            {
                Fail(e.Message);
            }
        }

        var trimmed = text.Trim();
        if (option.IsTextList)
        {
            return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        if (t == typeof(bool))
        {
            return trimmed.ToLowerInvariant() switch
            {
                "true" or "yes" => (object)true,
                "false" or "no" => false,
                _ => Fail("use true or false"),
            };
        }

        if (t.IsEnum)
        {
            var match = Enum.GetNames(t).FirstOrDefault(n => Kebab(n) == trimmed.ToLowerInvariant());
            return match is not null ? Enum.Parse(t, match) : Fail("use " + OneOf(Enum.GetNames(t).Select(Kebab)));
        }

        if (t == typeof(string))
        {
            return d.Choices is { } choices && !choices.Contains(trimmed)
                ? Fail("use " + OneOf(choices))
                : trimmed;
        }

        double number;
        if (t == typeof(int) || t == typeof(long) || t == typeof(ulong))
        {
            if (!decimal.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
            {
                Fail("use a whole number");
            }

            number = (double)whole;
        }
        else if (t == typeof(double))
        {
            if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out number) || !double.IsFinite(number))
            {
                Fail("use a number");
            }
        }
        else
        {
            throw new InvalidOperationException($"{typeof(T).Name}.{option.Property.Name}: no parser for {t.Name}");
        }

        if ((!double.IsNaN(d.Min) && number < d.Min) || (!double.IsNaN(d.Max) && number > d.Max))
        {
            Fail(Range(d));
        }

        if (t == typeof(int))
        {
            return (int)number;
        }

        return t == typeof(long) ? (long)number : t == typeof(ulong) ? (object)(ulong)number : number;
    }

    /// <summary>Checks every declared option of a record built in code against its declaration (range, choices), as
    /// if it had been given as text: the same error a user would get.</summary>
    /// <exception cref="UsageException">A value the option does not take.</exception>
    public static void Check(T record)
    {
        foreach (var option in Options)
        {
            if (option.Property.GetValue(record) is not null && !option.IsTextList)
            {
                Parse(option, Format(option, record), option.CommandLineName);
            }
        }
    }

    /// <summary>Choices as a person lists them: <c>a, b or c</c>.</summary>
    public static string OneOf(IEnumerable<string> choices)
    {
        var all = choices.ToArray();
        return all.Length < 2 ? string.Concat(all) : string.Join(", ", all[..^1]) + " or " + all[^1];
    }

    /// <summary>A PascalCase name in kebab case (<c>SurfaceReflectance</c>: <c>surface-reflectance</c>).</summary>
    public static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static string Range(OptionAttribute d) => (double.IsNaN(d.Min), double.IsNaN(d.Max)) switch
    {
        (false, false) => string.Create(CultureInfo.InvariantCulture, $"use {d.Min:R} to {d.Max:R}"),
        (false, true) => string.Create(CultureInfo.InvariantCulture, $"use {d.Min:R} or more"),
        _ => string.Create(CultureInfo.InvariantCulture, $"use {d.Max:R} or less"),
    };
}
