using System.Text.RegularExpressions;
using Xunit;

namespace LstPipe.Testing;

/// <summary>A page as headless Chromium renders it after its load event: the DOM, what was logged to the console, the
/// images that decoded and the errors the page raised (a script error, a resource that failed to load).</summary>
/// <param name="Dom">The serialized DOM.</param>
/// <param name="Console">Console messages, one per line of Chromium's log.</param>
/// <param name="ImagesLoaded">Images that loaded and decoded.</param>
/// <param name="Errors">Error events caught on the window, joined by <c> | </c>; empty when none.</param>
public sealed record RenderedPage(string Dom, IReadOnlyList<string> Console, int ImagesLoaded, string Errors);

/// <summary>Debian's headless <c>chromium</c> (installed by <c>scripts/setup.sh --tests</c>), as a reader's browser.
/// Every host name resolves to nothing, so a page that reached for the network would show it as an error.</summary>
public static partial class Chromium
{
    private const string Probe = """
        <script>
        window.__errors = [];
        addEventListener('error', e => window.__errors.push(String(e.message || (e.target && (e.target.currentSrc || e.target.tagName)) || 'error')), true);
        addEventListener('load', () => {
          document.body.dataset.imagesLoaded = [...document.images].filter(i => i.complete && i.naturalWidth > 0).length;
          document.body.dataset.errors = window.__errors.join(' | ');
        });
        </script>
        """;

    /// <summary>Renders a page from its file. A copy with a small probe script first in its head is what Chromium
    /// loads, beside the page, so that the probe can count the decoded images and catch errors.</summary>
    public static RenderedPage Render(string htmlPath)
    {
        var html = File.ReadAllText(htmlPath);
        var head = html.IndexOf("<head>", StringComparison.Ordinal);
        Assert.True(head >= 0, $"{htmlPath}: no <head>");
        var probe = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(htmlPath))!, ".probe." + Path.GetFileName(htmlPath));
        File.WriteAllText(probe, html.Insert(head + "<head>".Length, "\n" + Probe));
        try
        {
            var r = Run(["--dump-dom", "file://" + probe]);
            Assert.True(r.ExitCode == 0, $"chromium exit {r.ExitCode}: {r.StdErr}");
            var console = r.StdErr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToArray();
            var body = BodyTag().Match(r.StdOut);
            Assert.True(body.Success, "chromium dumped no <body>: " + r.StdOut[..Math.Min(200, r.StdOut.Length)]);
            var loaded = ImagesLoaded().Match(body.Value);
            Assert.True(loaded.Success, "the page's load event never came (no data-images-loaded on <body>)");
            var errors = ErrorsAttribute().Match(body.Value);
            return new RenderedPage(r.StdOut, console, int.Parse(loaded.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                errors.Success ? System.Net.WebUtility.HtmlDecode(errors.Groups[1].Value) : "");
        }
        finally
        {
            File.Delete(probe);
        }
    }

    /// <summary>Takes a screenshot of a page, <paramref name="width"/> x <paramref name="height"/> CSS pixels.</summary>
    public static void Screenshot(string htmlPath, string png, int width, int height)
    {
        var r = Run(["--hide-scrollbars", $"--window-size={width},{height}", "--screenshot=" + Path.GetFullPath(png), "file://" + Path.GetFullPath(htmlPath)]);
        Assert.True(r.ExitCode == 0 && File.Exists(png), $"chromium exit {r.ExitCode}: {r.StdErr}");
    }

    private static ProcessResult Run(IEnumerable<string> arguments)
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "no /usr/bin/chromium: install Debian's chromium (scripts/setup.sh --tests does)");
        var profile = Directory.CreateTempSubdirectory("lstpipe-chromium-");
        try
        {
            return Processes.Run("/usr/bin/chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile.FullName,
                "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0", .. arguments,
            ], timeoutSeconds: 120);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();

    [GeneratedRegex("data-images-loaded=\"(\\d+)\"")]
    private static partial Regex ImagesLoaded();

    [GeneratedRegex("data-errors=\"([^\"]*)\"")]
    private static partial Regex ErrorsAttribute();
}
