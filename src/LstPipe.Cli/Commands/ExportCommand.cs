using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Dataset.Export;
using LstPipe.Dataset.Parquet;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe export --dataset DATASET --format parquet</c>: Parquet shards of an existing dataset.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "Dataset folder (made by crop)", Required = true };
        var format = new Option<string>("--format") { Description = "parquet (shards in the dataset) or groklst (a data root GrokLST's own toolkit loads, in --out)", DefaultValueFactory = _ => "parquet" };
        var output = new Option<string?>("--out", "-o") { Description = "groklst: the folder to write (the original configs' data_root)" };
        var force = new Option<bool>("--force") { Description = "groklst: replace a non-empty --out" };
        var options = ParquetOptions.Create();
        var command = new Command("export", "Write a dataset's tiles as Parquet shards (parquet/part-NNNNN.parquet), or as a data root for GrokLST's own toolkit (--format groklst)")
        {
            dataset, format, output, force,
        };
        options.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            switch (parse.GetRequiredValue(format).Trim().ToLowerInvariant())
            {
                case "parquet":
                    Run(context, options.Read(parse, parse.GetRequiredValue(dataset)), ct);
                    break;
                case "groklst":
                    var to = parse.GetValue(output) ?? throw new UsageException("--format groklst needs --out DIR (the data root to write)");
                    var r = GrokLstExporter.Run(new GrokLstExportOptions { Dataset = parse.GetRequiredValue(dataset), Output = to, Force = parse.GetValue(force) });
                    context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                        $"wrote {Markup.Escape(r.Folder)}: {r.Files} files ({r.Linked} MAT files hard-linked to the dataset's); point the original configs' data_root at it, with the constants in normalization.txt (docs/DATASET.md)"));
                    break;
                case var other:
                    throw new UsageException($"--format {other} is not supported: use parquet or groklst");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    internal static ParquetExportResult Run(CliContext context, ParquetExportOptions options, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = ParquetExporter.Run(options, null, ct);
        context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {result.Rows} rows in {result.Shards.Count} Parquet shard(s), {result.Bytes / 1e6:0.0} MB ({options.Codec.ToString().ToLowerInvariant()}{(options.ByteStreamSplit ? ", byte-stream-split" : "")}) to {Markup.Escape(result.Folder)} in {watch.Elapsed.TotalSeconds:0.0} s"));
        return result;
    }

    /// <summary>The Parquet options shared by export and crop --formats.</summary>
    internal sealed class ParquetOptions
    {
        private readonly Option<string> _codec = new("--codec") { Description = "Parquet compression: zstd, gzip or none", DefaultValueFactory = _ => "zstd" };
        private readonly Option<int?> _level = new("--level") { Description = "Codec level (zstd 1-22, gzip <=3 fastest)" };
        private readonly Option<string> _encoding = new("--encoding") { Description = "Float encoding: byte-stream-split or plain", DefaultValueFactory = _ => "byte-stream-split" };
        private readonly Option<int> _shardSize = new("--shard-size") { Description = "Tiles per shard: as many as hold this many MB of raw float32 arrays (compressed shards are smaller)", DefaultValueFactory = _ => 256 };

        public static ParquetOptions Create() => new();

        public void AddTo(Command command)
        {
            command.Options.Add(_codec);
            command.Options.Add(_level);
            command.Options.Add(_encoding);
            command.Options.Add(_shardSize);
        }

        public ParquetExportOptions Read(ParseResult parse, string dataset)
        {
            var encoding = parse.GetRequiredValue(_encoding).Trim().ToLowerInvariant();
            if (encoding is not ("byte-stream-split" or "plain"))
            {
                throw new UsageException($"--encoding {encoding} is unknown: use byte-stream-split or plain");
            }

            try
            {
                return new ParquetExportOptions
                {
                    Dataset = dataset,
                    Codec = ParquetWriterOptions.ParseCodec(parse.GetRequiredValue(_codec)),
                    Level = parse.GetValue(_level),
                    ByteStreamSplit = encoding == "byte-stream-split",
                    ShardBytes = (long)parse.GetValue(_shardSize) << 20,
                }.Validate();
            }
            catch (FormatException e)
            {
                throw new UsageException("--codec: " + e.Message);
            }
        }
    }
}
