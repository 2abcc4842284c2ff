using System.CommandLine;
using System.Globalization;
using LstPipe.Core.Errors;
using LstPipe.Training;
using Spectre.Console;

namespace LstPipe.Cli.Commands;

/// <summary><c>lstpipe test --checkpoint CKPT --dataset D [--split test]</c>: options bound from
/// <see cref="EvaluateOptions"/>.</summary>
internal static class TestCommand
{
    public static Command Create(CliContext context)
    {
        var options = new OptionBinder<EvaluateOptions>();
        var command = new Command("test", "Evaluate a checkpoint on a split: GrokLST metrics per tile and the mean table beside bicubic");
        options.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var o = options.Bind(parse);
            TrainCommand.ApplyThreads(o.Threads);
            if (!File.Exists(o.Checkpoint))
            {
                throw new UsageException($"{o.Checkpoint}: no such checkpoint");
            }

            if (!Directory.Exists(o.Dataset))
            {
                throw new UsageException($"{o.Dataset}: no such dataset folder");
            }

            var r = Evaluator.Run(o, note: line => context.Console.MarkupLine(Markup.Escape(line)));
            Print(context, r, o.Split);
            return Task.FromResult(0);
        });
        return command;
    }

    public static void Print(CliContext context, EvaluateResult r, string split)
    {
        if (r.Real is { } real)
        {
            PrintReal(context, r, real, split);
            return;
        }

        var table = new Table().AddColumn("method");
        foreach (var n in TileMetrics.Names)
        {
            table.AddColumn(new TableColumn(n).RightAligned());
        }

        table.AddColumn(new TableColumn("consistency").RightAligned());
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        table.AddRow([r.ModelName, .. r.Model.Values.Select(F), F(r.Consistency.Model)]);
        table.AddRow([r.ModelName + " + radiance", .. r.Corrected.Values.Select(F), F(r.Consistency.Corrected)]);
        table.AddRow(["bicubic", .. r.Bicubic.Values.Select(F), F(r.Consistency.Bicubic)]);
        var paper = r.Adopted && r.TruthResolutionMetres == 30 && EvaluateResult.Paper.TryGetValue((r.ModelName, r.Scale),
            out var row) ? row : ((double, double, double)?)null;
        if (paper is { } p)
        {
            table.AddRow($"paper: {r.ModelName} x{r.Scale}", F(p.Item1), F(p.Item2), "-", F(p.Item3), "-", "-");
        }
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{r.Tiles} tiles of split '{split}', x{r.Scale} against {r.TruthResolutionMetres:0.##} m truth ({r.Truth}); RMSE, " +
                $"MAE, BIAS in K; consistency: RMSE of the output's block means against the LR input, K")));
        if (r.Leakage is { } leak)
        {
            context.Console.MarkupLine($"[yellow]{Markup.Escape(leak)}[/]");
        }

        context.Console.Write(table);
        if (paper is not null)
        {
            context.Console.MarkupLine("[grey]paper: GrokLST Table III (RMSE, MAE in K, CC), the published test split, trained " +
                "on trainval and selected on test (--protocol groklst, --normalization groklst)[/]");
        }

        if (r.TruthResampledFrom is { } from)
        {
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[yellow]truth resampled from {from:0.#} m: the {r.TruthResolutionMetres:0.#} m truth of this dataset holds no " +
                    $"detail finer than the sensor's {from:0.#} m pixels (card: truthResampledFrom {from:0.#})[/]"));
        }

        context.Console.MarkupLine($"per-tile metrics: {Markup.Escape(r.MetricsCsv)}; figures: {r.Figures.Count} PNG beside it");
    }

    /// <summary>The rows of <c>--lr real</c>: the model and bicubic on the simulated LR and on the real LR (and matched
    /// to the simulated mean), all on the same tiles.</summary>
    private static void PrintReal(CliContext context, EvaluateResult r, RealLrScore real, string split)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumn("LR input").AddColumn("method");
        foreach (var n in TileMetrics.Names)
        {
            table.AddColumn(new TableColumn(n).RightAligned());
        }

        table.AddColumn(new TableColumn("consistency").RightAligned());
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        void Rows(string input, TileMetrics model, TileMetrics bicubic, ConsistencyErrors c)
        {
            table.AddRow([input, r.ModelName, .. model.Values.Select(F), F(c.Model)]);
            table.AddRow([input, "bicubic", .. bicubic.Values.Select(F), F(c.Bicubic)]);
        }

        var s = real.Simulated;
        Rows("simulated", s.Model, s.Bicubic, s.Consistency);
        Rows($"real ({real.Folder})", r.Model, r.Bicubic, r.Consistency);
        if (real.Matched is { } m)
        {
            Rows("real, bias matched", m.Model, m.Bicubic, m.Consistency);
        }

        context.Console.MarkupLine(Markup.Escape(string.Create(inv,
            $"scored the real LR: {real.Folder} ({real.Sensor ?? "coarse sensor"}, {real.Acquired ?? "date unknown"}) on {r.Tiles} " +
                $"tiles of split '{split}'{(real.LeftOut > 0 ? $" ({real.LeftOut} without real coverage left out)" : "")}, " +
                    $"x{r.Scale} against {r.TruthResolutionMetres:0.##} m truth; the simulated LR on the same tiles beside it; " +
                        $"real - simulated LR bias {real.LrBiasK:+0.00;-0.00} K; RMSE, MAE, BIAS in K")));
        context.Console.Write(table);
        context.Console.MarkupLine(Markup.Escape($"per-tile metrics: {r.MetricsCsv} (real), {s.MetricsCsv} (simulated)" +
            (real.Matched is { } mm ? $", {mm.MetricsCsv} (bias matched)" : "") + $"; figures: {r.Figures.Count} PNG beside them"));
    }
}
