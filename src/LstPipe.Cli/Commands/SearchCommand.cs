using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstPipe.Core.Json;
using LstPipe.Ingest.Stac;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe search --api URL --collection ID --bbox W,S,E,N --datetime START/END</c>: the items of a STAC
/// API that cover a place in a time, one line each (id, date, cloud cover, share of the bbox covered), or as JSON.</summary>
internal static class SearchCommand
{
    public static Command Create(CliContext context)
    {
        var bound = new OptionBinder<StacQuery>();
        var json = new Option<bool>("--json") { Description = "Print the items as a GeoJSON FeatureCollection" };
        var command = new Command("search", "Find the items of a STAC API collection that cover a place (--bbox) in a time " +
            "(--datetime), as a pipeline region's 'stac' query would");
        bound.AddTo(command);
        command.Options.Add(json);
        command.SetAction((parse, ct) =>
        {
            var query = bound.Bind(parse).Validate();
            foreach (var warning in query.Warnings())
            {
                context.Error.WriteLine("warning: " + warning);
            }

            using var client = new StacApiClient(log: line => context.Error.WriteLine("warning: " + line));
            var items = client.Search(query);
            if (parse.GetValue(json))
            {
                var features = new JsonArray([.. items.Select(i => (JsonNode)i.Json.DeepClone())]);
                context.Output.WriteLine(new JsonObject { ["type"] = "FeatureCollection", ["features"] = features }
                    .ToJsonString(JsonDefaults.Options));
                return Task.FromResult(0);
            }

            var picked = query.Choose(items).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            var width = items.Count == 0 ? 0 : items.Max(i => Printable(i.Id).Length);
            foreach (var item in items)
            {
                var cloud = item.CloudCover is { } c ? string.Create(CultureInfo.InvariantCulture, $"cloud {c,5:0.0}%") : "cloud   n/a";
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(picked.Contains(item.Id) ? '*' : ' ')} {Printable(item.Id).PadRight(width)}  " +
                        $"{item.Datetime?.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "(no date)",-17}  {cloud}  " +
                            $"overlap {item.Overlap(query.Bbox!.Value) * 100,5:0.0}%"));
            }

            context.Console.MarkupLine(items.Count == 0
                ? $"[yellow]no item of {Markup.Escape(query.Collection)} matches[/] (bbox, datetime" +
                    (query.MaxCloud is null ? ")" : ", max-cloud)")
                : Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"{items.Count} item(s){(items.Count >= query.Limit ? $" (the --limit of {query.Limit}; there may be more)" : "")}; " +
                        $"{Picks(query, picked.Count)}")));
            return Task.FromResult(0);
        });
        return command;
    }

    private static string Picks(StacQuery query, int picked)
    {
        var share = (100 * StacQuery.MinOverlap).ToString("0", CultureInfo.InvariantCulture) + "%";
        return picked == 0 ? $"none covers {share} of the bbox, so a region picks none"
            : $"* marks what a region with pick {PickName(query)} takes (of those covering {share} of the bbox)";
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);

    private static string PickName(StacQuery query) =>
        Core.Options.OptionSchema<StacQuery>.Format(Core.Options.OptionSchema<StacQuery>.Find("pick")!, query);
}
