using System.Diagnostics;
using System.Globalization;
using LstPipe.Dataset;
using LstPipe.Inference;
using LstPipe.Training;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>A trained checkpoint on a split at fp32 and cast to bfloat16: mean tile RMSE (GrokLST's metric) and
/// seconds for each, the decision data for <c>--precision bf16</c>.</summary>
internal static class Bf16Eval
{
    public static void Run(string checkpoint, string dataset, string split, int threads)
    {
        LstPipe.Models.TorchSetup.Threads = threads;
        using var model = Downscaler.Load(checkpoint);
        var labels = Normalization.FromCard(DatasetFolder.Load(dataset).Card, model.Normalization.Scale);
        var loader = new TileLoader(dataset, "mat", model.Normalization with { LrLabel = labels.LrLabel, HrLabel = labels.HrLabel });
        var tiles = TileLoader.ReadSplit(dataset, split);
        using var source = loader.Open();
        var samples = tiles.Select(t => loader.Read(source, t)).ToArray();
        model.Net.eval();
        using var noGrad = no_grad();
        (double Rmse, double Seconds) Pass(ScalarType type)
        {
            var sw = Stopwatch.StartNew();
            var rmse = new List<double>();
            foreach (var s in samples)
            {
                using var scope = NewDisposeScope();
                var lr = tensor(s.Lr, [1, 1, s.LrSize, s.LrSize]).to(type);
                var gui = tensor(s.Guidance, [1, s.Guidance.Length / (s.HrSize * s.HrSize), s.HrSize, s.HrSize]).to(type);
                rmse.Add(TileMetrics.Compute(s.Hr, Downscaler.ToArray(model.Net.call(lr, gui).to(ScalarType.Float32))).Rmse);
            }

            return (rmse.Average(), sw.Elapsed.TotalSeconds);
        }

        var fp32 = Pass(ScalarType.Float32);
        model.Net.to(ScalarType.BFloat16);
        var bf16 = Pass(ScalarType.BFloat16);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"tiles\": {samples.Length}, \"threads\": {threads}, \"fp32_rmse_K\": {fp32.Rmse:0.0000}, \"bf16_rmse_K\": {bf16.Rmse:0.0000}, \"rmse_change_K\": {bf16.Rmse - fp32.Rmse:0.0000}, \"fp32_s\": {fp32.Seconds:0.00}, \"bf16_s\": {bf16.Seconds:0.00}}}"));
    }
}
