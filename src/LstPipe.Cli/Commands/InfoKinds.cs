using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset;
using LstPipe.Dataset.Mat;
using LstPipe.Ingest.Metadata;
using LstPipe.Raster.Gdal;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary>What <c>lstpipe info</c> says about the things that are not one raster: a dataset folder, a tile's
/// <c>.mat</c> file and a raw product folder.</summary>
internal static class InfoKinds
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Whether a path is a dataset folder (it holds <c>dataset.json</c>).</summary>
    public static bool IsDataset(string path) => File.Exists(Path.Combine(path, DatasetLayout.CardFileName));

    /// <summary>Counts, scales, channels, splits, shards and the LST statistics of a dataset.</summary>
    public static object Dataset(IAnsiConsole console, string path, bool render)
    {
        var (card, _) = DatasetFolder.Load(path);
        var splits = DatasetLayout.SplitCounts(path);
        var shards = Directory.Exists(Path.Combine(path, "parquet")) ? Directory.GetFiles(Path.Combine(path, "parquet"),
            "*.parquet").Length : 0;
        var summary = new
        {
            kind = "dataset",
            source = card.Source,
            path,
            tiles = card.TileCount,
            tileSize = card.TileSize,
            card.Overlap,
            scales = card.Scales,
            channels = card.Guidance.Select(g => g.Name).ToArray(),
            scenes = card.Scenes.Select(s => new
            {
                s.Id,
                s.Tiles,
                s.SkippedNoData,
                coverage = s.KeptCoveragePercent ?? s.CoveragePercent
            }).ToArray(),
            splits,
            parquetShards = shards,
            card.TruthResampledFrom,
            card.TruthCoarsenedFrom,
            lst = card.Statistics.Select(s => new { s.Scale, statistics = s.Bands.First(b => b.Name == "lst") }).ToArray(),
            realLr = card.RealLr is { } r ? new
            {
                r.Folder,
                r.Scale,
                r.Sensor,
                r.Acquired,
                r.CoveredTiles,
                uncoveredTiles = r.UncoveredTiles.Count,
                r.BiasK,
                r.RmseK,
            } : null,
        };
        if (!render)
        {
            return summary;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Dataset[/]", Markup.Escape(Path.GetFullPath(path)));
        grid.AddRow("Tiles", card.IsAdopted
            ? string.Create(Inv, $"{card.TileCount} of {card.TileSize} px at the base scale, adopted from GrokLST's layout (no " +
                $"scenes or tile geometry)")
            : string.Create(Inv, $"{card.TileCount} of {card.TileSize} px at the base scale, overlap {card.Overlap:0.##}, from " +
                $"{card.Scenes.Count} scene(s)"));
        grid.AddRow("Scales", Markup.Escape(string.Join(", ", card.Scales.Select(s => string.Create(Inv, $"{s.Label} " +
            $"(x{s.Factor}, {s.TileSize} px)")))));
        grid.AddRow("Channels", Markup.Escape(string.Join(", ", card.Guidance.Select(g => g.Name))));
        grid.AddRow("Splits", splits.Count == 0 ? "none (run 'lstpipe split')" : Markup.Escape(string.Join(", ",
            splits.Select(kv => $"{kv.Key} {kv.Value}"))));
        grid.AddRow("Parquet", shards == 0 ? "no shards (run 'lstpipe export')" : string.Create(Inv, $"{shards} shard(s) in parquet/"));
        if (card.TruthResampledFrom is { } from)
        {
            grid.AddRow("Truth", string.Create(Inv, $"[yellow]resampled from the sensor's {from:0.#} m[/]"));
        }

        if (card.RealLr is { } real)
        {
            grid.AddRow("Real LR", Markup.Escape(string.Create(Inv, $"{real.Folder}/lst beside {real.Scale}: " +
                $"{real.Sensor ?? real.SceneId} ({real.Acquired ?? "date unknown"}), {real.CoveredTiles} of {card.TileCount} tiles " +
                    $"covered; real - simulated bias {real.BiasK:+0.00;-0.00} K, RMSE {real.RmseK:0.00} K ('lstpipe test --lr real')")));
        }

        console.Write(grid);
        var table = new Table().Border(TableBorder.Simple).AddColumn("Scale").AddColumn(new TableColumn("LST mean K").RightAligned())
            .AddColumn(new TableColumn("std K").RightAligned()).AddColumn(new TableColumn("min K").RightAligned())
                .AddColumn(new TableColumn("max K").RightAligned());
        foreach (var s in card.Statistics)
        {
            var b = s.Bands.First(b => b.Name == "lst");
            table.AddRow(s.Scale, b.Mean.ToString("0.00", Inv), b.Std.ToString("0.00", Inv), b.Min.ToString("0.00", Inv),
                b.Max.ToString("0.00", Inv));
        }

        console.Write(table);
        return summary;
    }

    /// <summary>The variables of a MAT file with their shapes and statistics.</summary>
    public static object Mat(IAnsiConsole console, string path, bool render)
    {
        var variables = MatFile.Read(path).Select(a =>
        {
            var valid = a.Values.Where(v => !float.IsNaN(v)).ToArray();
            return new
            {
                name = a.Name,
                rows = a.Height,
                columns = a.Width,
                min = valid.Length == 0 ? double.NaN : valid.Min(),
                max = valid.Length == 0 ? double.NaN : valid.Max(),
                mean = valid.Length == 0 ? double.NaN : valid.Average(v => (double)v),
                validFraction = a.Values.Length == 0 ? 0 : (double)valid.Length / a.Values.Length,
            };
        }).ToArray();
        var summary = new { kind = "mat", path, variables };
        if (!render)
        {
            return summary;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]File[/]", Markup.Escape(path));
        grid.AddRow("Format", "MAT (matio), single-precision 2-D variables");
        console.Write(grid);
        var table = new Table().Border(TableBorder.Simple).AddColumn("Variable").AddColumn("Shape")
            .AddColumn(new TableColumn("Min").RightAligned()).AddColumn(new TableColumn("Max").RightAligned())
            .AddColumn(new TableColumn("Mean").RightAligned()).AddColumn(new TableColumn("Valid").RightAligned());
        foreach (var v in variables)
        {
            table.AddRow(Markup.Escape(v.name), string.Create(Inv, $"{v.rows} x {v.columns}"), v.min.ToString("G6", Inv),
                v.max.ToString("G6", Inv),
                v.mean.ToString("G6", Inv), v.validFraction.ToString("P1", Inv));
        }

        console.Write(table);
        return summary;
    }

    /// <summary>A raw product folder: which product it is (from its metadata files), its rasters, and the pipeline
    /// recipe that ingests it.</summary>
    public static object Product(IAnsiConsole console, string path, bool render)
    {
        var files = Directory.GetFiles(path).Order(StringComparer.Ordinal).ToArray();
        var mtl = files.FirstOrDefault(f => f.EndsWith("MTL.txt", StringComparison.OrdinalIgnoreCase));
        string kind, recipe;
        var facts = new List<(string Key, string Value)>();
        if (mtl is not null)
        {
            var m = ProductMetadata.Read(mtl);
            var level = m.Get("PROCESSING_LEVEL") ?? m.Get("DATA_TYPE") ?? "?";
            kind = $"Landsat {m.Get("SPACECRAFT_ID") ?? "?"} {m.Get("SENSOR_ID") ?? ""} {level}".Trim();
            recipe = level.Contains("L2",
                StringComparison.Ordinal) ? "pipelines/landsat-c2l2.yaml" : "pipelines/landsat-l1.yaml " +
                    "(pipelines/examples/landsat7-talca.yaml for an ETM+ scene with a DEM)";
            facts.Add(("Acquired", m.Acquired() ?? "?"));
            facts.Add(("Cloud cover", m.Get("CLOUD_COVER") is { } cc ? cc + " %" : "?"));
        }
        else if (files.Any(f => Path.GetFileName(f).StartsWith("ECO", StringComparison.OrdinalIgnoreCase) && f.Contains("LST",
            StringComparison.OrdinalIgnoreCase)))
        {
            kind = "ECOSTRESS L2 LST/emissivity (70 m thermal, resampled)";
            recipe = "pipelines/ecostress.yaml";
        }
        else if (files.Any(f => f.EndsWith(".meta.xml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".calib.xml",
            StringComparison.OrdinalIgnoreCase)))
        {
            kind = "SDGSAT-1 L4 (TIS 30 m thermal)";
            recipe = "pipelines/sdgsat1.yaml";
        }
        else
        {
            kind = "a folder of rasters (no product metadata found)";
            recipe = "a GeoTIFF ingest recipe (docs/INGEST.md)";
        }

        var rasters = new List<(string Name, string Size, string Pixel, string Crs, int Bands)>();
        foreach (var f in files)
        {
            try
            {
                using var d = RasterDataset.Open(f);
                rasters.Add((Path.GetFileName(f), $"{d.Width} x {d.Height}",
                    d.HasGeoTransform ? Math.Abs(d.GeoTransform.PixelWidth).ToString("G6", Inv) : "-",
                    d.Crs is { } c ? c.Epsg is { } e ? $"EPSG:{e}" : c.Name : "none", d.BandCount));
            }
            catch (LstPipeException)
            {
            }
        }

        if (rasters.Count == 0)
        {
            throw new UsageException($"{path}: a folder with no scene.json, no dataset.json and no raster GDAL can read; point " +
                $"info at a raster, a scene, a dataset or a product folder");
        }

        var summary = new
        {
            kind = "product",
            path,
            product = kind,
            recipe,
            facts = facts.ToDictionary(f => f.Key,
            f => f.Value),
            rasters = rasters.Select(r => new { r.Name, r.Size, r.Pixel, r.Crs, r.Bands }).ToArray()
        };
        if (!render)
        {
            return summary;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Product[/]", Markup.Escape(kind));
        grid.AddRow("Folder", Markup.Escape(Path.GetFullPath(path)));
        foreach (var (k, v) in facts)
        {
            grid.AddRow(k, Markup.Escape(v));
        }

        grid.AddRow("Ingest with", Markup.Escape(recipe));
        console.Write(grid);
        var table = new Table().Border(TableBorder.Simple).AddColumn("Raster").AddColumn("Size px")
            .AddColumn("Pixel").AddColumn("CRS").AddColumn(new TableColumn("Bands").RightAligned());
        foreach (var r in rasters)
        {
            table.AddRow(Markup.Escape(r.Name), r.Size, r.Pixel, Markup.Escape(r.Crs), r.Bands.ToString(Inv));
        }

        console.Write(table);
        return summary;
    }
}
