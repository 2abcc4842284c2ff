using LstPipe.Core.Errors;
using LstPipe.Core.Native;

namespace LstPipe.Inference.Tests;

public class IDownscalerTests
{
    private static CpuFeatures Cpu(string model, params string[] flags) => new(model, new HashSet<string>(flags));

    [Fact]
    public void Bfloat16_is_refused_on_a_cpu_that_only_emulates_it_naming_the_cpu()
    {
        var epyc = Cpu("AMD EPYC 7B13", "avx2", "fma");
        var e = Assert.Throws<UsageException>(() => Downscalers.CheckPrecision(Precision.Bf16, "cpu", epyc));
        Assert.StartsWith("--precision bf16: this CPU (AMD EPYC 7B13) has no native bfloat16", e.Message);
        Downscalers.CheckPrecision(Precision.Fp32, "cpu", epyc);
        Downscalers.CheckPrecision(Precision.Bf16, "cuda", epyc);
        Downscalers.CheckPrecision(Precision.Bf16, "cpu", Cpu("Xeon", "avx2", "avx512_bf16"));
        Downscalers.CheckPrecision(Precision.Bf16, "cpu", Cpu("Xeon", "amx_bf16"));
    }
}
