namespace LstPipe.Core.Options;

/// <summary>Where an option may be given.</summary>
public enum OptionScope
{
    /// <summary>On the command line and in a pipeline recipe: the option shapes the result.</summary>
    Both,

    /// <summary>On the command line only: an execution choice (threads, workers, device, what to do with an existing
    /// output) that never changes the bytes written.</summary>
    CommandLine,
}

/// <summary>
/// Declares a property of a stage's options record as an option: its name (<c>num-feats</c>: <c>--num-feats</c> on
/// the command line, <c>num_feats</c> in a recipe), its help text, and the values it takes. The record is the only
/// declaration of its options; the command line and the recipe reader are both bound from it
/// (<see cref="OptionSchema{T}"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string name, string help) : Attribute
{
    /// <summary>The option's name in kebab case, without dashes.</summary>
    public string Name { get; } = name;

    /// <summary>One line of help.</summary>
    public string Help { get; } = help;

    /// <summary>A short alias on the command line (<c>-m</c>).</summary>
    public string? Alias { get; init; }

    /// <summary>Smallest value of a number; NaN: none.</summary>
    public double Min { get; init; } = double.NaN;

    /// <summary>Largest value of a number; NaN: none.</summary>
    public double Max { get; init; } = double.NaN;

    /// <summary>The words a text option takes; null: any text.</summary>
    public string[]? Choices { get; init; }

    /// <summary>Where the option may be given.</summary>
    public OptionScope Scope { get; init; } = OptionScope.Both;

    /// <summary>A type implementing <see cref="IOptionParser"/> that reads the value from its text (lists and the
    /// other values with a syntax of their own).</summary>
    public Type? Parser { get; init; }

    /// <summary>Whether the option has no default and must be given.</summary>
    public bool Required { get; init; }

    /// <summary>Whether the command line takes it as an argument (<c>lstpipe split 6:1:3</c>) rather than an option.</summary>
    public bool Positional { get; init; }
}

/// <summary>Reads an option's value from its text, and writes it back, for options with a syntax of their own
/// (<c>4x2500</c>, <c>1,2,4,8</c>).</summary>
public interface IOptionParser
{
    /// <summary>The value of <paramref name="text"/> (null for a word that means the default, such as <c>auto</c>).</summary>
    /// <exception cref="FormatException">The text is not a value; the message says what is expected.</exception>
    object? Parse(string text);

    /// <summary>The text of a value, as a user would give it.</summary>
    string Format(object value);
}
