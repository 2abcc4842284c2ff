namespace LstPipe.Cli.Tests;

public class CliAppTests
{
    [Fact]
    public void Help_lists_the_verbs()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var verb in new[] { "info", "synth", "demo" })
        {
            Assert.Contains(verb, r.StdOut);
        }
    }

    [Fact]
    public void Version_prints_the_tool_version()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith(Core.ToolInfo.Version, r.StdOut.Trim());
    }

    [Fact]
    public void Verb_help_shows_defaults()
    {
        var r = CliRunner.Run("synth", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("[default: 2048]", r.StdOut);
        Assert.Contains("[default: deflate]", r.StdOut);
    }

    [Fact]
    public void A_parse_error_is_one_line_and_exit_code_2()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("synth", "--size", "abc", "--out", "x"), 2, "--size abc: use a whole number");
        CliRunner.AssertOneLineError(CliRunner.Run("synth"), 2, "--out");
        CliRunner.AssertOneLineError(CliRunner.Run("frobnicate"), 2, "frobnicate");
    }

    [Fact]
    public void An_unknown_option_is_named_as_one_for_every_verb()
    {
        var verbs = CliApp.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null, [])).Subcommands.Select(c => c.Name).ToList();
        Assert.Contains("crop", verbs);
        foreach (var verb in verbs)
        {
            var error = new StringWriter();
            string[] args = [verb, "nonexistent-input", "--sise", "64"];
            var code = CliApp.Run(args, CliContext.ForWriters(TextWriter.Null, error, args));
            Assert.True(code == 2 && error.ToString().Trim() == $"lstpipe: unknown option --sise (see 'lstpipe {verb} --help')", $"{verb}: exit {code}: {error}");
        }

        CliRunner.AssertOneLineError(CliRunner.Run("crop", "s", "--out", "x", "--sise", "64"), 2, "unknown option --sise");
        CliRunner.AssertOneLineError(CliRunner.Run("crop", "--out", "x", "--", "--sise"), 2, "--sise: no such scene folder");
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var r = CliRunner.Run("info", "/nonexistent.tif", "--verbose");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("   at ", r.StdErr);
    }

    [Fact]
    public void A_run_whose_error_says_unexpected_fails_its_test_unless_the_test_opts_in()
    {
        var last = new ProcessResult(1, "", "lstpipe: unexpected IOException: Broken pipe (rerun with --verbose for the stack trace)\n");
        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => CliRunner.Checked(last, ["info", "x.tif"]));
        Assert.StartsWith("lstpipe info x.tif: exit 1 with an \"unexpected\" error", e.Message, StringComparison.Ordinal);
        var named = last with { StdErr = "lstpipe: x.tif: no such file\n" };
        Assert.Same(named, CliRunner.Checked(named, ["info", "x.tif"]));
        var plain = CliRunner.RunAllowingUnexpected("info", "/nonexistent.tif");
        Assert.Equal(2, plain.ExitCode);
    }

    [Fact]
    public void A_foreign_exception_is_reported_by_its_first_line_without_libtorch_s_stack()
    {
        var libtorch = "The size of tensor a (128) must match the size of tensor b (64) at non-singleton dimension 3 Exception raised from infer_size_impl at /pytorch/aten/src/ATen/ExpandUtils.cpp:31 (most recent call first):\nframe #0: c10::Error::Error(...)";
        Assert.Equal("The size of tensor a (128) must match the size of tensor b (64) at non-singleton dimension 3", CliApp.Brief(libtorch));
        Assert.Equal(200, CliApp.Brief(new string('x', 5000)).Length);
    }

    [Theory]
    [InlineData("info|{0}/b10.tif", "b10.tif: no such file")]
    [InlineData("ingest|--input|{0}/product|--recipe|{0}/r.yaml|--out|{0}/scene", "no such")]
    [InlineData("crop|{0}/scenes/s*|--out|{0}/ds", "s*: no such scene folder")]
    [InlineData("split|6:1:3|--dataset|{0}/ds", "ds: no such dataset folder")]
    [InlineData("export|--dataset|{0}/ds", "ds: no such dataset folder")]
    [InlineData("adopt|{0}/GrokLST", "GrokLST: no such folder")]
    [InlineData("train|--dataset|{0}/ds|--out|{0}/run", "ds: no such dataset folder")]
    [InlineData("test|--checkpoint|{0}/best.safetensors|--dataset|{0}/ds", "best.safetensors: no such checkpoint")]
    [InlineData("predict|--checkpoint|{0}/m.pth|--lst|{0}/lr.tif|--guidance|{0}/g.tif|--out|{0}/sr.tif", "m.pth: no such file")]
    [InlineData("degrade|{0}/scene|--out|{0}/lr.tif", "scene: no such scene folder or raster")]
    [InlineData("convert|{0}/m.pth|{0}/m.safetensors", "m.pth: no such file")]
    [InlineData("run|{0}/p.yaml", "p.yaml: no such recipe file")]
    [InlineData("status|{0}/p.yaml", "p.yaml: no such recipe file")]
    [InlineData("predict|--checkpoint|{1}|--lst|{0}/lr.tif|--guidance|{1}|--out|{0}/sr.tif", "lr.tif: no such file or scene folder")]
    [InlineData("predict|--checkpoint|{1}|--lst|{1}|--guidance|{1}|--out|{0}/sr.tif|--truth|{0}/t.tif", "t.tif: no such file")]
    [InlineData("test|--checkpoint|{1}|--dataset|{0}/ds", "ds: no such dataset folder")]
    public void Every_verb_exits_2_with_one_line_naming_a_missing_input(string args, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("present"), "");
        var r = CliRunner.Run(args.Split('|').Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, dir.Path, dir.File("present"))).ToArray());
        CliRunner.AssertOneLineError(r, ReadmeExitCode("usage"), message);
        Assert.Equal(["present"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    /// <summary>The exit code the README's table gives for a kind of error (<c>usage</c>, <c>data error</c>, ...).</summary>
    private static int ReadmeExitCode(string kind)
    {
        var rows = File.ReadLines(Path.Combine(RepoPaths.Root, "README.md"))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\| (\d+) \| ([^|]+)\|$")).Where(m => m.Success)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m => m.Groups[2].Value);
        Assert.Equal([0, 1, 2, 130, 143], rows.Keys.Order());
        return rows.Single(r => r.Value.StartsWith(kind, StringComparison.Ordinal)).Key;
    }

    [Fact]
    public void The_readme_s_exit_codes_are_the_ones_errors_carry()
    {
        Assert.Equal(LstPipe.Core.Errors.UsageException.Code, ReadmeExitCode("usage error"));
        Assert.Equal(LstPipe.Core.Errors.DataException.Code, ReadmeExitCode("data error"));
        Assert.Equal(CliApp.Interrupted, ReadmeExitCode("interrupted"));
        Assert.Equal(CliApp.Terminated, ReadmeExitCode("stopped by SIGTERM"));
        Assert.Contains("missing input file, folder or band file", File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void A_product_folder_without_a_band_file_is_a_usage_error_naming_the_band()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("l8"));
        foreach (var f in Directory.GetFiles(RepoPaths.Data("landsat8-l1-gulfcoast")).Where(f => !f.EndsWith("_B10.tif", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(dir.File("l8"), Path.GetFileName(f)));
        }

        var r = CliRunner.Run("ingest", "--recipe", Path.Combine(RepoPaths.Root, "pipelines", "landsat-l1.yaml"), "--input", dir.File("l8"), "--out", dir.File("scene"));
        CliRunner.AssertOneLineError(r, ReadmeExitCode("usage"), "band 'thermal'");
        Assert.False(Directory.Exists(dir.File("scene")));
    }
}
