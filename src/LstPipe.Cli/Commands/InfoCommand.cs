using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LstPipe.Core.Json;
using LstPipe.Dataset.Parquet;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe info PATH</c>: size, CRS, pixel size and per-band type, nodata and statistics of any GDAL
/// raster, or of both rasters of a scene folder.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path")
        {
            Description = "A raster GDAL can read, a scene folder (scene.json), a dataset " +
            "folder (dataset.json), a tile's .mat file, a Parquet shard, a checkpoint, or a product folder"
        };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables" };
        var noStats = new Option<bool>("--no-stats") { Description = "Skip reading pixels for min/max/mean" };
        var command = new Command("info", "Describe a raster, scene, dataset, .mat tile, Parquet shard, checkpoint or product " +
            "folder: what it is, sizes, scales, channels and statistics")
        {
            path, json, noStats,
        };
        command.SetAction(parse =>
        {
            var target = parse.GetRequiredValue(path);
            if (Core.IO.FileKind.Special(target) is { } kind)
            {
                throw new Core.Errors.UsageException($"{target}: not a regular file or folder ({kind}); info describes files and folders");
            }

            var stats = !parse.GetValue(noStats);
            if (SceneFolder.IsSceneFolder(target))
            {
                var scene = SceneFolder.Open(target);
                using var lst = scene.OpenLst();
                using var guidance = scene.HasGuidance ? scene.OpenGuidance() : null;
                var lstSummary = RasterSummary.Describe(lst, stats);
                var guidanceSummary = guidance is null ? null : RasterSummary.Describe(guidance, stats);
                if (parse.GetValue(json))
                {
                    context.Output.WriteLine(JsonSerializer.Serialize(new
                    {
                        scene = scene.Manifest,
                        lst = lstSummary,
                        guidance = guidanceSummary
                    }, JsonDefaults.Options));
                    return 0;
                }

                RenderScene(context.Console, scene);
                Render(context.Console, lstSummary);
                if (guidanceSummary is not null)
                {
                    Render(context.Console, guidanceSummary);
                }

                return 0;
            }

            var asJson = parse.GetValue(json);
            object? other = null;
            if (InfoKinds.IsDataset(target))
            {
                other = InfoKinds.Dataset(context.Console, target, !asJson);
            }
            else if (Directory.Exists(target))
            {
                other = InfoKinds.Product(context.Console, target, !asJson);
            }
            else if (InfoCheckpoint.IsCheckpoint(target))
            {
                other = InfoCheckpoint.Describe(context.Console, target, !asJson);
            }
            else if (target.EndsWith(".mat", StringComparison.OrdinalIgnoreCase))
            {
                other = InfoKinds.Mat(context.Console, target, !asJson);
            }

            if (other is not null)
            {
                if (asJson)
                {
                    context.Output.WriteLine(JsonSerializer.Serialize(other, JsonDefaults.Options));
                }

                return 0;
            }

            if (ParquetSummary.IsParquet(target))
            {
                var shard = ParquetSummary.Describe(target);
                if (parse.GetValue(json))
                {
                    context.Output.WriteLine(JsonSerializer.Serialize(shard, JsonDefaults.Options));
                }
                else
                {
                    RenderParquet(context.Console, shard);
                }

                return 0;
            }

            using var ds = RasterDataset.Open(target);
            var summary = RasterSummary.Describe(ds, stats);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(summary, JsonDefaults.Options));
            }
            else
            {
                Render(context.Console, summary);
            }

            return 0;
        });
        return command;
    }

    private static void RenderScene(IAnsiConsole console, SceneFolder scene)
    {
        var m = scene.Manifest;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Scene[/]", Markup.Escape(m.Id));
        grid.AddRow("Folder", Markup.Escape(scene.Directory));
        grid.AddRow("Grid", $"{m.Width} x {m.Height} px");
        grid.AddRow("CRS", Markup.Escape(m.Crs.Epsg is { } e ? $"EPSG:{e}" : "no EPSG code"));
        var inv = CultureInfo.InvariantCulture;
        grid.AddRow("Kind", scene.HasGuidance ? "scene (LST truth and guidance)" : "coarse scene: LST only, no guidance " +
            "(the input a model downscales: 'crop --real-lr', 'predict --lst')");
        grid.AddRow("Channels", scene.HasGuidance ? Markup.Escape(string.Join(", ", m.Guidance.Bands.Select(b => b.Name))) : "none");
        grid.AddRow("Pixel size", Markup.Escape(Math.Abs(m.Transform.PixelWidth).ToString("0.###", inv) + " (grid units)"));
        if (m.Lst.NativeResolutionMetres is { } native)
        {
            grid.AddRow("LST native", Markup.Escape(native.ToString("0.###", inv) + " m"));
        }

        grid.AddRow("Sensor", Markup.Escape(m.Provenance.Sensor ?? "unknown"));
        if (m.Provenance.Acquired is { } acquired)
        {
            grid.AddRow("Acquired", Markup.Escape(acquired));
        }

        if (m.Provenance.ProductIds.Count > 0)
        {
            grid.AddRow("Product", Markup.Escape(string.Join(", ", m.Provenance.ProductIds)));
        }

        foreach (var (key, value) in m.Provenance.Parameters.Where(p => p.Key.StartsWith("modis.", StringComparison.Ordinal)))
        {
            grid.AddRow(Markup.Escape(key), Markup.Escape(value));
        }

        if (m.Provenance.Command is { } cmd)
        {
            grid.AddRow("Made by", Markup.Escape(cmd));
        }

        console.Write(grid);
        console.WriteLine();
    }

    private static void Render(IAnsiConsole console, RasterSummary s)
    {
        var inv = CultureInfo.InvariantCulture;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]File[/]", Markup.Escape(s.Path));
        grid.AddRow("Driver", s.Driver);
        grid.AddRow("Size", $"{s.Width} x {s.Height} px, {s.Bands.Count} band{(s.Bands.Count == 1 ? "" : "s")}");
        grid.AddRow("CRS", Markup.Escape(s.Crs is null ? "none" : s.Crs.Epsg is { } e ? $"EPSG:{e} ({s.Crs.Name})" : s.Crs.Name));
        if (s.GeoTransform is not null)
        {
            grid.AddRow("Pixel size", Markup.Escape($"{s.PixelWidth.ToString("G10", inv)} x " +
                $"{s.PixelHeight.ToString("G10", inv)} {s.Units ?? "units"}" +
                (s.Ground is { } g && !g.MapUnitsAreGroundMetres() ? $" ({g.Metres.ToString("0.##", inv)} m on the ground)" : "")));
            if (s.SouthUp)
            {
                grid.AddRow("Rows", "stored south first (south-up); read north first");
            }

            grid.AddRow("Bounds", Markup.Escape(s.Bounds.ToString() ?? ""));
        }
        else
        {
            grid.AddRow("Pixel size", "no geotransform");
        }

        console.Write(grid);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Band").AddColumn("Type").AddColumn("NoData").AddColumn("Description")
            .AddColumn(new TableColumn("Min").RightAligned()).AddColumn(new TableColumn("Max").RightAligned())
            .AddColumn(new TableColumn("Mean").RightAligned()).AddColumn(new TableColumn("Valid").RightAligned());
        foreach (var b in s.Bands)
        {
            var st = b.Statistics;
            table.AddRow(
                b.Index.ToString(inv), b.DataType, b.NoData?.ToString("G7", inv) ?? "-", Markup.Escape(b.Description),
                Num(st?.Min), Num(st?.Max), Num(st?.Mean), st is null ? "-" : st.ValidFraction.ToString("P1", inv));
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void RenderParquet(IAnsiConsole console, ParquetSummary s)
    {
        var inv = CultureInfo.InvariantCulture;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]File[/]", Markup.Escape(s.Path));
        grid.AddRow("Format", "Parquet");
        grid.AddRow("Rows", string.Create(inv, $"{s.Rows} in {s.RowGroups} row group{(s.RowGroups == 1 ? "" : "s")}"));
        grid.AddRow("Written by", Markup.Escape(s.CreatedBy ?? "unknown"));
        grid.AddRow("Metadata", Markup.Escape(string.Join(", ", s.MetadataKeys)));
        console.Write(grid);
        var table = new Table().Border(TableBorder.Simple).AddColumn("Column").AddColumn("Type").AddColumn("Codec").AddColumn("Encodings")
            .AddColumn(new TableColumn("Values").RightAligned()).AddColumn(new TableColumn("MB").RightAligned())
            .AddColumn(new TableColumn("Ratio").RightAligned()).AddColumn(new TableColumn("Nulls").RightAligned())
            .AddColumn(new TableColumn("Min").RightAligned()).AddColumn(new TableColumn("Max").RightAligned());
        foreach (var c in s.Columns)
        {
            table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Type), c.Codec, c.Encodings, c.Values.ToString(inv),
                (c.CompressedBytes / 1e6).ToString("0.00", inv), (c.UncompressedBytes / (double)Math.Max(1,
                    c.CompressedBytes)).ToString("0.00", inv),
                c.Nulls?.ToString(inv) ?? "-", Markup.Escape(Short(c.Min)), Markup.Escape(Short(c.Max)));
        }

        console.Write(table);
    }

    private static string Short(object? v) => v switch
    {
        null => "-",
        string t => t.Length > 16 ? t[..15] + "…" : t,
        IFormattable f => f.ToString("G6", CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "-",
    };

    private static string Num(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "-";
}
