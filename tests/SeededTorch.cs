namespace LstPipe.Testing;

/// <summary>
/// Test classes that seed libtorch's random generator and expect its draws (directly, by building a network, or by
/// training), or that measure the process's memory. The generator is one per process, so a class drawing from it on
/// another thread between a seed and its draws would change them: these classes run alone, after the others.
/// xunit finds a collection's definition only in the test assembly itself, so tests/Directory.Build.props compiles
/// this one file into every test project.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededTorch
{
    /// <summary>The collection's name.</summary>
    public const string Name = "seeded libtorch";
}
