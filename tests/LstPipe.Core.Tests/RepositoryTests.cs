using System.Text.RegularExpressions;

namespace LstPipe.Core.Tests;

/// <summary>The repository keeps its own rules: the architecture document names every project with the projects it
/// references, and source files stay small and their lines short.</summary>
public partial class RepositoryTests
{
    [GeneratedRegex(@"^- `(LstPipe\.\w+)` (?:\(references nothing\)|-> ([^:]+)):", RegexOptions.Multiline)]
    private static partial Regex DocumentedProject();

    [GeneratedRegex(@"ProjectReference Include=""[^""]*?(LstPipe\.\w+)\.csproj""")]
    private static partial Regex Reference();

    [Fact]
    public void The_architecture_document_names_every_project_and_its_references()
    {
        var documented = DocumentedProject().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "ARCHITECTURE.md")))
            .ToDictionary(m => m.Groups[1].Value, m => Regex.Matches(m.Groups[2].Value, @"LstPipe\.\w+").Select(r => r.Value).Order().ToArray());
        var actual = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f => Reference().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value).Order().ToArray());
        Assert.Equal(actual.Keys.Order(), documented.Keys.Order());
        foreach (var (project, references) in actual)
        {
            Assert.True(references.SequenceEqual(documented[project]),
                $"{project}: references {string.Join(", ", references)}; docs/ARCHITECTURE.md says {string.Join(", ", documented[project])}");
        }
    }

    [Fact]
    public void Source_files_stay_under_400_lines_of_at_most_140_characters()
    {
        var editorconfig = File.ReadAllText(Path.Combine(RepoPaths.Root, ".editorconfig"));
        Assert.Matches(@"\[\*\.cs\][^\[]*max_line_length = (1[0-3]\d|140)\b", editorconfig);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            var name = Path.GetRelativePath(RepoPaths.Root, file);
            Assert.True(lines.Length <= 400, $"{name} has {lines.Length} lines");
            var longest = lines.Select((l, i) => (l.Length, Line: i + 1)).MaxBy(x => x.Length);
            Assert.True(longest.Length <= 140, $"{name}:{longest.Line} is {longest.Length} characters");
        }
    }
}
