using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Export;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe export --dataset DATASET --format parquet</c>: Parquet shards of an existing dataset.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var options = new OptionBinder<ExportOptions>();
        var command = new Command("export", "Write a dataset's tiles as Parquet shards (parquet/part-NNNNN.parquet), or as a " +
            "data root for " +
            "GrokLST's own toolkit (--format groklst)");
        options.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var o = options.Bind(parse).Validate();
            if (o.Format == "parquet")
            {
                Run(context, o, ct);
                return Task.FromResult(0);
            }

            var to = o.Output ?? throw new UsageException("--format groklst needs --out DIR (the data root to write)");
            var r = GrokLstExporter.Run(new GrokLstExportOptions { Dataset = o.Dataset, Output = to, Force = o.Force });
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Markup.Escape(r.Folder)}: {r.Files} files ({r.Linked} MAT files hard-linked to the dataset's); point " +
                    $"the original " +
                $"configs' data_root at it, with the constants in normalization.txt (docs/DATASET.md)"));
            return Task.FromResult(0);
        });
        return command;
    }

    internal static ParquetExportResult Run(CliContext context, ExportOptions options, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = ParquetExporter.Run(options, null, ct);
        context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {result.Rows} rows in {result.Shards.Count} Parquet shard(s), {result.Bytes / 1e6:0.0} MB " +
                $"({options.Codec.ToString().ToLowerInvariant()}{(options.ByteStreamSplit ? ", byte-stream-split" : "")}) to " +
                    $"{Markup.Escape(result.Folder)} in {watch.Elapsed.TotalSeconds:0.0} s"));
        return result;
    }
}
