using LstPipe.Core.Errors;
using LstPipe.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace LstPipe.Core.Options;

/// <summary>Binds a recipe section (<c>crop:</c>, <c>train:</c>) to a stage's options record through its
/// <see cref="OptionSchema{T}"/>: each key is an option's name with underscores, read and checked by the same parser
/// as the command line; an unknown key, or an option the command line alone takes, is refused at its line.</summary>
public static class RecipeOptions
{
    /// <summary>The options of <paramref name="seed"/> with the section's keys applied.</summary>
    /// <param name="section">The recipe section, or null for none (the seed is returned).</param>
    /// <param name="seed">The starting values (the record's defaults, or the stage's).</param>
    /// <param name="structural">Keys the caller reads itself (the section's own structure, not options).</param>
    /// <exception cref="UsageException">An unknown key or a bad value; the message starts with <c>file:line</c>.</exception>
    public static T Bind<T>(YamlSection? section, T seed, params string[] structural)
        where T : class, new()
    {
        if (section is null)
        {
            return seed;
        }

        var result = seed;
        foreach (var (key, node) in section.Entries())
        {
            if (structural.Contains(key))
            {
                continue;
            }

            var name = section.Path.Length == 0 ? key : section.Path + "." + key;
            var option = OptionSchema<T>.Options.FirstOrDefault(o => o.RecipeKey == key);
            if (option is null)
            {
                var known = OptionSchema<T>.Options.Where(o => o.Declaration.Scope == OptionScope.Both).Select(o
                    => o.RecipeKey).Concat(structural);
                throw new UsageException($"{section.At(node)}: unknown key '{name}'; known keys here: " +
                    $"{string.Join(", ", known.Order(StringComparer.Ordinal))}");
            }

            if (option.Declaration.Scope == OptionScope.CommandLine)
            {
                throw new UsageException($"{section.At(node)}: '{name}' is not a recipe key: it is an execution choice or a " +
                    $"path a run gives, {option.CommandLineName} on the command line");
            }

            section.Node(key);
            var text = node switch
            {
                YamlScalarNode s => s.Value ?? "",
                YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) => string.Join(",",
                    seq.Children.Select(c => ((YamlScalarNode)c).Value)),
                _ => throw new UsageException($"{section.At(node)}: '{name}' must be a value or a list of values"),
            };
            result = OptionSchema<T>.With(result, option, OptionSchema<T>.Parse(option, text, $"{section.At(node)}: {name}"));
        }

        return result;
    }
}
