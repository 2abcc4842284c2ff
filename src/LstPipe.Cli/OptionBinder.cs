using System.CommandLine;
using LstPipe.Core.Options;

namespace LstPipe.Cli;

/// <summary>
/// The command-line side of a stage's options record: one System.CommandLine option (or argument) per
/// <see cref="OptionAttribute"/>, with its help and default from the record, and the binding of what was given back
/// into a record through <see cref="OptionSchema{T}"/>, so that the command line and a recipe read every option with
/// the same parser. A switch whose default is on is given as <c>--no-NAME</c>.
/// </summary>
/// <typeparam name="T">The options record.</typeparam>
internal sealed class OptionBinder<T>
    where T : class, new()
{
    private readonly List<(OptionSpec Spec, Symbol Symbol)> _symbols = [];

    /// <summary>Declares the record's options, leaving out <paramref name="skip"/> (options a command sets itself).</summary>
    public OptionBinder(params string[] skip)
    {
        foreach (var spec in OptionSchema<T>.Options.Where(o => !skip.Contains(o.Name)))
        {
            _symbols.Add((spec, Create(spec)));
        }
    }

    /// <summary>The option declared for <paramref name="name"/>.</summary>
    public Symbol this[string name] => _symbols.First(s => s.Spec.Name == name).Symbol;

    /// <summary>Adds every option and argument to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var (_, symbol) in _symbols)
        {
            switch (symbol)
            {
                case Argument a:
                    command.Arguments.Add(a);
                    break;
                case Option o:
                    command.Options.Add(o);
                    break;
            }
        }
    }

    /// <summary>The names (<c>--num-feats</c>) of the options given on the command line.</summary>
    public IEnumerable<string> Given(ParseResult parse) =>
        _symbols.Where(s => s.Symbol is Option o && parse.GetResult(o) is { Implicit: false }).Select(s => s.Spec.CommandLineName);

    /// <summary><paramref name="seed"/> with every option given on the command line applied.</summary>
    /// <exception cref="Core.Errors.UsageException">A value the option does not take.</exception>
    public T Bind(ParseResult parse, T? seed = null)
    {
        var result = seed ?? OptionSchema<T>.Defaults;
        foreach (var (spec, symbol) in _symbols)
        {
            object? value;
            switch (symbol)
            {
                case Option<bool> flag when parse.GetResult(flag) is { Implicit: false }:
                    value = Defaults(spec) is true ? !parse.GetValue(flag) : parse.GetValue(flag);
                    break;
                case Option<string[]> list when parse.GetResult(list) is { Implicit: false }:
                    value = (parse.GetValue(list) ?? []).SelectMany(v => v.Split(',',
                        StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        .ToArray();
                    break;
                case Option<string> text when parse.GetResult(text) is { Implicit: false } && parse.GetValue(text) is { } given:
                    value = OptionSchema<T>.Parse(spec, given, spec.CommandLineName);
                    break;
                case Argument<string[]> many when parse.GetResult(many) is { } r && r.Tokens.Count > 0:
                    value = parse.GetValue(many) ?? [];
                    break;
                case Argument<string> one when parse.GetResult(one) is { } r && r.Tokens.Count > 0:
                    value = OptionSchema<T>.Parse(spec, parse.GetValue(one)!, spec.Name);
                    break;
                default:
                    continue;
            }

            result = OptionSchema<T>.With(result, spec, value);
        }

        return result;
    }

    private static object? Defaults(OptionSpec spec) => spec.Property.GetValue(OptionSchema<T>.Defaults);

    private static Symbol Create(OptionSpec spec)
    {
        var d = spec.Declaration;
        var help = d.Scope == OptionScope.CommandLine ? d.Help + " (command line only)" : d.Help;
        var shown = OptionSchema<T>.Format(spec, OptionSchema<T>.Defaults);
        if (d.Positional)
        {
            return spec.IsTextList
                ? new Argument<string[]>(spec.Name)
                {
                    Description = help,
                    Arity = d.Required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore
                }
                : new Argument<string>(spec.Name)
                {
                    Description = help,
                    Arity = d.Required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne
                };
        }

        string[] aliases = d.Alias is { } a ? [a] : [];
        if (spec.IsFlag)
        {
            var on = Defaults(spec) is true;
            return new Option<bool>(on ? "--no-" + spec.Name : spec.CommandLineName,
                aliases)
            { Description = on ? "Turn off: " + help : help };
        }

        if (spec.IsTextList)
        {
            return new Option<string[]>(spec.CommandLineName, aliases)
            {
                Description = help,
                Required = d.Required,
                AllowMultipleArgumentsPerToken = true
            };
        }

        var option = new Option<string>(spec.CommandLineName, aliases) { Description = help, Required = d.Required };
        if (!d.Required && shown.Length > 0)
        {
            option.DefaultValueFactory = _ => shown;
        }

        return option;
    }
}
