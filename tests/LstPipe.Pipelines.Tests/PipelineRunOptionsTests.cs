namespace LstPipe.Pipelines.Tests;

public class PipelineRunOptionsTests
{
    [Theory]
    [InlineData("https://example.org/data/x/", "https://example.org/data/x")]
    [InlineData("s3://bucket/lst", "s3://bucket/lst")]
    [InlineData("/srv/data/x", "file:///srv/data/x")]
    public void The_catalog_href_base_is_an_absolute_url_or_path(string given, string expected) =>
        Assert.Equal(expected, new PipelineRunOptions.HrefBaseParser().Parse(given));

    [Theory]
    [InlineData("data/x")]
    [InlineData("example.org/data")]
    public void A_relative_href_base_is_refused_with_what_to_give(string given)
    {
        var e = Assert.Throws<FormatException>(() => new PipelineRunOptions.HrefBaseParser().Parse(given));
        Assert.Equal($"'{given}' is not an absolute URL or path; use one such as https://example.org/data/NAME or /srv/data/NAME",
            e.Message);
    }
}
