using LstPipe.Core.Errors;
using SkiaSharp;

namespace LstPipe.Figures;

/// <summary>
/// The one font of every figure: DejaVu Sans (a free font with a permissive licence) from Debian's
/// <c>fonts-dejavu-core</c>, which <c>scripts/setup.sh</c> installs. It is loaded by file and handed to ScottPlot by
/// name, never looked up among the system's fonts, so a figure's text renders the same on every machine.
/// </summary>
public static class FigureFont
{
    /// <summary>The family name every plot uses.</summary>
    public const string Family = "DejaVu Sans";

    /// <summary>The Debian package that holds the font.</summary>
    public const string Package = "fonts-dejavu-core";

    /// <summary>Where <see cref="Package"/> puts the font files.</summary>
    public const string Folder = "/usr/share/fonts/truetype/dejavu";

    private static readonly Lazy<(SKTypeface Regular, SKTypeface Bold)> Loaded = new(Load);

    /// <summary>The regular face.</summary>
    /// <exception cref="UsageException">The font file is missing.</exception>
    public static SKTypeface Regular => Loaded.Value.Regular;

    /// <summary>The bold face.</summary>
    /// <exception cref="UsageException">The font file is missing.</exception>
    public static SKTypeface Bold => Loaded.Value.Bold;

    /// <summary>Loads the font and registers it with ScottPlot (once).</summary>
    /// <exception cref="UsageException">The font file is missing.</exception>
    public static void Ensure() => _ = Loaded.Value;

    private static (SKTypeface, SKTypeface) Load()
    {
        var regular = Find("DejaVuSans.ttf");
        var bold = Find("DejaVuSans-Bold.ttf");
        ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        ScottPlot.Fonts.AddFontFile(Family, bold, bold: true, italic: false);
        ScottPlot.Fonts.Default = Family;
        return (SKTypeface.FromFile(regular), SKTypeface.FromFile(bold));
    }

    private static string Find(string file)
    {
        var path = Path.Combine(Folder, file);
        return File.Exists(path)
            ? path
            : throw new UsageException($"{path}: no such font file, which figures are drawn with; install it with 'apt-get " +
                $"install {Package}' (scripts/setup.sh does)");
    }
}
